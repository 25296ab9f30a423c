/**
 * Builds the database bench/scale.ts runs the engine on, in a process of its own so that nothing
 * the filling leaves behind (its heap, its page cache) is counted as the engine's: TARGETS Weibo
 * posts in one watch, added through `Store.ensureTarget` in transactions of 10,000. DUE of them are
 * due (long ago, oldest first), spread evenly over the table (one row in TARGETS / DUE), as the
 * targets due at one time are in a database that has grown for months, so 1,000 due targets sit
 * on 1,000 different pages; the rest are due far in the future, spread over 30 days, so that a
 * run on the real clock finds exactly DUE due whenever it starts.
 *
 *   node --import tsx bench/scale-fill.ts FILE [targets=1000000] [due=20000]
 *
 * Writes FILE (built as FILE.part, then renamed, so an interrupted fill is never taken for a
 * finished one) and FILE.json with how long the filling took.
 */
import { renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { createEngine, createPlatforms } from '../src/cli/compose';
import { parseConfig } from '../src/config/load';
import type { Config } from '../src/config/types';
import { ManualClock } from '../src/domain/clock';
import { Store } from '../src/store/store';

/** When the targets were first seen and the due ones fell due: long before any run. */
export const T0 = Date.UTC(2024, 0, 10);
/** When the targets not due now fall due: after any run of the benchmark. */
export const LATER = Date.UTC(2100, 0, 1);
const DAY = 86_400_000;
export const BATCH = 10_000;

/** The mid of the i-th target: 16 digits, none of them a scenario's. */
export const mid = (i: number): string => String(4_990_000_000_000_000 + i * 7);

/**
 * The benchmark's config: one watch holding every target (its one explicit post is the first
 * target, so a run adds none), concurrency 16, no politeness wait, a ladder without jitter. Its
 * one rung of a year puts a post checked during a run on the run's clock, the real one, at its
 * next yearly edge counted from first seen (T0 - 30 days): never within the run unless it spans
 * that edge, which the benchmark's counts would catch.
 */
export function scaleRawConfig(
  database: string,
  base: string,
  ladder: readonly string[] = ['365d'],
): Record<string, unknown> {
  const hosts = Object.fromEntries(
    ['m.weibo.cn', 'weibo.com', 'www.weibo.com', 'passport.weibo.com', 'visitor.passport.weibo.cn'].map(
      (h) => [h, base],
    ),
  );
  return {
    database,
    concurrency: 16,
    platforms: { weibo: { hosts, cookie: 'SUB=bench', minInterval: '0ms' } },
    schedule: { ladder, jitter: 0 },
    watches: [{ id: 'scale', name: 'scale', weibo: { posts: [mid(0)] } }],
  };
}

export function scaleConfig(database: string, base: string): Config {
  return parseConfig(scaleRawConfig(database, base), '<bench>');
}

function fill(file: string, targets: number, due: number): void {
  const part = `${file}.part`;
  rmSync(part, { force: true });
  const logger = pino({ level: 'silent' });
  const clock = new ManualClock(T0);
  const config = scaleConfig(part, 'http://127.0.0.1:9');
  const store = Store.open(part);
  const platforms = createPlatforms(config, clock, logger);
  // The watch row the targets belong to, as `run` makes it (the explicit post is inserted below).
  createEngine({ config, store, adapters: platforms.adapters, clock, logger }).results.sync([]);
  const start = performance.now();
  // Row 0 (the config's explicit post) is due; so is every `every`-th row after it, DUE in all.
  const every = Math.max(1, Math.floor(targets / due));
  for (let b = 0; b < targets; b += BATCH) {
    store.transaction(() => {
      for (let i = b; i < Math.min(targets, b + BATCH); i++) {
        const k = i / every;
        const next =
          i % every === 0 && k < due
            ? T0 - due + k
            : LATER + Math.floor(((i * 7919) % targets) * ((30 * DAY) / targets));
        store.ensureTarget(
          { platform: 'weibo', kind: 'post', id: mid(i) },
          `https://m.weibo.cn/detail/${mid(i)}`,
          ['scale'],
          'post',
          T0 - 30 * DAY,
          next,
        );
      }
    });
    if ((b / BATCH) % 20 === 0) process.stdout.write(`\r${b + BATCH} targets`);
  }
  const fillMs = performance.now() - start;
  store.checkpoint();
  store.close();
  void platforms.close();
  renameSync(part, file);
  const bytes = statSync(file).size;
  writeFileSync(`${file}.json`, JSON.stringify({ targets, due, fillMs, bytes }));
  process.stdout.write(
    `\n${targets} targets in ${(fillMs / 1000).toFixed(1)} s; ${(bytes / 2 ** 20).toFixed(0)} MiB\n`,
  );
}

if (require.main === module) {
  const [file, targets, due] = process.argv.slice(2);
  if (!file) throw new Error('usage: scale-fill.ts FILE [targets] [due]');
  fill(file, Number(targets ?? 1_000_000), Number(due ?? 20_000));
}

/**
 * `censorwatch demo`: the whole pipeline against the simulator on a simulated clock. Either one of
 * the simulator's scenarios with its own watches, or (`--config`) a researcher's own watches against
 * a world built from them (src/sim/custom), so a config can be tried before it meets the platforms.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { request } from 'undici';
import { parseDocument } from 'yaml';
import { parseConfig } from '../config/load';
import type { Config } from '../config/types';
import { ManualClock } from '../domain/clock';
import { FINAL_OUTCOMES } from '../domain/glossary';
import type { EngineDeps } from '../engine/engine';
import { buildClaim, buildReport, renderClaimText, renderMarkdown } from '../report';
import {
  buildScenario,
  createRng,
  Simulator,
  type CommentTruthRow,
  type GroundTruthRow,
  type Scenario,
} from '../sim';
import { buildCustomWorld, watchRole } from '../sim/custom';
import { createRootLogger } from '../logger';
import { Store } from '../store/store';
import { createEngine, createPlatforms } from './compose';
import { DEMO_MARK, demoConfigPath, demoEnv, deriveDemoYaml } from './demo-config';
import { DemoProgress, type ProgressCounts } from './demo-progress';

/** When the demo's simulated week starts: the day of the General Assembly vote (New York afternoon). */
export const DEMO_START = Date.UTC(2023, 3, 26, 18, 0, 0);
const MINUTE = 60_000;
const DAY = 86_400_000;

export interface DemoOptions {
  readonly scenario: string;
  /** Simulated days to run; fractions allowed. */
  readonly days: number;
  readonly faultRate: number;
  readonly seed: number;
  /** SQLite file to keep; a temporary one otherwise. */
  readonly database: string | null;
  readonly logger: Logger;
  readonly out: NodeJS.WritableStream;
  /** `platforms.weibo.timeline` for the run; the simulator's config leaves it at its default. */
  readonly weiboTimeline?: 'mobile' | 'desktop';
}

/** Counts of gone targets per cause, and alive ones, as the crawler and as the simulator see them. */
export interface DemoComparison {
  readonly crawler: Record<string, number>;
  readonly truth: Record<string, number>;
  readonly equal: boolean;
  /** Targets whose verdict or cause differs, by id. */
  readonly mismatches: readonly string[];
  /**
   * Of the mismatches, posts gone in the truth that the crawler still held alive or unconfirmed at
   * the end: they went after its last check, or were awaiting confirmation. A schedule's gap, not
   * a wrong answer.
   */
  readonly late: readonly string[];
}

export interface SimulatedRun {
  readonly comparison: DemoComparison;
  readonly truth: readonly GroundTruthRow[];
  /** Comments the simulator served and deleted afterwards, as of the end of the run. */
  readonly commentTruth: readonly CommentTruthRow[];
  readonly config: Config;
  /** The config written beside the database, for `export`, `report`, `claim` and `verify`. */
  readonly configFile: string;
  readonly counters: Readonly<{ checks: number; discoveries: number; events: number }>;
  /** Simulated time at the end of the run. */
  readonly endedAt: number;
  /** True when the signal stopped the run before its end. */
  readonly interrupted: boolean;
}

/** The world a run is served and the config it is crawled with, given the simulator's address. */
export interface DemoWorld {
  readonly scenario: Scenario;
  config(base: string, database: string): Promise<{ config: Config; yaml: string }>;
}

/** Options of {@link simulatePipeline} beyond {@link DemoOptions}. */
export interface SimulateOptions extends Omit<DemoOptions, 'out' | 'scenario'> {
  readonly scenario?: string;
  readonly start?: number;
  readonly durationMs?: number;
  /** Serve this world instead of the named scenario. */
  readonly world?: DemoWorld;
  /** Stops the run early; the store is still closed and the run returned. */
  readonly signal?: AbortSignal;
  /** Told what the run has done, after every result and every step of the clock. */
  readonly onProgress?: (c: ProgressCounts) => void;
  /** Told the simulator's address and the database once both exist. */
  readonly onStart?: (info: { base: string; database: string; configFile: string }) => void;
}

/**
 * Runs the whole pipeline against the simulator on a simulated clock: the simulator serves the
 * scenario, the crawler discovers and re-checks through the real adapters and fetcher over
 * loopback HTTP into a real SQLite file, and the result is compared with the ground truth.
 * `inspect` sees the store before it is closed (not after an interrupted run). A temporary
 * database (`database: null`) is removed before this returns.
 */
export async function simulatePipeline(
  o: SimulateOptions,
  inspect?: (store: Store, run: SimulatedRun) => void,
  hooks: Pick<EngineDeps, 'onEvents' | 'onResult'> = {},
): Promise<SimulatedRun> {
  const start = o.start ?? o.world?.scenario.start ?? DEMO_START;
  const clock = new ManualClock(start);
  const world: DemoWorld = o.world ?? {
    scenario: buildScenario(o.scenario ?? 'un-vote', { start, seed: o.seed }),
    config: (base, database) => fetchSimConfig(base, database, o.weiboTimeline),
  };
  const sim = new Simulator({
    clock,
    scenario: world.scenario,
    faultRate: o.faultRate,
    seed: o.seed,
    logger: o.logger.child({ module: 'sim' }),
  });
  const base = await sim.start(0);
  const temp = o.database === null ? mkdtempSync(join(tmpdir(), 'censorwatch-demo-')) : null;
  try {
    const database = temp ? join(temp, 'demo.db') : resolve(o.database!);
    const { config, yaml } = await world.config(base, database);
    // Kept beside the database so `export`, `report`, `claim` and `verify` can be pointed at the demo's data.
    const configFile = temp ? join(temp, 'demo.yaml') : demoConfigPath(database);
    mkdirSync(dirname(database), { recursive: true });
    writeFileSync(configFile, yaml);
    o.onStart?.({ base, database, configFile });
    const store = Store.open(config.database);
    // Every line the crawler logs says it met the simulator, not the platform its URL names.
    const logger = o.logger.child({ simulated: base });
    // Politeness and retry waits are real time; the demo's clock is simulated, so they would only slow it down.
    const platforms = createPlatforms(config, clock, logger, { sleep: async () => {} });
    const counts = { targets: 0, gone: 0 };
    // Distinct posts, as status, report and export count them: a post in two watches is
    // discovered once per watch, and a comment thread that goes raises post.gone under its post's id.
    const found = new Set<string>();
    const goneSeen = new Set<string>();
    try {
      const engine = createEngine({
        config,
        store,
        adapters: platforms.adapters,
        clock,
        logger,
        random: seeded(o.seed),
        onEvents: (events) => {
          for (const e of events) {
            if (e.kind === 'thread' || e.targetId === null) continue;
            const key = `${e.platform}:${e.targetId}`;
            if (e.type === 'post.discovered') found.add(key);
            else if (e.type === 'post.gone') goneSeen.add(key);
            counts.targets = found.size;
            counts.gone = goneSeen.size;
          }
          hooks.onEvents?.(events);
        },
        onResult: (result) => {
          hooks.onResult?.(result);
          o.onProgress?.({ at: clock.now(), ...engine.counters, ...counts });
        },
      });
      engine.sync();
      // Explicit posts and articles are tracked by sync, whose post.discovered never passes onEvents.
      for (const t of store.listTargets()) if (t.kind === 'post') found.add(`${t.platform}:${t.id}`);
      counts.targets = found.size;
      const until = start + (o.durationMs ?? Math.round(o.days * DAY));
      const began = Date.now();
      await engine.run({
        until,
        signal: o.signal,
        advanceClock: (t) => {
          clock.advanceTo(t);
          o.onProgress?.({ at: t, ...engine.counters, ...counts });
        },
      });
      o.logger.info(
        { ...engine.counters, realMs: Date.now() - began, simulatedMs: clock.now() - start },
        'simulated run finished',
      );
      const truth = sim.groundTruth(clock.now());
      const run: SimulatedRun = {
        comparison: compareWithTruth(store, truth),
        truth,
        commentTruth: sim.commentTruth(clock.now()),
        config,
        configFile,
        counters: { ...engine.counters },
        endedAt: clock.now(),
        interrupted: o.signal?.aborted === true,
      };
      if (!run.interrupted) inspect?.(store, run);
      return run;
    } finally {
      await platforms.close();
      store.close();
    }
  } finally {
    await sim.stop();
    if (temp) rmSync(temp, { recursive: true, force: true });
  }
}

/** The world for a researcher's config file: their watches, a simulated past ending now. */
export function customWorld(
  configFile: string,
  own: Config,
  o: { start: number; durationMs: number; seed: number },
): DemoWorld & { notes: readonly string[] } {
  const { scenario, notes } = buildCustomWorld(own, { start: o.start, duration: o.durationMs, seed: o.seed });
  const text = readFileSync(configFile, 'utf8');
  return {
    scenario,
    notes,
    config: async (base, database) =>
      deriveDemoYaml(text, {
        base,
        database,
        original: resolve(configFile),
        written: demoConfigPath(database),
        from: o.start,
        to: o.start + o.durationMs,
      }),
  };
}

/** What `censorwatch demo` needs beyond {@link DemoOptions}. */
export interface RunDemoOptions extends DemoOptions {
  /** Where progress and the how-to-report lines go (stderr). */
  readonly err: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** The researcher's config file and its loaded form; the named scenario otherwise. */
  readonly custom?: { readonly file: string; readonly config: Config };
  readonly signal?: AbortSignal;
  /** Told the temporary directory as soon as it exists, so a forced exit can still remove it. */
  readonly onTemp?: (dir: string | null) => void;
  readonly progress?: 'bar' | 'lines';
}

/** The result of `censorwatch demo`: its exit code and where its data is. */
export interface DemoOutcome {
  readonly exitCode: number;
  readonly comparison: DemoComparison;
}

/**
 * `censorwatch demo`: a simulated run with progress on stderr, its report (and, for a custom world,
 * each topic watch's claim) on stdout, the comparison with the ground truth, and on stderr where
 * the database is and the commands that report on it. A temporary database is removed on the way out.
 */
export async function runDemo(o: RunDemoOptions): Promise<DemoOutcome> {
  const durationMs = Math.round(o.days * DAY);
  // A custom world is the past few days up to now, so reports made afterwards see it as history.
  const start = o.custom ? Math.floor(Date.now() / MINUTE) * MINUTE - durationMs : DEMO_START;
  const world = o.custom
    ? customWorld(o.custom.file, o.custom.config, { start, durationMs, seed: o.seed })
    : null;
  for (const n of world?.notes ?? []) o.err.write(`demo: note: ${n}\n`);
  const progress = new DemoProgress({ start, end: start + durationMs, out: o.err, mode: o.progress });
  // Log lines under a bar would break it: on a terminal they go through the bar, which redraws below them.
  const logger =
    progress.mode === 'bar'
      ? createRootLogger({ level: o.logger.level, destination: progress.logStream() })
      : o.logger;
  const temp = o.database === null ? mkdtempSync(join(tmpdir(), 'censorwatch-demo-')) : null;
  o.onTemp?.(temp);
  const database = temp ? join(temp, 'demo.db') : resolve(o.database!);
  const watches = (o.custom?.config ?? null)?.watches ?? [];
  const baselineId = o.custom ? watches.find((w) => watchRole(w) === 'baseline')?.id : undefined;
  let configFile = '';
  try {
    const run = await simulatePipeline(
      {
        ...o,
        logger,
        database,
        start,
        durationMs,
        ...(world ? { world } : {}),
        signal: o.signal,
        onProgress: (c) => progress.update(c),
        onStart: (info) => {
          configFile = temp ? '' : info.configFile;
          o.err.write(
            `demo: simulator at ${info.base} (no network); database ${info.database}` +
              (temp ? ' (temporary, removed on exit; --db FILE keeps it)\n' : '\n'),
          );
        },
      },
      (store, r) => {
        const baseline = o.custom ? baselineId : r.config.watches[1]?.id;
        o.out.write(
          renderMarkdown(
            buildReport(store, { now: r.endedAt, baselineId: baseline, configPath: r.configFile }),
          ),
        );
        if (!o.custom) return;
        for (const w of r.config.watches) {
          if (watchRole(w) !== 'topic') continue;
          const claim = buildClaim(store, {
            watchId: w.id,
            baselineId: baseline,
            discoverEvery: r.config.schedule.discoverEvery,
            discoverRange: {
              min: r.config.schedule.discoverMin ?? r.config.schedule.discoverEvery,
              max: r.config.schedule.discoverMax ?? r.config.schedule.discoverEvery,
            },
          });
          o.out.write(`\n## Claim: ${w.name}\n\n${renderClaimText(claim)}`);
        }
      },
    );
    progress.finish(run.interrupted ? 'interrupted' : 'done');
    if (!run.interrupted) o.out.write(`\n${renderComparison(run.comparison)}\n`);
    const ids = {
      watch: o.custom ? watches.find((w) => watchRole(w) === 'topic')?.id : run.config.watches[0]?.id,
      baseline: o.custom ? baselineId : run.config.watches[1]?.id,
    };
    o.err.write(
      temp
        ? `demo: removed the temporary database; to report on a run, keep it: npx censorwatch demo ${
            o.custom ? `--config ${o.custom.file} ` : ''
          }--db data/demo.db\n`
        : howToReport(configFile, database, ids),
    );
    // A custom world is crawled on the researcher's schedule: posts that went after their last
    // check are its gap, not an error; anything else is.
    const wrong = o.custom
      ? run.comparison.mismatches.length - run.comparison.late.length
      : run.comparison.mismatches.length;
    return { exitCode: run.interrupted ? 130 : wrong > 0 ? 1 : 0, comparison: run.comparison };
  } finally {
    if (temp) rmSync(temp, { recursive: true, force: true });
    o.onTemp?.(null);
  }
}

function howToReport(
  configFile: string,
  database: string,
  ids: { watch?: string; baseline?: string },
): string {
  const w = ids.watch ? ` --watch ${ids.watch}` : '';
  const b = ids.baseline ? ` --baseline ${ids.baseline}` : '';
  return (
    `demo: kept ${database}; its config is ${configFile} (the same watches, hosts at the simulator)\n` +
    `  npx censorwatch report --config ${configFile}${w}${b} --format html --out report.html\n` +
    (ids.watch ? `  npx censorwatch claim --config ${configFile}${w}${b}\n` : '') +
    `  npx censorwatch export --config ${configFile} --format csv --excel --out targets.csv\n`
  );
}

/** The simulator's own ready-made config (hosts pointed at it), with the demo's database. */
async function fetchSimConfig(
  base: string,
  database: string,
  weiboTimeline?: 'mobile' | 'desktop',
): Promise<{ config: Config; yaml: string }> {
  const res = await request(`${base}/__sim/config?db=${encodeURIComponent(database)}`);
  const text = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`simulator config: HTTP ${res.statusCode}`);
  const doc = parseDocument(text);
  // Set in the YAML itself, so the config written beside the database says what the run used.
  if (weiboTimeline) doc.setIn(['platforms', 'weibo', 'timeline'], weiboTimeline);
  // Marked, so a later demo may replace this database and config (and nothing else).
  doc.commentBefore =
    `${DEMO_MARK.slice(1)} the simulator's scenario at ${base}, for report, claim, export and verify on\n` +
    ` ${resolve(database)}; not for run (the simulator is gone).` +
    (doc.commentBefore ? `\n${doc.commentBefore}` : '');
  const yaml = doc.toString();
  return { config: parseConfig(doc.toJS() as unknown, '<simulator>', demoEnv()), yaml };
}

/** Compares the crawler's verdicts with the simulator's ground truth, target by target. */
export function compareWithTruth(store: Store, truth: readonly GroundTruthRow[]): DemoComparison {
  const crawler: Record<string, number> = {};
  const expected: Record<string, number> = {};
  const mismatches: string[] = [];
  const late: string[] = [];
  // The truth is about posts; a post's comment thread shares its id and is compared on its own.
  const byId = new Map(
    store
      .listTargets()
      .filter((t) => t.kind === 'post')
      .map((t) => [`${t.platform}:${t.id}`, t]),
  );
  const bucket = (verdict: string, cause: string | null): string =>
    verdict === 'gone' ? (cause ?? 'gone') : verdict;
  for (const row of truth) {
    const key = bucket(row.verdict, row.cause);
    expected[key] = (expected[key] ?? 0) + 1;
    const t = byId.get(`${row.platform}:${row.id}`);
    const got = t ? bucket(t.state.verdict, t.state.cause) : 'not found';
    crawler[got] = (crawler[got] ?? 0) + 1;
    if (got === key) continue;
    const m = `${row.platform}:${row.id} expected ${key}, got ${got}`;
    mismatches.push(m);
    if (row.verdict === 'gone' && (got === 'alive' || got === 'unconfirmed')) late.push(m);
  }
  return { crawler, truth: expected, equal: mismatches.length === 0, mismatches, late };
}

/** One line per side, causes in their fixed order. */
export function renderComparison(c: DemoComparison): string {
  const keys = ['alive', ...FINAL_OUTCOMES, ...Object.keys({ ...c.crawler, ...c.truth })];
  const order = [...new Set(keys)].filter((k) => (c.crawler[k] ?? 0) + (c.truth[k] ?? 0) > 0);
  const fmt = (m: Record<string, number>): string => order.map((k) => `${k} ${m[k] ?? 0}`).join(', ');
  const lines = [
    `Ground truth check: ${c.equal ? 'EQUAL' : 'DIFFERENT'}`,
    `  crawler:   ${fmt(c.crawler)}`,
    `  simulator: ${fmt(c.truth)}`,
  ];
  if (c.late.length > 0)
    lines.push(
      `  ${c.late.length} of the differences went after the crawler's last check or awaited confirmation at the end (the schedule's gap)`,
    );
  for (const m of c.mismatches.slice(0, 20)) lines.push(`  mismatch: ${m}`);
  return lines.join('\n');
}

/** The simulator's seeded PRNG as a function, so a demo run's jitter is repeatable. */
export function seeded(seed: number): () => number {
  const rng = createRng(seed);
  return () => rng.next();
}

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Logger } from 'pino';
import { request } from 'undici';
import { parseDocument } from 'yaml';
import { parseConfig } from '../config/load';
import type { Config } from '../config/types';
import { ManualClock } from '../domain/clock';
import { FINAL_OUTCOMES } from '../domain/glossary';
import { Engine, type EngineDeps } from '../engine/engine';
import { buildReport, renderMarkdown } from '../report';
import { buildScenario, Simulator, type CommentTruthRow, type GroundTruthRow } from '../sim';
import { Store } from '../store/store';
import { createPlatforms } from './compose';

/** When the demo's simulated week starts: the day of the General Assembly vote (New York afternoon). */
export const DEMO_START = Date.UTC(2023, 3, 26, 18, 0, 0);
const DAY = 86_400_000;

export interface DemoOptions {
  readonly scenario: string;
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
}

export interface SimulatedRun {
  readonly comparison: DemoComparison;
  readonly truth: readonly GroundTruthRow[];
  /** Comments the simulator served and deleted afterwards, as of the end of the run. */
  readonly commentTruth: readonly CommentTruthRow[];
  readonly config: Config;
  /** The config written beside the database, for `export`, `report` and `verify`. */
  readonly configFile: string;
  readonly counters: Readonly<{ checks: number; discoveries: number; events: number }>;
  /** Simulated time at the end of the run. */
  readonly endedAt: number;
}

/**
 * Runs the whole pipeline against the simulator on a simulated clock: the simulator serves the
 * scenario, the crawler discovers and re-checks through the real adapters and fetcher over
 * loopback HTTP into a real SQLite file, and the result is compared with the ground truth.
 * `inspect` sees the store before it is closed.
 */
export async function simulatePipeline(
  o: Omit<DemoOptions, 'out'> & { start?: number; durationMs?: number },
  inspect?: (store: Store, run: SimulatedRun) => void,
  hooks: Pick<EngineDeps, 'onEvents' | 'onResult'> = {},
): Promise<SimulatedRun> {
  const start = o.start ?? DEMO_START;
  const clock = new ManualClock(start);
  const scenario = buildScenario(o.scenario, { start, seed: o.seed });
  const sim = new Simulator({
    clock,
    scenario,
    faultRate: o.faultRate,
    seed: o.seed,
    logger: o.logger.child({ module: 'sim' }),
  });
  const base = await sim.start(0);
  try {
    const database = o.database ?? join(mkdtempSync(join(tmpdir(), 'censorwatch-demo-')), 'demo.db');
    const { config, yaml } = await fetchSimConfig(base, database, o.weiboTimeline);
    // Kept beside the database so `export`, `report` and `verify` can be pointed at the demo's data.
    const configFile = join(dirname(database), 'demo.yaml');
    mkdirSync(dirname(database), { recursive: true });
    writeFileSync(configFile, yaml);
    const store = Store.open(config.database);
    // Politeness and retry waits are real time; the demo's clock is simulated, so they would only slow it down.
    const platforms = createPlatforms(config, clock, o.logger, { sleep: async () => {} });
    try {
      const engine = new Engine({
        config,
        store,
        adapters: platforms.adapters,
        clock,
        logger: o.logger,
        random: seeded(o.seed),
        ...hooks,
      });
      engine.sync();
      const until = start + (o.durationMs ?? o.days * DAY);
      const began = Date.now();
      await engine.run({ until, advanceClock: (t) => clock.advanceTo(t) });
      o.logger.info(
        { ...engine.counters, realMs: Date.now() - began, simulatedMs: until - start },
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
      };
      inspect?.(store, run);
      return run;
    } finally {
      await platforms.close();
      store.close();
    }
  } finally {
    await sim.stop();
  }
}

/** `censorwatch demo`: a simulated run, its report, and the comparison with the ground truth. */
export async function runDemo(o: DemoOptions): Promise<DemoComparison> {
  const run = await simulatePipeline(o, (store, r) => {
    const report = buildReport(store, { now: r.endedAt, baselineId: r.config.watches[1]?.id });
    o.out.write(renderMarkdown(report));
  });
  o.out.write(`\n${renderComparison(run.comparison)}\n`);
  o.out.write(
    `\nDatabase: ${run.config.database}\n` +
      `  npx censorwatch export --config ${run.configFile} --format csv\n` +
      `  npx censorwatch report --config ${run.configFile} --baseline ${run.config.watches[1]?.id ?? '<watch>'} --format html --out report.html\n`,
  );
  return run.comparison;
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
  const yaml = weiboTimeline ? doc.toString() : text;
  return { config: parseConfig(doc.toJS() as unknown, '<simulator>'), yaml };
}

/** Compares the crawler's verdicts with the simulator's ground truth, target by target. */
export function compareWithTruth(store: Store, truth: readonly GroundTruthRow[]): DemoComparison {
  const crawler: Record<string, number> = {};
  const expected: Record<string, number> = {};
  const mismatches: string[] = [];
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
    if (got !== key) mismatches.push(`${row.platform}:${row.id} expected ${key}, got ${got}`);
  }
  return { crawler, truth: expected, equal: mismatches.length === 0, mismatches };
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
  for (const m of c.mismatches.slice(0, 20)) lines.push(`  mismatch: ${m}`);
  return lines.join('\n');
}

/** A small deterministic PRNG (mulberry32) so a demo run's jitter is repeatable. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

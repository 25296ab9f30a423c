import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { parse } from 'yaml';
import type { Engine } from '../../../src/engine/engine';
import { parseConfig } from '../../../src/config';
import type { Config } from '../../../src/config/types';
import { ManualClock } from '../../../src/domain/clock';
import { buildScenario, Simulator } from '../../../src/sim';
import type { GroundTruthRow, Scenario, SimNetease, SimulatorOptions } from '../../../src/sim';
import type { Store } from '../../../src/store/store';
import type { TargetRow } from '../../../src/store/store';
import { engineOnClock } from '../../helpers/engine';

/** A fixed start so the quick scenario's timings are exact under a ManualClock. */
export const START = Date.UTC(2024, 0, 10, 2, 0, 0);
export const SECOND = 1000;

/** Foreign rows under test (SQLite rows, parsed YAML): their shape is what the assertions check. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/** The whole crawler against the simulator: real adapter, fetcher, engine and SQLite store. */
export interface Pipeline {
  readonly sim: Simulator;
  readonly clock: ManualClock;
  readonly scenario: Scenario;
  readonly config: Config;
  readonly store: Store;
  readonly engine: Engine;
  readonly base: string;
  /** Runs the engine until `msAfterStart` on the simulated clock. */
  runUntil(msAfterStart: number): Promise<void>;
  /** The simulator's ground truth for NetEase, now. */
  truth(): GroundTruthRow[];
  target(docid: string): TargetRow;
  /** Replaces the simulator with one of another fault rate on the same port (a new phase). */
  restartSim(faultRate: number): Promise<void>;
  close(): Promise<void>;
}

export interface PipelineOptions {
  readonly faultRate?: number;
  readonly faultSeed?: number;
  /** Replaces the quick scenario's NetEase part. */
  readonly netease?: SimNetease;
  /** Article URLs configured on the first watch (checked without discovery). */
  readonly articles?: readonly string[];
  /** Keep the NetEase keyword and account sources. @defaultValue true */
  readonly discover?: boolean;
  /** `schedule.listingChecks`: listings may stand in for direct checks. @defaultValue the config default */
  readonly listingChecks?: boolean;
}

/**
 * Composes the pipeline the way `demo` does, on the quick scenario: the simulator on 127.0.0.1
 * port 0, its own config (every NetEase host remapped to it), Weibo sources left out so only
 * NetEase is crawled, a SQLite file in the OS temp dir.
 */
export async function startPipeline(o: PipelineOptions = {}): Promise<Pipeline> {
  const built = buildScenario('quick', { start: START, seed: 7 });
  const scenario: Scenario = o.netease ? { ...built, netease: o.netease } : built;
  const clock = new ManualClock(START);
  const simOptions = (faultRate: number): SimulatorOptions => ({
    clock,
    scenario,
    faultRate,
    seed: o.faultSeed ?? 5,
  });
  let sim = new Simulator(simOptions(o.faultRate ?? 0));
  const base = await sim.start(0);
  const dir = mkdtempSync(join(tmpdir(), 'censorwatch-netease-'));
  const res = await request(`${base}/__sim/config?db=${encodeURIComponent(join(dir, 'test.db'))}`);
  const raw: Json = parse(await res.body.text());
  for (const w of raw.watches as Json[]) {
    w.weibo = { keywords: [], accounts: [], posts: [] };
    if (o.discover === false) w.netease = { keywords: [], accounts: [], articles: [] };
  }
  if (o.articles) raw.watches[0].netease.articles = [...o.articles];
  raw.watches = (raw.watches as Json[]).filter(
    (w) => w.netease.keywords.length + w.netease.accounts.length + w.netease.articles.length > 0,
  );
  if (o.listingChecks !== undefined) raw.schedule.listingChecks = o.listingChecks;
  const config = parseConfig(raw, '<simulator>');
  const { store, platforms, engine } = engineOnClock(config, clock);
  const port = Number(new URL(base).port);
  return {
    get sim() {
      return sim;
    },
    clock,
    scenario,
    config,
    store,
    engine,
    base,
    async runUntil(ms) {
      await engine.run({ until: START + ms, advanceClock: (t) => clock.advanceTo(t) });
    },
    truth: () => sim.groundTruth(clock.now()).filter((r) => r.platform === 'netease'),
    target(docid) {
      const t = store.findTarget({ platform: 'netease', kind: 'post', id: docid });
      if (!t) throw new Error(`no target for ${docid}`);
      return t;
    },
    async restartSim(faultRate) {
      await sim.stop();
      sim = new Simulator(simOptions(faultRate));
      await sim.start(port);
    },
    async close() {
      await platforms.close();
      store.close();
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Observation rows of a target, oldest first. */
export function observations(p: Pipeline, docid: string): Json[] {
  return p.store.observationsOf(p.target(docid).rowId);
}

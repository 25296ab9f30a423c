import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync, createWriteStream, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import net from 'node:net';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { parseConfig } from '../../../src/config/load';
import type { Config } from '../../../src/config/types';
import { compareWithTruth, type DemoComparison } from '../../../src/cli/demo';
import { runEmbedded } from '../../../src/cli/run';
import {
  Queues,
  RecorderRole,
  connectRedis,
  probeRedis,
  type QueueCounts,
} from '../../../src/engine/distributed';
import type { WorkResult } from '../../../src/engine/work';
import { createEngine } from '../../../src/cli/compose';
import { loadConfig } from '../../../src/config';
import { systemClock } from '../../../src/domain/clock';
import { databaseIdentity } from '../../../src/store/identity';
import { buildScenario, HeldClock, Simulator } from '../../../src/sim';
import type { Hold } from '../../../src/sim/host/held-clock';
import { Store } from '../../../src/store/store';
import { testRedisUrl } from '../../helpers/redis-server';
import { rawSql } from '../../helpers/sql';

export const ROOT = join(__dirname, '../../..');
/** The Redis the suite uses; `.ci/run` starts one on the default port when none answers. */
export const REDIS = testRedisUrl();
/** A fixed scenario start, so every run serves the same posts under the same ids. */
export const QUICK_START = Date.UTC(2024, 0, 10, 2, 0, 0);
export const SEED = 7;
/**
 * Scenario time each run lets the quick scenario play at least: its last fate is at 12 s, plus
 * confirmation. A run then goes on until no target waits for its confirmation and every post
 * that went was seen gone (see {@link waitSettled}): on a loaded machine a gone post can be seen
 * gone late, and its confirmation would otherwise fall after the end, a difference of timing, not
 * of the mode.
 */
export const RUN_MS = 20_000;
/** Most real time a run waits for the scenario to reach its minimum (holds included). */
export const REACH_CAP_MS = 150_000;
/** Most a run goes on past its minimum for confirmations still due. */
export const SETTLE_CAP_MS = 90_000;
/** Distributed timing for tests: fast ticks, leases of seconds. */
export const TEST_TIMING = ['--tick', '250ms', '--lease', '3s', '--drain-timeout', '10s'];

export const silent: Logger = pino({ level: 'silent' });

let counter = 0;
/** A queue prefix no other test uses. */
export function uniquePrefix(): string {
  counter += 1;
  return `cwtest-${process.pid}-${Date.now().toString(36)}-${counter}`;
}

/**
 * The simulator on the real clock, offset so the scenario always starts at {@link QUICK_START}
 * (same ids every run), and frozen at its start until {@link SimRun.go} so process start-up does
 * not eat scenario time. With `held`, the scenario's changes wait for the crawler (see
 * {@link HeldClock}): an edit happens only once the version before it was served, a removal once
 * the last version was, the search block ends once a search met it. A run compared with another
 * then tells the same story however loaded the machine is.
 */
export interface SimRun {
  readonly sim: Simulator;
  readonly clock: HeldClock;
  go(): void;
  /** Real ms until the scenario's clock reads {@link QUICK_START} + `ms`; throws past `capMs`. */
  reach(ms: number, capMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startQuickSim(opts: { held?: boolean } = {}): Promise<SimRun> {
  const clock = new HeldClock({ start: QUICK_START });
  const sim = new Simulator({
    clock,
    scenario: buildScenario('quick', { start: QUICK_START, seed: SEED }),
    seed: SEED,
  });
  if (opts.held) clock.addHolds(sim.holds());
  await sim.start(0);
  return {
    sim,
    clock,
    go: () => clock.go(),
    async reach(ms, capMs = REACH_CAP_MS) {
      const until = Date.now() + capMs;
      while (clock.now() < QUICK_START + ms) {
        if (Date.now() > until)
          throw new Error(
            `the scenario did not reach ${ms} ms within ${capMs} ms: waiting for ${clock.waitingFor ?? 'nothing'}`,
          );
        await sleep(20);
      }
    },
    stop: () => sim.stop(),
  };
}

/** A scratch directory removed by {@link cleanupDirs}. */
const dirs: string[] = [];
export function scratchDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'cw-dist-'));
  dirs.push(d);
  return d;
}
export function cleanupDirs(): void {
  if (process.env.CW_KEEP_DIRS) return;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** Writes the simulator's config with a database and (optionally) a queue section; returns its path. */
export function writeConfig(
  dir: string,
  run: SimRun,
  opts: { redis?: string; prefix?: string; webhook?: string; name?: string } = {},
): { path: string; config: Config } {
  const doc = parseYaml(run.sim.configYaml(join(dir, `${opts.name ?? 'crawl'}.db`))) as Record<
    string,
    unknown
  >;
  if (opts.redis) doc.queue = { redis: opts.redis, prefix: opts.prefix ?? 'censorwatch' };
  if (opts.webhook) doc.alerts = { webhooks: [{ name: 'test', url: opts.webhook, unsigned: true }] };
  const path = join(dir, `${opts.name ?? 'crawl'}.yaml`);
  writeFileSync(path, stringifyYaml(doc));
  return { path, config: parseConfig(doc, path, {}) };
}

/** What two runs are compared on. */
export interface RunResult {
  /**
   * `platform:kind:id` → verdict, cause, edit count (a post and its comment thread share an id: keyed
   * without the kind, the thread's row hid the post's edit count).
   */
  readonly targets: Record<string, { verdict: string; cause: string | null; editCount: number }>;
  /**
   * Post and search events as `type watch platform kind target keyword`, sorted (duplicates kept, so
   * they show).
   */
  readonly events: string[];
  /**
   * Comment and thread events, with the comment id. Not compared between runs: a comment posted
   * and deleted between two re-checks of its thread is seen by no run, so these depend on check
   * timing, not on the mode. Checked for duplicates only.
   */
  readonly commentEvents: string[];
  /**
   * `post.cause_changed`, with the same fields. Not compared between runs: a post that went without
   * a stated cause learns it from a repost's placeholder, and whether that repost is re-checked
   * before or after the post's gone verdict is confirmed (a change then, not before) is the order of
   * two checks, not the mode. The final cause is compared with the targets. Checked for duplicates.
   */
  readonly causeEvents: string[];
  readonly truth: DemoComparison;
  readonly observations: number;
  /** Holds of the scenario that ran out instead of being met: its story was not told whole. */
  readonly holdsRanOut: readonly string[];
}

/** Reads a finished run's database. */
export function readRun(database: string, run: SimRun): RunResult {
  const store = Store.open(database, { readonly: true });
  try {
    const targets: RunResult['targets'] = {};
    for (const t of store.listTargets())
      targets[`${t.platform}:${t.kind}:${t.id}`] = {
        verdict: t.state.verdict,
        cause: t.state.cause,
        editCount: t.state.editCount,
      };
    const all = store.listEvents().map((e) => ({
      comment: e.type.startsWith('comment.') || e.type.startsWith('thread.'),
      line: [
        e.type,
        e.watchId ?? '-',
        e.platform,
        e.kind ?? '-',
        e.nativeId ?? '-',
        e.keyword ?? '-',
        typeof e.detail.commentId === 'string' || typeof e.detail.commentId === 'number'
          ? String(e.detail.commentId)
          : '',
      ]
        .join(' ')
        .trim(),
    }));
    const cause = (line: string): boolean => line.startsWith('post.cause_changed ');
    const causeEvents = all
      .filter((e) => !e.comment && cause(e.line))
      .map((e) => e.line)
      .sort();
    const events = all
      .filter((e) => !e.comment && !cause(e.line))
      .map((e) => e.line)
      .sort();
    const commentEvents = all
      .filter((e) => e.comment)
      .map((e) => e.line)
      .sort();
    const observations = rawSql(store).query<{ n: number }>(`SELECT COUNT(*) AS n FROM observations`)[0]!.n;
    return {
      targets,
      events,
      commentEvents,
      causeEvents,
      truth: compareWithTruth(store, run.sim.groundTruth()),
      observations,
      holdsRanOut: [...run.clock.expired],
    };
  } finally {
    store.close();
  }
}

/**
 * What a run's database still lacks only because its checks have yet to come: targets seen gone
 * once and waiting for their confirmation, and posts the simulator removed that the crawler last
 * saw alive.
 */
export function unsettled(database: string, run: SimRun): number {
  const store = Store.open(database, { readonly: true });
  try {
    const unconfirmed = rawSql(store).query<{ n: number }>(
      `SELECT COUNT(*) AS n FROM targets WHERE verdict = 'unconfirmed'`,
    )[0]!.n;
    return unconfirmed + compareWithTruth(store, run.sim.groundTruth()).late.length;
  } finally {
    store.close();
  }
}

/**
 * Waits until the scenario's clock reaches `minMs` (scenario ms after its start), then until the
 * run is settled ({@link unsettled}), at most {@link SETTLE_CAP_MS} more (what is still unsettled
 * then shows in the comparison).
 */
export async function waitSettled(database: string, run: SimRun, minMs: number): Promise<void> {
  await run.reach(minMs);
  const cap = Date.now() + SETTLE_CAP_MS;
  while (Date.now() < cap && unsettled(database, run) > 0) await sleep(200);
}

/** The embedded run of the same scenario: the baseline distributed runs must equal. */
export async function embeddedRun(): Promise<RunResult> {
  const run = await startQuickSim({ held: true });
  const dir = scratchDir();
  try {
    const { config } = writeConfig(dir, run, { name: 'embedded' });
    run.go();
    const stop = new AbortController();
    const running = runEmbedded({ config, duration: null, logger: silent, signal: stop.signal });
    try {
      await Promise.race([running, waitSettled(config.database, run, RUN_MS)]);
    } finally {
      stop.abort();
      await running;
    }
    return readRun(config.database, run);
  } finally {
    await run.stop();
  }
}

/** A role process with its log kept in a file (for a failing test) and in memory (for waits). */
export interface RoleProcess {
  readonly child: ChildProcess;
  readonly role: string;
  log(): string;
  /**
   * Resolves when the log matches. The cap is generous: on a loaded machine a role's start-up alone
   * can take half a minute.
   */
  waitFor(re: RegExp, timeoutMs?: number): Promise<void>;
  /** SIGTERM (drain) and wait for the exit code. */
  stop(): Promise<number | null>;
  /** The exit code, once the process ends by itself. */
  exited(): Promise<number | null>;
  /** SIGKILL and wait. */
  kill9(): Promise<void>;
}

const running = new Set<RoleProcess>();

/**
 * Starts the compiled `workers/<role>.js` as a process, the way a deployment runs it, logging at
 * `logLevel` (default info).
 */
export function spawnRole(
  role: string,
  configPath: string,
  dir: string,
  extra: readonly string[] = [],
  logLevel = 'info',
): RoleProcess {
  const child = spawn(
    process.execPath,
    [join(ROOT, 'dist', 'workers', `${role}.js`), '--config', configPath, ...TEST_TIMING, ...extra],
    { cwd: ROOT, env: { ...process.env, CENSORWATCH_LOG: logLevel }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const file = createWriteStream(join(dir, `${role}-${child.pid}.log`));
  let text = '';
  const waiters: { re: RegExp; resolve: () => void }[] = [];
  child.stderr!.on('data', (d: Buffer) => {
    text += d.toString();
    file.write(d);
    for (const w of waiters.slice()) {
      if (w.re.test(text)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('close', (code) => {
      file.end();
      running.delete(p);
      resolve(code);
    }),
  );
  const p: RoleProcess = {
    child,
    role,
    log: () => text,
    waitFor(re, timeoutMs = 120_000) {
      if (re.test(text)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const t = setTimeout(
          () => reject(new Error(`${role}: no ${re} within ${timeoutMs} ms; log:\n${text.slice(-3000)}`)),
          timeoutMs,
        );
        waiters.push({
          re,
          resolve: () => {
            clearTimeout(t);
            resolve();
          },
        });
        void exited.then((code) => {
          clearTimeout(t);
          reject(new Error(`${role} exited (${code}) before ${re}; log:\n${text.slice(-3000)}`));
        });
      });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
    exited: () => exited,
    async kill9() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
  running.add(p);
  return p;
}

/** Kills every role process a test left running (a failed test), so none leaks. */
export async function killAll(): Promise<void> {
  await Promise.all([...running].map((p) => p.kill9()));
}

export const READY = /"msg":"distributed roles running"/;

/** Runs `censorwatch ARGS` as a user would (bin/censorwatch.js) and collects its output. */
export function cli(
  args: readonly string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/censorwatch.js'), ...args], {
      cwd: ROOT,
      env: { ...process.env, CENSORWATCH_LOG: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Queue depths of a deployment (for waits and assertions), through the same seam the roles use. */
export async function withQueues<T>(
  redis: string,
  prefix: string,
  fn: (q: Queues) => Promise<T>,
): Promise<T> {
  const handle = connectRedis(redis, 'producer', silent);
  const queues = new Queues(handle, prefix, silent);
  try {
    await handle.ready();
    return await fn(queues);
  } finally {
    await queues.close();
    await handle.close();
  }
}

function busy(c: QueueCounts | undefined): number {
  return c ? c.waiting + c.active + c.delayed : 0;
}

/** Waits until no discover, check or record job is waiting, running or delayed. */
export async function waitIdle(redis: string, prefix: string, timeoutMs = 90_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const counts = await withQueues(redis, prefix, (q) => q.counts());
    if (busy(counts.discover) + busy(counts.check) + busy(counts.record) === 0) return;
    if (Date.now() > until) throw new Error(`queues still busy: ${JSON.stringify(counts)}`);
    await sleep(200);
  }
}

/** Deletes a deployment's queues and keys. */
export async function obliterate(redis: string, prefix: string): Promise<void> {
  await withQueues(redis, prefix, (q) => q.obliterate());
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * A distributed run of the quick scenario: recorder, alerter, two fetchers, then the scheduler;
 * the simulator's clock starts once all are ready. `during` runs while the scenario plays (kills,
 * flushes); after {@link RUN_MS} and once no confirmation is pending ({@link waitSettled}) the
 * scheduler stops, the queues drain, and the rest stop.
 */
export async function distributedRun(opts: {
  redis?: string;
  prefix?: string;
  webhook?: string;
  during?: (ctx: DistributedCtx) => Promise<void>;
  /** Runs once every role has stopped, before the queues are deleted. */
  after?: (ctx: DistributedCtx, queues: Queues) => Promise<void>;
  /** Scenario time played before the scheduler stops. @defaultValue {@link RUN_MS} */
  runMs?: number;
  /** Leave the prefix's keys in Redis (the caller clears them). @defaultValue false */
  keepQueues?: boolean;
}): Promise<RunResult & { exitCodes: (number | null)[]; prefix: string; database: string }> {
  const redis = opts.redis ?? REDIS;
  const prefix = opts.prefix ?? uniquePrefix();
  const run = await startQuickSim();
  const dir = scratchDir();
  const { path, config } = writeConfig(dir, run, {
    redis,
    prefix,
    webhook: opts.webhook,
    name: 'distributed',
  });
  run.clock.addHolds(recordedHolds(run.sim.holds(), config.database));
  const roles: Record<string, RoleProcess> = {};
  const exitCodes: (number | null)[] = [];
  // This run's processes only: another run may be going on beside it.
  const mine: RoleProcess[] = [];
  const spawnMine = (role: string, extra?: readonly string[]): RoleProcess => {
    const p = spawnRole(role, path, dir, extra);
    mine.push(p);
    return p;
  };
  try {
    roles.recorder = spawnMine('recorder');
    await roles.recorder.waitFor(READY);
    roles.alerter = spawnMine('alerter');
    roles.fetcherA = spawnMine('fetcher', ['--concurrency', '4']);
    roles.fetcherB = spawnMine('fetcher', ['--concurrency', '4']);
    roles.scheduler = spawnMine('scheduler');
    await Promise.all(Object.values(roles).map((r) => r.waitFor(READY)));
    run.go();
    const began = Date.now();
    const ctx: DistributedCtx = {
      roles,
      path,
      dir,
      config,
      began,
      run,
      respawn: spawnMine,
    };
    await opts.during?.(ctx);
    await waitSettled(config.database, run, opts.runMs ?? RUN_MS);
    exitCodes.push(await ctx.roles.scheduler!.stop());
    await waitIdle(redis, prefix);
    for (const name of ['fetcherA', 'fetcherB', 'recorder', 'alerter'])
      exitCodes.push(await ctx.roles[name]!.stop());
    if (opts.after) await withQueues(redis, prefix, (q) => opts.after!(ctx, q));
    return { ...readRun(config.database, run), exitCodes, prefix, database: config.database };
  } finally {
    await Promise.all(mine.map((p) => p.kill9()));
    await run.stop();
    if (!opts.keepQueues) await obliterate(redis, prefix).catch(() => undefined);
  }
}

/**
 * The simulator's holds, each ready only once what it waits for is also in `database`: in
 * distributed mode a result can be lost between being served and being recorded (a result in a
 * Redis that is flushed or restarted, a fetcher killed before it hands its result on), and the
 * check done again from SQLite then meets a post the scenario has changed meanwhile. Waiting for
 * the record keeps the story the embedded baseline tells, however slow the machine makes the loss.
 */
function recordedHolds(holds: readonly Hold[], database: string): Hold[] {
  // The clock asks on every answer the simulator gives: read the database at most every 100 ms.
  let lookedAt = 0;
  let seen = { versions: new Map<string, number>(), blocked: new Set<string>() };
  const look = (): typeof seen => {
    if (Date.now() - lookedAt < 100) return seen;
    lookedAt = Date.now();
    let store: Store;
    try {
      store = Store.open(database, { readonly: true });
    } catch {
      return seen; // not created yet: nothing recorded
    }
    try {
      const sql = rawSql(store);
      const versions = new Map<string, number>();
      // Version 0 is recorded once the post was seen alive; version n once n edits were.
      for (const t of sql.query<{ key: string; edits: number; alive: number }>(
        `SELECT platform || ':' || native_id AS key, edit_count AS edits, last_alive_hash IS NOT NULL AS alive
         FROM targets WHERE kind = 'post'`,
      ))
        if (t.alive) versions.set(t.key, t.edits);
      const blocked = new Set(
        sql
          .query<{ keyword: string }>(`SELECT DISTINCT keyword FROM events WHERE type = 'search.blocked'`)
          .map((e) => e.keyword),
      );
      seen = { versions, blocked };
    } finally {
      store.close();
    }
    return seen;
  };
  const recorded = (awaits: NonNullable<Hold['awaits']>): boolean => {
    const s = look();
    if ('keyword' in awaits) return s.blocked.has(awaits.keyword);
    return (s.versions.get(`${awaits.platform}:${awaits.id}`) ?? -1) >= awaits.version;
  };
  return holds.map((h) => ({
    ...h,
    ready: () => h.ready() && (h.awaits === undefined || recorded(h.awaits)),
  }));
}

/** What a test's `during` hook can reach. */
export interface DistributedCtx {
  readonly roles: Record<string, RoleProcess>;
  readonly path: string;
  readonly dir: string;
  readonly config: Config;
  /** When the scenario started (real ms). */
  readonly began: number;
  readonly run: SimRun;
  respawn(role: string, extra?: readonly string[]): RoleProcess;
}

/** Waits until the scenario's clock reads `ms` after its start. */
export async function at(ctx: DistributedCtx, ms: number): Promise<void> {
  await ctx.run.reach(ms);
}

/** A redis-server of a test's own, without persistence, that can be stopped and started again. */
export interface RestartableRedis {
  readonly url: string;
  /** Starts it again on the same port (after {@link stop}), once it answers. */
  start(): Promise<void>;
  /** SIGKILL: everything it held is gone, as in a crash of a Redis without persistence. */
  stop(): Promise<void>;
  /** {@link stop}, then {@link start}. */
  restart(): Promise<void>;
}

/** Starts a {@link RestartableRedis} on a free port, so restarting it disturbs no other test. */
export async function restartableRedis(): Promise<RestartableRedis> {
  const port = await new Promise<number>((resolve) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const p = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(p));
    });
  });
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  const start = async (): Promise<void> => {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    // A cap for a loaded machine: redis-server itself starts in milliseconds.
    const until = Date.now() + 30_000;
    for (;;) {
      try {
        await probeRedis(url, 500);
        return;
      } catch (err) {
        if (Date.now() > until) throw err;
        await sleep(100);
      }
    }
  };
  const stop = async (): Promise<void> => {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once('close', () => resolve());
      c.kill('SIGKILL');
    });
  };
  await start();
  return {
    url,
    start,
    stop,
    async restart() {
      await stop();
      await start();
    },
  };
}

/** Polls `cond` every 100 ms until it holds; fails naming `what` after `capMs`. */
export async function waitFor(
  cond: () => Promise<boolean> | boolean,
  what: string,
  capMs = 30_000,
): Promise<void> {
  const until = Date.now() + capMs;
  while (!(await cond())) {
    if (Date.now() > until) throw new Error(`not within ${capMs} ms: ${what}`);
    await sleep(100);
  }
}

/**
 * What a recorder role under test stands on: a database with one watch and one Weibo post, its
 * engine synced, a worker connection to Redis, and results for that post. `close` stops the role
 * (if the test left one running), closes the connection and the store, and deletes the prefix.
 */
export interface RecorderBench {
  readonly prefix: string;
  readonly config: Config;
  readonly store: Store;
  readonly worker: ReturnType<typeof connectRedis>;
  readonly engine: ReturnType<typeof createEngine>;
  /** The database's own identity, which its results are pushed under. */
  readonly db: string;
  result(key: string): WorkResult;
  /**
   * A recorder role on `queues` (from {@link withQueues}), the one `close` stops if the test did
   * not; it logs to `logger` (silent by default).
   */
  role(queues: Queues, owner?: { id: string; database: string }, logger?: Logger): RecorderRole;
  close(): Promise<void>;
}

export function recorderBench(prefix: string): RecorderBench {
  const dir = scratchDir();
  const path = join(dir, 'c.yaml');
  writeFileSync(
    path,
    stringifyYaml({
      database: join(dir, 'c.db'),
      watches: [{ id: 'w', name: 'W', weibo: { keywords: ['x'] } }],
      queue: { redis: REDIS, prefix },
    }),
  );
  const config = loadConfig(path);
  const store = Store.open(config.database);
  const worker = connectRedis(REDIS, 'worker', silent);
  const engine = createEngine({ config, store, adapters: {}, clock: systemClock, logger: silent });
  engine.sync();
  const now = Date.now();
  const target = store.ensureTarget(
    { platform: 'weibo', kind: 'post', id: '4900000000000001' },
    'https://m.weibo.cn/detail/4900000000000001',
    ['w'],
    'test',
    now,
    now,
  ).row;
  let running: RecorderRole | null = null;
  return {
    prefix,
    config,
    store,
    worker,
    engine,
    db: databaseIdentity(store)!.id,
    result: (key) => ({
      type: 'check',
      item: { type: 'check', key, rowId: target.rowId, target },
      observations: [],
    }),
    role(queues, owner, logger = silent) {
      running = new RecorderRole({
        queues,
        connection: worker,
        results: engine.results,
        scheduler: engine.scheduler,
        store,
        clock: systemClock,
        logger,
        ...(owner ? { owner } : {}),
      });
      return running;
    },
    async close() {
      try {
        await (running as RecorderRole | null)?.force('test over');
      } finally {
        await worker.close();
        store.close();
        await obliterate(REDIS, prefix);
      }
    },
  };
}

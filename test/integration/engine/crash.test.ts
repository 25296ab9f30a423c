import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareWithTruth } from '../../../src/cli/demo';
import { systemClock } from '../../../src/domain/clock';
import { LEASE_MS } from '../../../src/engine/engine';
import { buildScenario, Simulator } from '../../../src/sim';
import { LeaseStore } from '../../../src/store/leases';
import { Store } from '../../../src/store/store';
import { windowViolations } from '../pipeline/windows';
import { rawSql } from '../../helpers/sql';

const BIN = join(__dirname, '../../../bin/censorwatch.js');
const CAP_MS = 120_000;

interface Running {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
}

function startRun(config: string): Running {
  const child = spawn(process.execPath, [BIN, 'run', '--config', config], {
    env: { ...process.env, CENSORWATCH_LOG: 'info' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  return { child, exited, stderr: () => stderr };
}

/** Polls `cond` until it holds; fails naming `what` after the cap. Never a fixed sleep. */
async function waitFor(what: string, cond: () => boolean, capMs = CAP_MS): Promise<void> {
  const deadline = Date.now() + capMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * kill -9 of an embedded run while its checks are in flight (the simulator holds every answer),
 * then a restart on the same database: the new run takes back the dead run's leases at start, so
 * the targets that were in flight are checked again at once instead of after the lease, every
 * deletion is still found with a window that holds the real deletion time, and no event is
 * recorded twice.
 */
describe('an embedded run killed with SIGKILL mid-check, restarted on the same database', () => {
  let sim: Simulator;
  let dir: string;
  const runs: Running[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'censorwatch-crash-'));
    sim = new Simulator({
      clock: systemClock,
      scenario: buildScenario('quick', { start: systemClock.now(), seed: 7 }),
    });
    await sim.start(0);
  });

  afterAll(async () => {
    for (const r of runs)
      if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
    await Promise.all(runs.map((r) => r.exited));
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loses nothing to the crash and records nothing twice', async () => {
    const database = join(dir, 'crash.db');
    const config = join(dir, 'crash.yaml');
    writeFileSync(config, sim.configYaml(database));

    const first = startRun(config);
    runs.push(first);
    // Ready once the run has migrated the database and recorded itself.
    await waitFor('the first run to record itself', () => {
      try {
        const probe = Store.open(database, { readonly: true });
        try {
          return new LeaseStore(probe).runs().length === 1;
        } finally {
          probe.close();
        }
      } catch {
        return false;
      }
    });
    const store = Store.open(database, { readonly: true });
    const leases = new LeaseStore(store);
    try {
      const count = (): number =>
        rawSql(store).query<{ n: number }>(`SELECT COUNT(*) AS n FROM observations`)[0]?.n ?? 0;
      await waitFor('the first run to check targets', () => count() >= 15);

      // Every answer is held from now on: what the run takes next stays in flight until the kill.
      sim.setDelay(10 * 60_000);
      const owner = (): string | undefined => leases.runs()[0]?.id;
      await waitFor(
        'checks in flight',
        () => sim.waiting >= 3 && leases.leasedBy(owner() ?? '', systemClock.now()).targets.length >= 3,
      );
      const firstRun = owner()!;
      const inFlight = leases.leasedBy(firstRun, systemClock.now()).targets;
      const seenBefore = rawSql(store).query<{ id: number }>(`SELECT MAX(id) AS id FROM observations`)[0]!.id;
      first.child.kill('SIGKILL');
      expect((await first.exited).signal).toBe('SIGKILL');
      // The dead run's leases outlive it: only the next run can tell they are orphans.
      expect(leases.leasedBy(firstRun, systemClock.now()).targets).toEqual(inFlight);
      sim.setDelay(0);

      const second = startRun(config);
      runs.push(second);
      await waitFor('the second run to start', () => leases.runs().length === 2);
      const secondRun = leases.runs()[1]!;
      const rechecked = (): Map<number, number> =>
        new Map(
          rawSql(store)
            .query<{ target_id: number; at: number }>(
              `SELECT target_id, MIN(at) AS at FROM observations WHERE id > ? GROUP BY target_id`,
              seenBefore,
            )
            .map((r) => [r.target_id, r.at]),
        );
      await waitFor('every target that was in flight to be checked again', () =>
        inFlight.every((id) => rechecked().has(id)),
      );
      const lastFate = Math.max(
        ...sim.scenario.weibo.posts.flatMap((p) => (p.fate ? [p.fate.at] : [])),
        ...sim.scenario.weibo.accounts.flatMap((a) => [a.banAt ?? 0, a.closeAt ?? 0]),
        ...sim.scenario.netease.articles.flatMap((a) => (a.fate ? [a.fate.at] : [])),
      );
      await waitFor(
        'every deletion to be found',
        () =>
          systemClock.now() > lastFate && compareWithTruth(store, sim.groundTruth(systemClock.now())).equal,
      );
      second.child.kill('SIGTERM');
      expect((await second.exited).code).toBe(0);

      // Taken back at start, not after the lease: the first run was ended by the second.
      const [dead] = leases.runs();
      expect(dead!.endedAt).not.toBeNull();
      expect(dead!.endedAt!).toBeGreaterThanOrEqual(secondRun.startedAt);
      expect(second.stderr()).toContain('took back the leases of runs that no longer run');
      expect(leases.countLeases(systemClock.now())).toEqual([]);
      for (const id of inFlight) expect(rechecked().get(id)! - secondRun.startedAt).toBeLessThan(LEASE_MS);

      const truth = sim.groundTruth(systemClock.now());
      expect(compareWithTruth(store, truth).mismatches).toEqual([]);
      // The story must include deletions the runs saw alive; how many depends on how soon a loaded
      // machine let them discover each post (the truth covers posts served alive), so only some.
      expect(truth.filter((t) => t.verdict === 'gone').length).toBeGreaterThanOrEqual(1);
      expect(windowViolations(store, truth)).toEqual([]);

      // No event twice: one per type, target and watch for the events that happen once per story.
      const once = new Set(['post.discovered', 'post.gone', 'comment.gone']);
      const keys = store
        .listEvents()
        .filter((e) => once.has(e.type))
        .map(
          (e) =>
            `${e.type} ${e.platform}:${e.kind}:${e.nativeId} ${e.watchId} ${JSON.stringify(e.type === 'comment.gone' ? e.detail.commentId : null)}`,
        );
      expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
    } finally {
      store.close();
    }
  }, 300_000);
});

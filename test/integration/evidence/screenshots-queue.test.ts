/**
 * The screenshot queue in a real SQLite file: which observations want a screenshot, how a failed
 * one is retried and given up without touching a check, and the retention limits, which never drop
 * a target's last alive and first gone screenshots. The shooter is a stand-in here (Chromium is
 * exercised in screenshots-chromium.test.ts): what is tested is the store and the worker.
 */
import pino from 'pino';
import { ManualClock } from '../../../src/domain/clock';
import type { PageShooter, Shot, ShotRequest } from '../../../src/browser/pool';
import { ScreenshotWorker } from '../../../src/evidence/screenshot-worker';
import { renderStory } from '../../../src/evidence/story';
import { gatherStatus, renderStatus } from '../../../src/cli/status';
import { parseConfig } from '../../../src/config/load';
import { ScreenshotStore } from '../../../src/store/screenshots';
import { verifyStore } from '../../../src/store/verify';
import { MIN, POSTS, T0, alive, check, recordStory, ref, removed, tempDb } from './helpers';
import { rawSql } from '../../helpers/sql';

/** A shooter that answers from a script: a PNG-like body per URL, or an error. */
class ScriptedShooter implements PageShooter {
  readonly requests: ShotRequest[] = [];
  failWith: string | null = null;
  async shoot(r: ShotRequest): Promise<Shot> {
    this.requests.push(r);
    if (this.failWith) throw new Error(this.failWith);
    const png = Buffer.from(`png of ${r.url} #${this.requests.length} ${'x'.repeat(1000)}`);
    return { png, width: 390, height: 844, finalUrl: r.url, status: 200, text: `text of ${r.url}` };
  }
  async close(): Promise<void> {}
}

const MINIMAL_CONFIG = {
  database: 'unused.db',
  watches: [{ id: 'un-vote-2023', weibo: { keywords: ['联合国'] } }],
};

let db: ReturnType<typeof tempDb>;
beforeEach(() => (db = tempDb()));
afterEach(() => db.cleanup());

function reasons(store: ScreenshotStore, id: string): string[] {
  return store.ofTarget(db.store.findTarget(ref(id))!.rowId).map((s) => `${s.reason}:${s.state}`);
}

describe('the screenshot queue', () => {
  it('wants one on the first alive observation, on an edit and on the first gone one, once each', () => {
    recordStory(db.store, db.recorder);
    const shots = new ScreenshotStore(db.store);
    expect(shots.findWanted(T0 + 11 * MIN)).toBe(5);
    const [a, b, c] = POSTS;
    expect(reasons(shots, a)).toEqual(['first:wanted']); // alive three times, never changed
    expect(reasons(shots, b)).toEqual(['first:wanted', 'edit:wanted']);
    expect(reasons(shots, c)).toEqual(['first:wanted', 'gone:wanted']); // the second gone one is not
    expect(shots.findWanted(T0 + 12 * MIN)).toBe(0);
    // The URL is the page a person opens.
    expect(shots.ofTarget(db.store.findTarget(ref(c))!.rowId)[1]!.url).toBe(`https://m.weibo.cn/detail/${c}`);

    // Restored and removed again: a new gone screenshot for the new deletion.
    check(db.store, db.recorder, alive(c, T0 + 20 * MIN, '中国代表团投票'));
    check(db.store, db.recorder, removed(c, T0 + 30 * MIN));
    expect(shots.findWanted(T0 + 31 * MIN)).toBe(1);
    expect(reasons(shots, c)).toEqual(['first:wanted', 'gone:wanted', 'gone:wanted']);
  });

  it('starts a database that had observations before it at the log head: their past is not shot now', () => {
    recordStory(db.store, db.recorder);
    rawSql(db.store).run(`DELETE FROM screenshots`);
    rawSql(db.store).run(`UPDATE screenshot_scan SET seq = (SELECT MAX(seq) FROM log_entries)`);
    const shots = new ScreenshotStore(db.store);
    expect(shots.findWanted(T0 + 11 * MIN)).toBe(0);
    check(db.store, db.recorder, alive(POSTS[1], T0 + 12 * MIN, '欧洲委员会决议草案（又改了）'));
    expect(shots.findWanted(T0 + 13 * MIN)).toBe(1);
  });

  it('retries a failed screenshot with backoff, gives up after maxAttempts, and never stops checks', async () => {
    const clock = new ManualClock(T0 + 11 * MIN);
    const shooter = new ScriptedShooter();
    const shots = new ScreenshotStore(db.store);
    const worker = new ScreenshotWorker({
      screenshots: shots,
      shooter,
      clock,
      logger: pino({ level: 'silent' }),
      retryAfter: MIN,
      maxAttempts: 3,
    });
    check(db.store, db.recorder, alive(POSTS[0], T0, '联合国大会表决'));
    shooter.failWith = 'net::ERR_CONNECTION_RESET';
    expect(await worker.round()).toEqual({ queued: 1, taken: 0, failed: 1 });
    const [row] = shots.ofTarget(db.store.findTarget(ref(POSTS[0]))!.rowId);
    expect(row).toMatchObject({ state: 'wanted', attempts: 1, nextTryAt: clock.now() + MIN });
    expect(row!.error).toContain('ERR_CONNECTION_RESET');

    // Not due yet: nothing is tried; checks go on being recorded meanwhile.
    expect(await worker.round()).toEqual({ queued: 0, taken: 0, failed: 0 });
    check(db.store, db.recorder, alive(POSTS[0], T0 + 12 * MIN, '联合国大会表决'));
    expect(db.store.findTarget(ref(POSTS[0]))!.state.observations).toBe(2);

    clock.advanceTo(clock.now() + MIN);
    expect((await worker.round()).failed).toBe(1);
    expect(shots.get(row!.id)).toMatchObject({ attempts: 2, nextTryAt: clock.now() + 2 * MIN });
    clock.advanceTo(clock.now() + 2 * MIN);
    expect((await worker.round()).failed).toBe(1);
    expect(shots.get(row!.id)).toMatchObject({ state: 'failed', attempts: 3, nextTryAt: null });
    clock.advanceTo(clock.now() + 60 * MIN);
    expect(await worker.round()).toEqual({ queued: 0, taken: 0, failed: 0 });
    expect(shooter.requests).toHaveLength(3);
    expect(renderStory(db.store, ref(POSTS[0]))).toContain(
      'failed after 3 attempts: net::ERR_CONNECTION_RESET',
    );
    const status = renderStatus(gatherStatus(parseConfig(MINIMAL_CONFIG, 'test', {}), db.store, clock.now()));
    expect(status).toContain('screenshots: 0 taken, 0 waiting, 1 given up, 0 pruned');

    // A screenshot that succeeds on a retry is stored with the session's page options.
    check(db.store, db.recorder, alive(POSTS[1], T0 + 70 * MIN, '欧洲委员会决议草案'));
    shooter.failWith = 'timeout';
    await worker.round();
    shooter.failWith = null;
    clock.advanceTo(clock.now() + MIN);
    expect(await worker.round()).toEqual({ queued: 0, taken: 1, failed: 0 });
    const taken = shots.ofTarget(db.store.findTarget(ref(POSTS[1]))!.rowId)[0]!;
    expect(taken).toMatchObject({ state: 'taken', attempts: 2, error: null, httpStatus: 200 });
    expect(shots.png(taken)!.toString()).toContain(`png of https://m.weibo.cn/detail/${POSTS[1]}`);
  });
});

describe('screenshot retention', () => {
  /** One post: first, `edits` edits, removed, restored with an edit, removed again. */
  async function longStory(edits: number): Promise<{ shots: ScreenshotStore; rowId: number }> {
    const id = POSTS[0];
    let at = T0;
    check(db.store, db.recorder, alive(id, at, '第0版'));
    for (let i = 1; i <= edits; i++) check(db.store, db.recorder, alive(id, (at += MIN), `第${i}版`));
    check(db.store, db.recorder, removed(id, (at += MIN)));
    check(db.store, db.recorder, removed(id, (at += MIN)));
    check(db.store, db.recorder, alive(id, (at += MIN), '恢复后的版本'));
    check(db.store, db.recorder, removed(id, (at += MIN)));
    check(db.store, db.recorder, removed(id, (at += MIN)));
    // Another post, taken too, whose screenshots the limits weigh with the first one's.
    check(db.store, db.recorder, alive(POSTS[1], (at += MIN), '另一条'));
    const clock = new ManualClock(at + MIN);
    const shots = new ScreenshotStore(db.store);
    const worker = new ScreenshotWorker({
      screenshots: shots,
      shooter: new ScriptedShooter(),
      clock,
      logger: pino({ level: 'silent' }),
    });
    const round = await worker.round();
    expect(round).toMatchObject({ taken: edits + 5, failed: 0 });
    return { shots, rowId: db.store.findTarget(ref(id))!.rowId };
  }

  const kept = (shots: ScreenshotStore, rowId: number): string[] =>
    shots.ofTarget(rowId).flatMap((s, i) => (s.state === 'taken' ? [`${i}:${s.reason}`] : []));

  it('keeps at most screenshotsPerTarget, dropping the oldest but never the last alive and first gone', async () => {
    const { shots, rowId } = await longStory(4);
    // 0 first, 1-4 edits, 5 gone, 6 edit (restored, changed), 7 gone.
    expect(shots.ofTarget(rowId).map((s) => s.reason)).toEqual([
      'first',
      'edit',
      'edit',
      'edit',
      'edit',
      'gone',
      'edit',
      'gone',
    ]);
    const r = shots.prune({ perTarget: 3, maxBytes: null });
    expect(r.pruned).toBe(5);
    expect(kept(shots, rowId)).toEqual(['5:gone', '6:edit', '7:gone']);
    // Down to the two it must keep: the restored version and the deletion after it.
    shots.prune({ perTarget: 2, maxBytes: null });
    expect(kept(shots, rowId)).toEqual(['6:edit', '7:gone']);
    const pruned = shots.ofTarget(rowId)[0]!;
    expect(pruned.state).toBe('pruned');
    expect(pruned.pngSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(shots.png(pruned)).toBeUndefined();
    expect(rawSql(db.store).query(`SELECT 1 FROM blobs WHERE hash = ?`, pruned.pngSha256)).toEqual([]);
    // The other post's one screenshot is within the limit.
    expect(shots.counts()).toEqual({ wanted: 0, taken: 3, failed: 0, pruned: 6 });
    expect(verifyStore(db.store).problems).toEqual([]);
    expect(renderStory(db.store, ref(POSTS[0]))).toContain('pruned by retention (was sha256:');
  });

  it('drops the oldest screenshots of all targets while the evidence is over maxBytes, down to the protected ones', async () => {
    const { shots, rowId } = await longStory(3);
    const total = (): number =>
      rawSql(db.store).query<{ n: number }>(`SELECT SUM(length(gz)) AS n FROM blobs`)[0]!.n;
    const pngBytes = (id: number): number =>
      rawSql(db.store).query<{ n: number }>(
        `SELECT length(gz) AS n FROM blobs WHERE hash = ?`,
        shots.get(id)!.pngSha256,
      )[0]!.n;
    const [first, second] = shots.ofTarget(rowId);
    // Room for all but about one and a half screenshots: the two oldest go, nothing else.
    const limit = total() - pngBytes(first!.id) - Math.round(pngBytes(second!.id) / 2);
    const r = shots.prune({ perTarget: null, maxBytes: limit });
    expect(r).toMatchObject({ pruned: 2, overBy: 0 });
    expect(total()).toBeLessThanOrEqual(limit);
    expect(kept(shots, rowId)).toEqual(['2:edit', '3:edit', '4:gone', '5:edit', '6:gone']);

    // A limit below what the captures hold: every screenshot goes but the protected ones and the
    // other post's only one (its last alive), and the pass says by how much it is still over.
    const tight = shots.prune({ perTarget: null, maxBytes: 1 });
    expect(tight.overBy).toBeGreaterThan(0);
    expect(kept(shots, rowId)).toEqual(['5:edit', '6:gone']);
    expect(shots.ofTarget(db.store.findTarget(ref(POSTS[1]))!.rowId).map((s) => s.state)).toEqual(['taken']);
    expect(verifyStore(db.store).problems).toEqual([]);
  });
});

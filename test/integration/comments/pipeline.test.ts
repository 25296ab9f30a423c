import { gunzipSync } from 'node:zlib';
import pino from 'pino';
import { simulatePipeline, type SimulatedRun } from '../../../src/cli/demo';
import type { Store } from '../../../src/store/store';
import { rawSql } from '../../helpers/sql';

const logger = pino({ level: 'silent' });
const QUICK_START = Date.UTC(2024, 0, 10, 2, 0, 0);

/** What a run left in the database that the comment checks need. */
interface Seen {
  readonly gone: { platform: string; thread: string; commentId: string; watch: string | null }[];
  readonly threadEdits: number;
  readonly threads: { platform: string; id: string; observations: number }[];
  readonly closed: { platform: string; thread: string; flags: string[] }[];
  /** Every TEXT value and every kept evidence body, as strings. */
  readonly texts: string[];
  readonly commentRows: number;
}

function inspect(store: Store): Seen {
  const events = store.listEvents();
  const threadIds = new Set(
    store
      .listTargets()
      .filter((t) => t.kind === 'thread')
      .map((t) => `${t.platform}:${t.id}`),
  );
  const texts: string[] = [];
  const tables = rawSql(store).query<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table'`);
  for (const { name } of tables) {
    const cols = rawSql(store).query<{ name: string; type: string }>(
      `SELECT name, type FROM pragma_table_info(?)`,
      name,
    );
    for (const c of cols.filter((x) => x.type.toUpperCase() === 'TEXT')) {
      for (const r of rawSql(store).query<{ v: string | null }>(`SELECT "${c.name}" AS v FROM "${name}"`))
        if (r.v !== null) texts.push(r.v);
    }
  }
  for (const r of rawSql(store).query<{ gz: Buffer }>(`SELECT gz FROM blobs`))
    texts.push(gunzipSync(r.gz).toString('utf8'));
  return {
    gone: events
      .filter((e) => e.type === 'comment.gone')
      .map((e) => ({
        platform: e.platform,
        thread: e.nativeId!,
        commentId: String(e.detail['commentId']),
        watch: e.watchId,
      })),
    threadEdits: events.filter((e) => e.type === 'post.edited' && e.kind === 'thread').length,
    threads: store
      .listTargets()
      .filter((t) => t.kind === 'thread')
      .map((t) => ({ platform: t.platform, id: t.id, observations: t.state.observations })),
    closed: events
      .filter((e) => e.type === 'thread.closed' && threadIds.has(`${e.platform}:${e.nativeId}`))
      .map((e) => ({ platform: e.platform, thread: e.nativeId!, flags: e.detail['flags'] as string[] })),
    texts,
    commentRows: rawSql(store).query<{ n: number }>(`SELECT COUNT(*) AS n FROM comments`)[0]!.n,
  };
}

async function runQuick(faultRate: number, seed: number): Promise<{ run: SimulatedRun; seen: Seen }> {
  let seen: Seen | undefined;
  const run = await simulatePipeline(
    {
      scenario: 'quick',
      days: 0,
      durationMs: faultRate > 0 ? 60_000 : 30_000,
      start: QUICK_START,
      faultRate,
      seed,
      database: null,
      logger,
    },
    (store) => {
      seen = inspect(store);
    },
  );
  return { run, seen: seen! };
}

function key(x: { platform: string; thread?: string; threadId?: string; commentId: string }): string {
  return `${x.platform}:${x.thread ?? x.threadId}:${x.commentId}`;
}

describe.each([
  ['no faults', 0, 7],
  ['30% transient faults', 0.3, 11],
])('comment threads through the whole pipeline (%s)', (_name, faultRate, seed) => {
  let run: SimulatedRun;
  let seen: Seen;
  beforeAll(async () => {
    ({ run, seen } = await runQuick(faultRate, seed));
  }, 120_000);

  it('tracks the threads of the topic watch on both platforms, and posts still match the ground truth', () => {
    expect(seen.threads.some((t) => t.platform === 'weibo' && t.observations > 1)).toBe(true);
    expect(seen.threads.some((t) => t.platform === 'netease' && t.observations > 1)).toBe(true);
    expect(seen.commentRows).toBeGreaterThan(50);
    expect(run.comparison.mismatches).toEqual([]);
  });

  it('gives exactly one comment.gone per comment deleted after it was served, and none for the others', () => {
    // The scenario deletes comments on both platforms, removed and isDel-marked.
    expect(run.commentTruth.some((t) => t.platform === 'weibo')).toBe(true);
    expect(run.commentTruth.some((t) => t.platform === 'netease' && t.mode === 'marked')).toBe(true);
    expect(run.commentTruth.some((t) => t.platform === 'netease' && t.mode === 'removed')).toBe(true);
    const events = seen.gone.map(key).sort();
    expect(new Set(events).size).toBe(events.length);
    expect(events).toEqual(run.commentTruth.map(key).sort());
    expect(seen.gone.every((g) => g.watch === 'quick-topic')).toBe(true);
  });

  it('never raises post.edited for a thread', () => {
    expect(seen.threadEdits).toBe(0);
  });

  it('reports the NetEase thread whose comments were closed', () => {
    expect(seen.closed.filter((c) => c.platform === 'netease')).toHaveLength(1);
    expect(seen.closed[0]!.flags).toEqual(['app', 'web']);
  });

  it('stores no NetEase user.id anywhere, not even in kept evidence', () => {
    // The simulator's user.id is base64 of "sim<n>@163.com", so every one starts with "c2lt".
    const leaks = seen.texts.filter((t) => /c2lt[A-Za-z0-9+/]{6,}/.test(t) || t.includes('@163.com'));
    expect(leaks).toEqual([]);
    // The scan did read the comments and their evidence.
    expect(seen.texts.some((t) => t.includes('nickname') && t.includes('commentIds'))).toBe(true);
  });
});

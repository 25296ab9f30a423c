import pino from 'pino';
import type { CommentSnapshot, CommentsSeen, Observation, TargetRef } from '../../../src/domain/glossary';
import { Recorder } from '../../../src/engine/recorder';
import { Store } from '../../../src/store/store';
import { rawSql } from '../../helpers/sql';

const T0 = Date.UTC(2024, 0, 10, 2, 0, 0);
const MIN = 60_000;
const schedule = {
  discoverEvery: 10 * MIN,
  ladder: [MIN, 5 * MIN],
  confirmGone: 2,
  confirmAfter: MIN,
  jitter: 0,
};
const POST: TargetRef = { platform: 'netease', kind: 'post', id: 'KC12OUHK000189FH' };
const THREAD: TargetRef = { ...POST, kind: 'thread' };

function open(): { store: Store; recorder: Recorder } {
  const store = Store.open(':memory:');
  store.syncWatches(
    [
      { id: 'topic', name: 'Topic' },
      { id: 'baseline', name: 'Baseline' },
    ],
    [],
    T0,
  );
  const recorder = new Recorder(store, schedule, pino({ level: 'silent' }), () => 0.5, {
    commentWatches: { netease: ['topic'] },
  });
  return { store, recorder };
}

const content = {
  html: '',
  text: 'body',
  author: null,
  createdAt: null,
  counts: { reposts: null, comments: null, likes: null },
  media: [],
  repostOf: null,
  editCount: null,
};
const postSeen = (at: number): Observation => ({
  target: POST,
  at,
  endpoint: 'test',
  outcome: 'alive',
  content,
});
const c = (id: string, min: number, deleted = false): CommentSnapshot => ({
  id,
  text: `comment ${id}`,
  author: `nick${id}`,
  location: '浙江省杭州市',
  createdAt: new Date(T0 + min * MIN).toISOString(),
  deleted,
});
const threadSeen = (at: number, comments: CommentsSeen, tcount: number): Observation => ({
  target: THREAD,
  at,
  endpoint: 'netease.comment.thread',
  outcome: 'alive',
  url: 'http://comment.tie.163.com/KC12OUHK000189FH.html',
  content: { ...content, text: '', counts: { reposts: null, comments: tcount, likes: null } },
  comments,
});
const FLAGS_ON = { web: true, app: true, audio: false };

describe('the recorder and comment threads (real SQLite)', () => {
  it('a post joining a comment-tracking watch gets its thread, due at once, in that watch only', () => {
    const { store, recorder } = open();
    // Seen first by the baseline watch: no thread.
    rawSql(store).run(
      `INSERT INTO sources (id, watch_id, platform, mode, query) VALUES (1, 'baseline', 'netease', 'keyword', 'x')`,
    );
    rawSql(store).run(
      `INSERT INTO sources (id, watch_id, platform, mode, query) VALUES (2, 'topic', 'netease', 'keyword', 'y')`,
    );
    const listing = { outcome: 'results', observations: [postSeen(T0)], nextCursor: null } as const;
    recorder.recordListing(store.getSource(1)!, listing, T0, 'p2');
    expect(store.findTarget(THREAD)).toBeUndefined();
    // Then by the topic watch: the thread appears, linked to the topic watch, due now.
    recorder.recordListing(
      store.getSource(2)!,
      { ...listing, observations: [postSeen(T0 + MIN)] },
      T0 + MIN,
      'p2',
    );
    const thread = store.findTarget(THREAD)!;
    expect(thread.nextCheckAt).toBe(T0 + MIN);
    expect(store.watchesOf(thread.rowId)).toEqual(['topic']);
    expect(rawSql(store).query(`SELECT via FROM target_watches WHERE target_id = ?`, thread.rowId)).toEqual([
      { via: `thread-of:${POST.id}` },
    ]);
    // A discovered thread is not a discovered post.
    expect(store.listEvents().filter((e) => e.type === 'post.discovered')).toHaveLength(2);
  });

  it('syncThreads gives posts that joined without an observation (explicit posts) their thread', () => {
    const { store, recorder } = open();
    store.ensureTarget(
      POST,
      'https://www.163.com/news/article/KC12OUHK000189FH.html',
      ['topic'],
      'post',
      T0,
      T0,
    );
    recorder.syncThreads(T0);
    recorder.syncThreads(T0 + MIN);
    const thread = store.findTarget(THREAD)!;
    expect(thread.nextCheckAt).toBe(T0);
    expect(store.listTargets().filter((t) => t.kind === 'thread')).toHaveLength(1);
  });

  it('comment.gone once per comment, deleted marks included, thread.closed when a flag turns off, no post.edited', () => {
    const { store, recorder } = open();
    store.ensureTarget(POST, '', ['topic'], 'post', T0, T0);
    recorder.syncThreads(T0);
    const check = (at: number, comments: CommentsSeen, tcount: number, key: string) =>
      recorder.recordCheck(store.findTarget(THREAD)!, [threadSeen(at, comments, tcount)], { dedupeKey: key });

    const first = check(
      T0 + 10 * MIN,
      { items: [c('4', 4), c('3', 3), c('2', 2), c('1', 1)], complete: true, flags: FLAGS_ON },
      4,
      'k1',
    );
    expect(first).toEqual([]);
    expect(rawSql(store).query(`SELECT COUNT(*) AS n FROM comments`)).toEqual([{ n: 4 }]);

    // 3 is missing inside the span the cut list covers; 1 is beyond it; 4 is marked deleted; comments closed.
    const second = check(
      T0 + 20 * MIN,
      { items: [c('5', 5), c('4', 4, true), c('2', 2)], complete: false, flags: { ...FLAGS_ON, web: false } },
      5,
      'k2',
    );
    const gone = second.filter((e) => e.type === 'comment.gone');
    expect(gone.map((e) => [e.detail['commentId'], e.detail['reason']]).sort()).toEqual([
      ['3', 'missing'],
      ['4', 'deleted'],
    ]);
    expect(gone[0]).toMatchObject({ platform: 'netease', targetId: POST.id, kind: 'thread', watch: 'topic' });
    const three = gone.find((e) => e.detail['commentId'] === '3')!;
    expect(three.detail).toMatchObject({
      author: 'nick3',
      location: '浙江省杭州市',
      text: 'comment 3',
      firstSeenAt: T0 + 10 * MIN,
      lastSeenAt: T0 + 10 * MIN,
      window: [T0 + 10 * MIN, T0 + 20 * MIN],
    });
    expect(second.filter((e) => e.type === 'thread.closed').map((e) => e.detail['flags'])).toEqual([['web']]);

    // The same result delivered again changes nothing.
    expect(
      check(T0 + 20 * MIN, { items: [c('5', 5), c('4', 4, true), c('2', 2)], complete: false }, 5, 'k2'),
    ).toEqual([]);
    // A complete list later: 1 is gone now; 3 and 4 are not reported twice; flags unchanged: no second closed.
    const third = check(
      T0 + 30 * MIN,
      { items: [c('5', 5), c('2', 2)], complete: true, flags: { ...FLAGS_ON, web: false } },
      2,
      'k3',
    );
    expect(third.map((e) => `${e.type}:${String(e.detail['commentId'] ?? '')}`)).toEqual(['comment.gone:1']);

    const rows = rawSql(store).query<{ comment_id: string; gone_at: number | null; last_seen_at: number }>(
      `SELECT comment_id, gone_at, last_seen_at FROM comments ORDER BY comment_id`,
    );
    expect(rows).toEqual([
      { comment_id: '1', gone_at: T0 + 30 * MIN, last_seen_at: T0 + 10 * MIN },
      { comment_id: '2', gone_at: null, last_seen_at: T0 + 30 * MIN },
      { comment_id: '3', gone_at: T0 + 20 * MIN, last_seen_at: T0 + 10 * MIN },
      // Listed as deleted later: last seen is still the last time it was there.
      { comment_id: '4', gone_at: T0 + 20 * MIN, last_seen_at: T0 + 10 * MIN },
      { comment_id: '5', gone_at: null, last_seen_at: T0 + 30 * MIN },
    ]);
    const thread = store.findTarget(THREAD)!;
    expect(thread.state.verdict).toBe('alive');
    expect(thread.state.editCount).toBe(0);
    expect(store.listEvents().filter((e) => e.type === 'post.edited')).toEqual([]);
    // The comment list changed each time, so each check's evidence hash differs.
    expect(new Set(store.observationsOf(thread.rowId).map((o) => o.content_hash)).size).toBe(3);
  });
});

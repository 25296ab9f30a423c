/**
 * Comment lists whose first page lists nothing while the same answer (or the thread's info) counts
 * comments. Read as an empty thread, every comment known from earlier checks would become
 * `comment.gone` at once; research/netease.md §4.6 records that regulators switched NetEase's
 * comments off platform-wide for a week, which is exactly such an answer.
 */
import { compareComments, type KnownComment } from '../../../src/domain/comments';
import type { Observation } from '../../../src/domain/glossary';
import { json, startMirror, type Canned, type Mirror } from './helpers';

const DOCID = 'EAUJCTQV05346RBY';
const MID = '4383411844046171';

/** A thread known to have had one comment, as the store remembers it. */
const KNOWN: KnownComment[] = [
  {
    id: '56415914',
    author: 'a',
    location: null,
    text: 'x',
    createdAt: Date.UTC(2019, 2, 23),
    firstSeenAt: Date.UTC(2019, 2, 23),
    lastSeenAt: Date.UTC(2019, 2, 23),
    goneAt: null,
  },
];

function threadInfo(tcount: number): Canned {
  return json({
    docId: DOCID,
    title: '标题',
    createTime: '2019-03-23 09:00:00',
    tcount,
    vote: 0,
    against: 0,
    status: { app: 'on', web: 'on' },
  });
}

function goneCount(obs: Observation): number {
  return obs.comments ? compareComments(KNOWN, obs.comments).gone.length : 0;
}

let mirror: Mirror | null = null;
afterEach(async () => {
  await mirror?.close();
  mirror = null;
});

describe('NetEase: an empty first newList page', () => {
  async function check(info: Canned, list: Canned): Promise<Observation> {
    mirror = await startMirror((host, path) => {
      if (host !== 'comment.api.163.com') return undefined;
      return path.includes('/comments/newList') ? list : info;
    });
    const r = await mirror.netease.check({ platform: 'netease', kind: 'thread', id: DOCID });
    return r.observations[0]!;
  }

  test('the documented past-the-end shape at offset 0 with newListSize 9037 lists nothing, as a cut list, its page kept (was complete and empty)', async () => {
    const obs = await check(threadInfo(9037), json({ commentIds: [], comments: {}, newListSize: 9037 }));
    expect(obs.outcome).toBe('alive');
    expect(obs.comments).toMatchObject({ items: [], complete: false });
    expect(obs.message).toContain('newListSize says 9037');
    expect(goneCount(obs)).toBe(0);
    // Both the thread info and the contradicting list page are kept.
    expect(obs.evidence?.body.toString('utf8')).toContain('newListSize');
    expect(obs.evidence?.body.toString('utf8')).toContain('tcount');
  });

  test('an empty list without newListSize while the thread info counts comments is not believed either', async () => {
    const obs = await check(threadInfo(12), json({ commentIds: [], comments: {} }));
    expect(obs.comments).toMatchObject({ items: [], complete: false });
    expect(obs.message).toContain('tcount says 12');
    expect(goneCount(obs)).toBe(0);
  });

  test('comments switched off (status web/app off) with an empty list: the closed flags still count, no comment is gone', async () => {
    const closed = json({
      docId: DOCID,
      title: '标题',
      createTime: '2019-03-23 09:00:00',
      tcount: 40,
      status: { app: 'off', web: 'off' },
    });
    const obs = await check(closed, json({ commentIds: [], comments: {}, newListSize: 40 }));
    expect(obs.outcome).toBe('alive');
    expect(obs.comments?.flags).toEqual({ app: false, web: false });
    expect(obs.message).toContain('comments closed');
    expect(goneCount(obs)).toBe(0);
  });

  test('a thread with no comments at all is still an empty thread, alive and complete', async () => {
    const obs = await check(threadInfo(0), json({ commentIds: [], comments: {}, newListSize: 0 }));
    expect(obs.outcome).toBe('alive');
    expect(obs.comments).toMatchObject({ items: [], complete: true });
  });
});

describe('Weibo: an empty first hotflow page', () => {
  async function check(hotflow: Canned): Promise<Observation> {
    mirror = await startMirror((host, path) =>
      host === 'm.weibo.cn' && path.startsWith('/comments/hotflow') ? hotflow : undefined,
    );
    const r = await mirror.weibo.check({ platform: 'weibo', kind: 'thread', id: MID });
    return r.observations[0]!;
  }

  test('ok:1 with no comments, max_id 0 and total_number 523 → unparseable, body kept (was alive, complete, empty)', async () => {
    const obs = await check(
      json({ ok: 1, data: { data: [], total_number: 523, max_id: 0, max_id_type: 0 } }),
    );
    expect(obs.outcome).toBe('unparseable');
    expect(obs.message).toContain('total_number says 523');
    expect(goneCount(obs)).toBe(0);
    expect(obs.evidence?.body.toString('utf8')).toContain('"total_number":523');
  });

  test('a thread whose total_number is 0 is still an empty thread', async () => {
    const obs = await check(json({ ok: 1, data: { data: [], total_number: 0, max_id: 0, max_id_type: 0 } }));
    expect(obs.outcome).toBe('alive');
    expect(obs.comments).toMatchObject({ items: [], complete: true });
  });
});

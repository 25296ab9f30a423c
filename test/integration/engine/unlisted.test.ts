import { join } from 'node:path';
import pino from 'pino';
import type { Content, Observation } from '../../../src/domain/glossary';
import { Recorder } from '../../../src/engine/recorder';
import type { ListingResult } from '../../../src/platforms/platform';
import { parseTimelinePage } from '../../../src/platforms/weibo/parse';
import { Store, type SourceRow } from '../../../src/store/store';
import { tempDir } from '../../helpers/temp';

const MIN = 60_000;
const T0 = Date.UTC(2023, 3, 27, 2, 0, 0);
const schedule = {
  discoverEvery: 10 * MIN,
  ladder: [2 * MIN, 10 * MIN],
  confirmGone: 2,
  confirmAfter: MIN,
  jitter: 0,
};

function content(id: string, createdAt: number): Content {
  return {
    html: `post ${id}`,
    text: `post ${id}`,
    author: { id: '6548090242', name: '国际观察员小李' },
    createdAt: new Date(createdAt).toISOString(),
    counts: { reposts: 0, comments: 0, likes: 0 },
    media: [],
    repostOf: null,
    editCount: 0,
  };
}

const alive = (id: string, at: number, endpoint: string): Observation => ({
  target: { platform: 'weibo', kind: 'post', id },
  at,
  endpoint,
  outcome: 'alive',
  content: content(id, T0 - Number(id.slice(-2)) * MIN),
  url: `https://m.weibo.cn/detail/${id}`,
});

const page = (ids: string[], at: number): ListingResult => ({
  outcome: 'results',
  observations: ids.map((id) => alive(id, at, 'm.timeline')),
  nextCursor: null,
});

const ids = ['4895000000000010', '4895000000000020', '4895000000000030'];

/**
 * An account watch whose timeline listed three posts at T0, each then checked directly (the
 * precise creation times that bound a timeline page).
 */
function timelineWithThreePosts(store: Store): { recorder: Recorder; source: () => SourceRow } {
  const recorder = new Recorder(store, schedule, pino({ level: 'silent' }), () => 0.5);
  store.syncWatches(
    [{ id: 'w', name: 'w' }],
    [{ watchId: 'w', platform: 'weibo', mode: 'account', query: '6548090242' }],
    T0,
  );
  const source = (): SourceRow => store.listSources('w')[0]!;
  recorder.recordListing(source(), page(ids, T0), T0, null);
  for (const id of ids)
    recorder.recordCheck(
      store.findTarget({ platform: 'weibo', kind: 'post', id })!,
      [alive(id, T0 + MIN, 'm.statuses.show')],
      {},
    );
  return { recorder, source };
}

/**
 * A post that vanishes from its author's timeline while its own page still answers is recorded as
 * `post.unlisted` (Weiboscope's "ghostly" posts): an event, never a verdict.
 */
describe('post.unlisted', () => {
  it('is emitted once when a post missing from the timeline is found alive by id, and cleared when it is listed again', () => {
    const store = Store.open(join(tempDir('censorwatch-unlisted-'), 'u.db'));
    try {
      const { recorder, source } = timelineWithThreePosts(store);
      const middle = () => store.findTarget({ platform: 'weibo', kind: 'post', id: ids[1]! })!;

      recorder.recordListing(source(), page([ids[0]!, ids[2]!], T0 + 10 * MIN), T0 + 10 * MIN, null);
      expect(middle().unlistedAt).toBe(T0 + 10 * MIN);
      expect(middle().nextCheckAt).toBeLessThanOrEqual(T0 + 10 * MIN);

      const first = recorder.recordCheck(middle(), [alive(ids[1]!, T0 + 11 * MIN, 'm.statuses.show')], {});
      expect(first.map((e) => e.type)).toEqual(['post.unlisted']);
      expect(first[0]!.detail.missingSince).toBe(T0 + 10 * MIN);
      expect(middle().state.verdict).toBe('alive');

      recorder.recordListing(source(), page([ids[0]!, ids[2]!], T0 + 20 * MIN), T0 + 20 * MIN, null);
      const again = recorder.recordCheck(middle(), [alive(ids[1]!, T0 + 21 * MIN, 'm.statuses.show')], {});
      expect(again.filter((e) => e.type === 'post.unlisted')).toEqual([]);

      recorder.recordListing(source(), page(ids, T0 + 30 * MIN), T0 + 30 * MIN, null);
      expect(middle().unlistedAt).toBeNull();
      expect(store.listEvents().filter((e) => e.type === 'post.unlisted')).toHaveLength(1);
    } finally {
      store.close();
    }
  });

  it('a post the timeline shows but the parser cannot read is not missing from it: no check at once, no unlisted', () => {
    const store = Store.open(join(tempDir('censorwatch-unlisted-'), 'u.db'));
    try {
      const { recorder, source } = timelineWithThreePosts(store);
      const middle = () => store.findTarget({ platform: 'weibo', kind: 'post', id: ids[1]! })!;

      // Invented but plausible: a timeline whose middle card carries a post in a shape the normalizer
      // does not read (its text moved elsewhere). The post is on the page; it is not missing from it.
      const user = { id: 6548090242, screen_name: '国际观察员小李' };
      const card = (id: string, mblog: Record<string, unknown>) => ({
        card_type: 9,
        mblog: { id, mid: id, user, created_at: 'Thu Apr 27 09:00:00 +0800 2023', ...mblog },
      });
      const body = {
        ok: 1,
        data: {
          cardlistInfo: { containerid: '1076036548090242' },
          cards: [
            card(ids[0]!, { text: 'post 10' }),
            card(ids[1]!, { content: { html: 'post 20' } }),
            card(ids[2]!, { text: 'post 30' }),
          ],
        },
      };
      const at = T0 + 10 * MIN;
      const listing = parseTimelinePage(timelineAnswer(body), at);
      expect(listing.observations.map((o) => [o.target.id, o.outcome])).toEqual([
        [ids[0], 'alive'],
        [ids[1], 'unparseable'],
        [ids[2], 'alive'],
      ]);
      recorder.recordListing(source(), listing, at, null);
      expect(middle().unlistedAt).toBeNull();
      // Its own (unparseable) observation reschedules it; a missing post would be due at once.
      expect(middle().nextCheckAt).toBeGreaterThan(at);
    } finally {
      store.close();
    }
  });

  it('a timeline with a card of a kind the parser does not know is missing no post: no check at once, no unlisted', () => {
    const store = Store.open(join(tempDir('censorwatch-unlisted-'), 'u.db'));
    try {
      const { recorder, source } = timelineWithThreePosts(store);
      const middle = () => store.findTarget({ platform: 'weibo', kind: 'post', id: ids[1]! })!;
      const due = middle().nextCheckAt;

      // Invented but plausible: the middle post arrives in a card of a new kind, its post under
      // another key; the parser lists the two it reads and counts the card it cannot.
      const user = { id: 6548090242, screen_name: '国际观察员小李' };
      const created = 'Thu Apr 27 09:00:00 +0800 2023';
      const body = {
        ok: 1,
        data: {
          cardlistInfo: { containerid: '1076036548090242' },
          cards: [
            { card_type: 9, mblog: { id: ids[0], mid: ids[0], user, created_at: created, text: 'post 10' } },
            { card_type: 207, status: { id: ids[1], user, created_at: created, text: 'post 20' } },
            { card_type: 9, mblog: { id: ids[2], mid: ids[2], user, created_at: created, text: 'post 30' } },
          ],
        },
      };
      const at = T0 + 10 * MIN;
      const listing = parseTimelinePage(timelineAnswer(body), at);
      expect(listing.observations.map((o) => o.target.id)).toEqual([ids[0], ids[2]]);
      expect(listing.unread).toEqual(['card_type 207']);
      recorder.recordListing(source(), listing, at, null);
      expect(middle().unlistedAt).toBeNull();
      expect(middle().nextCheckAt).toBe(due);
      // The same page read as if every card had been understood does make it missing.
      const { unread: _u, ...understood } = listing;
      recorder.recordListing(source(), understood, at + MIN, null);
      expect(middle().unlistedAt).toBe(at + MIN);
    } finally {
      store.close();
    }
  });
});

/** The account timeline's answer with `body`, as the fetcher hands it to the parser. */
function timelineAnswer(body: unknown): Parameters<typeof parseTimelinePage>[0] {
  const url = 'https://m.weibo.cn/api/container/getIndex?containerid=1076036548090242';
  return {
    ok: true,
    url,
    finalUrl: url,
    redirects: [],
    status: 200,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    setCookies: [],
    body: Buffer.from(JSON.stringify(body)),
  };
}

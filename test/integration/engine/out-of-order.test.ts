import { join } from 'node:path';
import pino from 'pino';
import type { Content, Observation } from '../../../src/domain/glossary';
import { Recorder } from '../../../src/engine/recorder';
import type { ListingResult } from '../../../src/platforms/platform';
import { Store, type SourceRow } from '../../../src/store/store';
import { tempDir } from '../../helpers/temp';

const T0 = Date.UTC(2024, 0, 10, 2, 0, 0);
const schedule = {
  discoverEvery: 1000,
  ladder: [1000, 2000, 3000, 5000],
  confirmGone: 2,
  confirmAfter: 500,
  jitter: 0,
};
const ACCOUNT = 'T1700000000001';
const DOCID = 'I1IPRUH20553QUIK';
const ref = { platform: 'netease', kind: 'post', id: DOCID } as const;
const url = `https://www.163.com/dy/article/${DOCID}.html`;

function content(text: string, truncated = false): Content {
  return {
    title: '快速测试号的文章（3）',
    html: truncated ? '' : `<p>${text}</p>`,
    text: truncated ? '' : text,
    author: { id: ACCOUNT, name: '快速测试号' },
    createdAt: new Date(T0).toISOString(),
    counts: { reposts: null, comments: null, likes: null },
    media: [],
    repostOf: null,
    editCount: null,
    ...(truncated ? { truncated: true } : {}),
  };
}

/** The 网易号's listing as NetEase shows it: the title only (src/platforms/netease/listings.ts). */
const listing = (at: number): ListingResult => ({
  outcome: 'results',
  observations: [
    { target: ref, at, endpoint: 'netease.list.do', outcome: 'alive', content: content('', true), url },
  ],
  nextCursor: null,
});

const article = (at: number, text: string): Observation => ({
  target: ref,
  at,
  endpoint: 'netease.article',
  outcome: 'alive',
  content: content(text),
  url,
});

const V1 = '第一段。第二段。';
const V2 = `${V1}（编者按：本文已更新。）`;

/**
 * Distributed mode records results in the order they come back, not the order they were fetched: a
 * listing of the account fetched after a check of one of its articles can be recorded first.
 * Neither order may cost the researcher the article's edit.
 */
describe('results recorded out of their fetch order', () => {
  function setup(): {
    store: Store;
    recorder: Recorder;
    source: () => SourceRow;
    check: (o: Observation) => void;
  } {
    const store = Store.open(join(tempDir('censorwatch-order-'), 'o.db'));
    const recorder = new Recorder(store, schedule, pino({ level: 'silent' }), () => 0.5);
    store.syncWatches(
      [{ id: 'w', name: 'w' }],
      [{ watchId: 'w', platform: 'netease', mode: 'account', query: ACCOUNT }],
      T0,
    );
    const source = (): SourceRow => store.listSources('w')[0]!;
    const check = (o: Observation): void => {
      recorder.recordCheck(store.findTarget(ref)!, [o], {});
    };
    return { store, recorder, source, check };
  }

  const edits = (store: Store): { watch: string | null; before: unknown; after: unknown }[] =>
    store
      .listEvents()
      .filter((e) => e.type === 'post.edited')
      .map((e) => ({ watch: e.watchId, before: e.detail.before, after: e.detail.after }));

  it('the first check, recorded after a later listing, still gives the text the next check is compared with', () => {
    const { store, recorder, source, check } = setup();
    try {
      recorder.recordListing(source(), listing(T0 + 1000), T0 + 1000, null);
      // Fetched at +1.5 s, recorded after the listing fetched at +1.7 s.
      recorder.recordListing(source(), listing(T0 + 1700), T0 + 1700, null);
      check(article(T0 + 1500, V1));
      check(article(T0 + 3500, V2));
      expect(edits(store)).toEqual([{ watch: 'w', before: V1, after: V2 }]);
      expect(store.findTarget(ref)!.state).toMatchObject({ editCount: 1, lastAliveText: V2 });
    } finally {
      store.close();
    }
  });

  it('an edited text recorded after a later listing is told at once, and only once', () => {
    const { store, recorder, source, check } = setup();
    try {
      recorder.recordListing(source(), listing(T0 + 1000), T0 + 1000, null);
      check(article(T0 + 1500, V1));
      recorder.recordListing(source(), listing(T0 + 3700), T0 + 3700, null);
      check(article(T0 + 3500, V2));
      expect(edits(store)).toEqual([{ watch: 'w', before: V1, after: V2 }]);
      check(article(T0 + 6500, V2));
      expect(edits(store)).toHaveLength(1);
      expect(store.findTarget(ref)!.state).toMatchObject({
        verdict: 'alive',
        lastAliveAt: T0 + 6500,
        editCount: 1,
      });
    } finally {
      store.close();
    }
  });

  it('the first check recorded after the second: the edit is told, as seen by the second', () => {
    const { store, recorder, source, check } = setup();
    try {
      recorder.recordListing(source(), listing(T0 + 1000), T0 + 1000, null);
      check(article(T0 + 3500, V2));
      check(article(T0 + 1500, V1));
      expect(edits(store)).toEqual([{ watch: 'w', before: V1, after: V2 }]);
      expect(store.listEvents().find((e) => e.type === 'post.edited')!.at).toBe(T0 + 3500);
      expect(store.findTarget(ref)!.state).toMatchObject({ editCount: 1, lastAliveText: V2 });
    } finally {
      store.close();
    }
  });

  it('a text older than the last one seen is still no edit back', () => {
    const { store, recorder, source, check } = setup();
    try {
      recorder.recordListing(source(), listing(T0 + 1000), T0 + 1000, null);
      check(article(T0 + 1500, V1));
      check(article(T0 + 3500, V2));
      recorder.recordListing(source(), listing(T0 + 3700), T0 + 3700, null);
      check(article(T0 + 2500, V1));
      expect(edits(store)).toEqual([{ watch: 'w', before: V1, after: V2 }]);
      expect(store.findTarget(ref)!.state).toMatchObject({ lastAliveText: V2, editCount: 1 });
    } finally {
      store.close();
    }
  });
});

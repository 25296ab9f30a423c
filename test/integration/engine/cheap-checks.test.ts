import { join } from 'node:path';
import pino from 'pino';
import type { Content, Observation } from '../../../src/domain/glossary';
import { Recorder } from '../../../src/engine/recorder';
import type { ListingResult } from '../../../src/platforms/platform';
import { SourceCadenceStore } from '../../../src/store/cadence';
import { Store, type SourceRow } from '../../../src/store/store';
import { tempDir } from '../../helpers/temp';

const MIN = 60_000;
const T0 = Date.UTC(2023, 3, 27, 2, 0, 0);
// Checks at ages 2, 6, 16, 26 … min.
const schedule = {
  discoverEvery: 2 * MIN,
  discoverMin: MIN,
  discoverMax: 8 * MIN,
  ladder: [2 * MIN, 4 * MIN, 10 * MIN],
  confirmGone: 2,
  confirmAfter: MIN,
  jitter: 0,
};
const AUTHOR = '6548090242';

function content(id: string, createdAt: number, author = AUTHOR): Content {
  return {
    html: `post ${id}`,
    text: `post ${id}`,
    author: { id: author, name: '国际观察员小李' },
    createdAt: new Date(createdAt).toISOString(),
    counts: { reposts: 0, comments: 0, likes: 0 },
    media: [],
    repostOf: null,
    editCount: 0,
  };
}

/** Post `…NN` was created NN minutes before T0. */
const alive = (id: string, at: number, endpoint: string, author = AUTHOR): Observation => ({
  target: { platform: 'weibo', kind: 'post', id },
  at,
  endpoint,
  outcome: 'alive',
  content: content(id, T0 - Number(id.slice(-2)) * MIN, author),
  url: `https://m.weibo.cn/detail/${id}`,
});

const page = (ids: string[], at: number, endpoint = 'm.search'): ListingResult => ({
  outcome: 'results',
  observations: ids.map((id) => alive(id, at, endpoint)),
  nextCursor: null,
});

function setup(mode: 'keyword' | 'account', query: string) {
  const store = Store.open(join(tempDir('censorwatch-cheap-'), 'c.db'));
  const recorder = new Recorder(store, schedule, pino({ level: 'silent' }), () => 0.5);
  store.syncWatches([{ id: 'w', name: 'w' }], [{ watchId: 'w', platform: 'weibo', mode, query }], T0);
  const source = (): SourceRow => store.listSources('w')[0]!;
  const target = (id: string) => store.findTarget({ platform: 'weibo', kind: 'post', id })!;
  const checkAll = (ids: string[], at: number): void => {
    for (const id of ids) recorder.recordCheck(target(id), [alive(id, at, 'm.statuses.show')], {});
  };
  return { store, recorder, source, target, checkAll };
}

describe('listings as cheap checks', () => {
  it('a listing late in a check’s rung stands in for it; one early in the rung does not', () => {
    const { store, recorder, source, target, checkAll } = setup('keyword', '联合国 决议');
    try {
      const ids = ['4895000000000010', '4895000000000020'];
      recorder.recordListing(source(), page(ids, T0), T0, null);
      // Found at T0: the first check is a direct one at T0 + 2 min, whatever listings show.
      recorder.recordListing(source(), page(ids, T0 + 90_000), T0 + 90_000, null);
      expect(target(ids[0]!).nextCheckAt).toBe(T0 + 2 * MIN);
      checkAll(ids, T0 + 2 * MIN);
      expect(target(ids[0]!).nextCheckAt).toBe(T0 + 6 * MIN);

      // 3 min into the 4-minute rung: too early to stand in for the check at 6 min.
      recorder.recordListing(source(), page(ids, T0 + 3 * MIN), T0 + 3 * MIN, null);
      expect(target(ids[0]!).nextCheckAt).toBe(T0 + 6 * MIN);
      // 5 min: inside the rung's last half, so the check at 6 min is not needed; the next is at 16.
      recorder.recordListing(source(), page(ids, T0 + 5 * MIN), T0 + 5 * MIN, null);
      expect(target(ids[0]!).nextCheckAt).toBe(T0 + 16 * MIN);
      expect(target(ids[0]!).state.lastAliveAt).toBe(T0 + 5 * MIN);
    } finally {
      store.close();
    }
  });

  it('a known post missing from inside a search page’s span is checked at once, ahead of its ladder', () => {
    const { store, recorder, source, target, checkAll } = setup('keyword', '联合国 决议');
    try {
      const ids = ['4895000000000010', '4895000000000020', '4895000000000030'];
      recorder.recordListing(source(), page(ids, T0), T0, null);
      checkAll(ids, T0 + 2 * MIN);
      recorder.recordListing(source(), page([ids[0]!, ids[2]!], T0 + 3 * MIN), T0 + 3 * MIN, null);
      expect(target(ids[1]!).nextCheckAt).toBe(T0 + 3 * MIN);
      // The listed ones keep their ladder; nothing is marked unlisted by a search.
      expect(target(ids[0]!).nextCheckAt).toBe(T0 + 6 * MIN);
      expect(target(ids[1]!).unlistedAt).toBeNull();
    } finally {
      store.close();
    }
  });

  it('the first page of a timeline covers every newer post of its author, however it was found', () => {
    const { store, recorder, source, target } = setup('account', AUTHOR);
    try {
      const listedIds = ['4895000000000030', '4895000000000040'];
      recorder.recordListing(source(), page(listedIds, T0, 'm.timeline'), T0, null);
      for (const id of listedIds)
        recorder.recordCheck(target(id), [alive(id, T0 + 2 * MIN, 'm.statuses.show')], {});
      // A newer post of the same author, found by a repost (not by this timeline).
      const newer = '4895000000000005';
      recorder.recordCheck(target(listedIds[0]!), [alive(newer, T0 + 2 * MIN, 'm.statuses.show')], {});
      recorder.recordCheck(target(newer), [alive(newer, T0 + 2 * MIN, 'm.statuses.show')], {});
      // Another author's post is no business of this timeline.
      const other = '4895000000000001';
      recorder.recordCheck(target(listedIds[0]!), [alive(other, T0 + 2 * MIN, 'm.statuses.show', '1')], {});
      recorder.recordCheck(target(other), [alive(other, T0 + 2 * MIN, 'm.statuses.show', '1')], {});
      expect(target(newer).nextCheckAt).toBeGreaterThan(T0 + 3 * MIN);

      recorder.recordListing(source(), page(listedIds, T0 + 3 * MIN, 'm.timeline'), T0 + 3 * MIN, null);
      expect(target(newer).nextCheckAt).toBe(T0 + 3 * MIN);
      expect(target(newer).unlistedAt).toBe(T0 + 3 * MIN);
      expect(target(other).nextCheckAt).toBeGreaterThan(T0 + 3 * MIN);
      // A later page does not cover the top.
      recorder.recordCheck(target(newer), [alive(newer, T0 + 4 * MIN, 'm.statuses.show')], {});
      recorder.recordListing(source(), page(listedIds, T0 + 5 * MIN, 'm.timeline'), T0 + 5 * MIN, 'p2');
      expect(target(newer).nextCheckAt).toBeGreaterThan(T0 + 5 * MIN);
    } finally {
      store.close();
    }
  });
});

describe('adaptive discovery', () => {
  it('a source whose rounds find new posts comes round sooner, a quiet one later, within bounds, kept in the store', () => {
    const { store, recorder, source } = setup('keyword', '联合国 决议');
    try {
      const cadence = new SourceCadenceStore(store);
      const next = (): number => source().nextRunAt! - source().lastRunAt!;
      recorder.finishDiscovery(source(), T0, undefined, { newTargets: 5, overflowed: false });
      expect(next()).toBe(MIN);
      expect(cadence.get(source().id)).toEqual({ intervalMs: MIN, lastNew: 5, updatedAt: T0 });
      const quiet = { newTargets: 0, overflowed: false };
      const seen: number[] = [];
      for (let i = 1; i <= 6; i++) {
        recorder.finishDiscovery(source(), T0 + i * 10 * MIN, undefined, quiet);
        seen.push(next() / MIN);
      }
      expect(seen).toEqual([1.5, 2.25, 3.375, 5.0625, 7.59375, 8]);
      // A round without any answer retries sooner and leaves the pace alone.
      recorder.finishDiscovery(source(), T0 + 90 * MIN, 5_000);
      expect(next()).toBe(5_000);
      expect(cadence.get(source().id)!.intervalMs).toBe(8 * MIN);
      // A new recorder (a restart) goes on from the stored pace.
      const again = new Recorder(store, schedule, pino({ level: 'silent' }), () => 0.5);
      again.finishDiscovery(source(), T0 + 100 * MIN, undefined, { newTargets: 1, overflowed: false });
      expect(next()).toBe(4 * MIN);
      again.finishDiscovery(source(), T0 + 110 * MIN, undefined, { newTargets: 60, overflowed: true });
      expect(next()).toBe(MIN);
    } finally {
      store.close();
    }
  });
});

import { eventDedupeKey } from '../../../src/domain/decision';
import {
  decideListing,
  listingSpan,
  needsAccountPosts,
  needsStillAlive,
  type ListingFacts,
  type ListingSource,
} from '../../../src/domain/decision-listing';

const T0 = Date.UTC(2024, 0, 10, 2, 0, 0);
const keyword: ListingSource = {
  id: 3,
  watchId: 'w',
  platform: 'weibo',
  mode: 'keyword',
  query: '联合国',
  blocked: false,
  lastResultsAt: T0 - 1000,
};
const account: ListingSource = { ...keyword, id: 4, mode: 'account', query: '1001' };
const facts = (over: Partial<ListingFacts> = {}): ListingFacts => ({
  at: T0,
  outcome: 'results',
  message: null,
  listed: ['a', 'b'],
  shown: ['a', 'b'],
  page: null,
  ...over,
});
const none = { stillAlive: null, inSpan: [], ofAccount: [] };

describe('decideListing', () => {
  it('a search with results after a block is search.unblocked, told once per change', () => {
    const d = decideListing({ ...keyword, blocked: true }, facts(), none);
    expect(d.search).toEqual({ state: 'results', blocked: false, lastResultsAt: T0 });
    expect(d.events.map((e) => e.type)).toEqual(['search.unblocked']);
    expect(d.events[0]!.keyword).toBe('联合国');
    expect(eventDedupeKey(d.events[0]!, null, 'w')).toBe(`search.unblocked:3:${T0}:search.unblocked:w`);
    expect(decideListing(keyword, facts(), none).events).toEqual([]);
  });

  it('a withholding notice blocks; zero results block only while earlier results are alive', () => {
    const withheld = decideListing(
      keyword,
      facts({ outcome: 'withheld', listed: [], message: '根据相关法律' }),
      none,
    );
    expect(withheld.search?.blocked).toBe(true);
    expect(withheld.events[0]!.detail).toEqual({ reason: 'notice', notice: '根据相关法律', results: 0 });
    const empty = facts({ outcome: 'empty', listed: [] });
    expect(needsStillAlive(keyword, empty)).toBe(true);
    const hiding = decideListing(keyword, empty, { ...none, stillAlive: 2 });
    expect(hiding.search).toEqual({ state: 'empty', blocked: true, lastResultsAt: T0 - 1000 });
    expect(hiding.events[0]!.detail.reason).toBe('zero results while earlier results are alive');
    const quiet = decideListing(keyword, empty, { ...none, stillAlive: 0 });
    expect(quiet.search?.blocked).toBe(false);
    expect(quiet.events).toEqual([]);
  });

  it('only a keyword search first page sets the search state; a transient page none', () => {
    expect(decideListing(keyword, facts({ page: 'p2' }), none).search).toBeNull();
    expect(decideListing(account, facts(), none).search).toBeNull();
    expect(decideListing(keyword, facts({ outcome: 'rate_limited', listed: [] }), none).search).toBeNull();
  });

  it('checks at once a known alive post inside the page span but missing from it', () => {
    const inSpan = [
      { rowId: 1, nativeId: 'a' },
      { rowId: 2, nativeId: 'x' },
    ];
    const d = decideListing(keyword, facts(), { ...none, inSpan });
    expect(d.checkNow).toEqual([2]);
    expect(d.unlisted).toEqual([]);
    // Missing from its author's own timeline: noted as unlisted too.
    const t = decideListing(account, facts(), { ...none, inSpan });
    expect(t.checkNow).toEqual([2]);
    expect(t.unlisted).toEqual([2]);
  });

  it('an account timeline that comes back empty checks all its alive posts', () => {
    const empty = facts({ outcome: 'empty', listed: [] });
    expect(needsAccountPosts(account, empty)).toBe(true);
    expect(decideListing(account, empty, { ...none, ofAccount: [5, 6] }).checkNow).toEqual([5, 6]);
    expect(needsAccountPosts(account, facts({ outcome: 'empty', listed: [], page: 'p2' }))).toBe(false);
  });

  it('a page bounds a span by its listed posts own creation times; a first timeline page is open at the top', () => {
    expect(listingSpan(keyword, facts(), [T0 - 5000, T0 - 1000])).toEqual({ from: T0 - 5000, to: T0 - 1000 });
    expect(listingSpan(keyword, facts(), [T0 - 5000])).toBeNull();
    expect(listingSpan(account, facts(), [T0 - 5000])).toEqual({ from: T0 - 5000, to: null });
    expect(listingSpan(account, facts({ page: 'p2' }), [T0 - 5000])).toBeNull();
    expect(listingSpan(keyword, facts({ outcome: 'empty', listed: [] }), [T0, T0 + 1])).toBeNull();
  });

  it('a page with parts the parser could not read bounds no span: a post may hide in them', () => {
    expect(listingSpan(account, facts({ unread: 1 }), [T0 - 5000, T0 - 1000])).toBeNull();
    expect(listingSpan(keyword, facts({ unread: 2 }), [T0 - 5000, T0 - 1000])).toBeNull();
    expect(listingSpan(keyword, facts({ unread: 0 }), [T0 - 5000, T0 - 1000])).not.toBeNull();
  });
});

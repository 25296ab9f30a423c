import { PARSE_MIN_ANSWERS, ParseHealth } from '../../../src/engine/host-health';
import { answersOf, type WorkResult } from '../../../src/engine/work';
import type { ListingResult } from '../../../src/platforms/platform';

describe('parse health per endpoint', () => {
  it('raises once when half of an endpoint’s recent answers stop parsing, and re-arms after recovery', () => {
    const h = new ParseHealth();
    for (let i = 0; i < 12; i++) expect(h.note('netease.article', 'alive')?.degraded).toBe(false);
    const raised: number[] = [];
    for (let i = 0; i < 15; i++) if (h.note('netease.article', 'unparseable')?.degraded) raised.push(i);
    // 20-answer window: the 10th unparseable answer makes half of it unparseable.
    expect(raised).toEqual([9]);
    for (let i = 0; i < 20; i++) h.note('netease.article', 'alive');
    let again = false;
    for (let i = 0; i < 15; i++) again ||= h.note('netease.article', 'unparseable')?.degraded ?? false;
    expect(again).toBe(true);
  });

  it('ignores blocking and transport failures, and keeps endpoints apart', () => {
    const h = new ParseHealth();
    for (let i = 0; i < 50; i++) expect(h.note('m.statuses.show', 'rate_limited')).toBeNull();
    for (let i = 0; i < 50; i++) h.note('m.statuses.show', 'alive');
    const flags = Array.from({ length: PARSE_MIN_ANSWERS - 1 }, () =>
      h.note('weibo.listing.keyword', 'unparseable'),
    );
    // Too few answers of the listing endpoint to judge yet; the show endpoint is untouched.
    expect(flags.every((f) => f?.degraded === false)).toBe(true);
    expect(h.note('weibo.listing.keyword', 'unparseable')?.degraded).toBe(true);
    expect(h.note('m.statuses.show', 'alive')?.unparseable).toBe(0);
  });

  it('a listing page with cards the parser could not read is an unparseable answer of its listing endpoint', () => {
    const page = (listing: ListingResult) => ({ cursor: null, at: 0, listing });
    const results: ListingResult = { outcome: 'results', observations: [], nextCursor: null };
    const result = {
      type: 'discover',
      item: { platform: 'weibo', mode: 'account' },
      pages: [
        page(results),
        page({ ...results, unread: ['card_type 207'] }),
        page({ ...results, unread: [] }),
      ],
    } as unknown as WorkResult;
    expect(answersOf(result)).toEqual([
      { endpoint: 'weibo.listing.account', outcome: 'results' },
      { endpoint: 'weibo.listing.account', outcome: 'unparseable' },
      { endpoint: 'weibo.listing.account', outcome: 'results' },
    ]);
  });
});

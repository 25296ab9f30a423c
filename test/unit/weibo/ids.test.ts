import { bidToMid, isBid, isMid, midToBid } from '../../../src/platforms/weibo/ids';

// The pairs of research/weibo.md §1.7, each checked there with an independent implementation.
const PAIRS: ReadonlyArray<readonly [mid: string, bid: string, source: string]> = [
  ['3491273850170657', 'yCirT0Iox', 'arsenal tests'],
  ['231101124784859058', 'Bh0tgako3U', 'arsenal tests (18 digits)'],
  ['3501756485200075', 'z0JH2lOMb', 'nghuyong docstring'],
  ['4607741009594608', 'K3fnuEfZK', 'stablog'],
  ['4414052358656728', 'I5Tz5Ak0E', 'stablog'],
  ['4383183661430868', 'HyTZc60ew', 'timeline sample'],
  ['4383411844046171', 'HyZVegYAP', 'statuses/show sample'],
  ['5232630992732508', 'QdGSDbsQI', '2025 post'],
];

describe('mid ↔ bid (research §1.7 table)', () => {
  test.each(PAIRS)('mid %s → bid %s (%s)', (mid, bid) => {
    expect(midToBid(mid)).toBe(bid);
  });
  test.each(PAIRS)('mid %s ← bid %s (%s)', (mid, bid) => {
    expect(bidToMid(bid)).toBe(mid);
  });

  test('inner groups are zero-padded: a mid with a 0000xxx group round-trips', () => {
    const mid = '4380000000012345';
    expect(bidToMid(midToBid(mid))).toBe(mid);
  });

  test('rejects non-ids instead of producing garbage', () => {
    expect(() => midToBid('12a4')).toThrow(RangeError);
    expect(() => bidToMid('Hy-Veg')).toThrow(RangeError);
    expect(isMid('4383411844046171')).toBe(true);
    expect(isBid('HyZVegYAP')).toBe(true);
    expect(isBid('4383411844046171')).toBe(false);
  });
});

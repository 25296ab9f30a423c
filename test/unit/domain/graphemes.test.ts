import { mayJoin, splitGraphemes } from '../../../src/domain/diff';

/**
 * splitGraphemes asks Intl.Segmenter only when a character may join another; otherwise it splits
 * by code point. This holds the shortcut to Intl.Segmenter itself: for every code point of the
 * planes in use that takes the shortcut, placed after and before itself, a Hangul syllable, an
 * emoji, a letter and a CJK ideograph, the shortcut's split is Intl.Segmenter's.
 */
const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const segment = (s: string): string[] => Array.from(segmenter.segment(s), (g) => g.segment);

const PLANES: ReadonlyArray<readonly [number, number]> = [
  [0x0, 0xd7ff],
  [0xe000, 0xffff],
  [0x10000, 0x1ffff],
  [0x20000, 0x2ffff],
  [0xe0000, 0xe0fff],
];

/** Every code point of PLANES that takes the shortcut. */
function shortcutCodePoints(): string[] {
  const out: string[] = [];
  for (const [lo, hi] of PLANES)
    for (let c = lo; c <= hi; c++) {
      const ch = String.fromCodePoint(c);
      if (!mayJoin(ch)) out.push(ch);
    }
  return out;
}

describe('splitGraphemes', () => {
  const plain = shortcutCodePoints();

  it('covers most of the planes: the shortcut is the common case', () => {
    expect(plain.length).toBeGreaterThan(100_000);
  });

  it.each([
    ['itself', (c: string) => c + c],
    ['a Hangul syllable', (c: string) => `가${c}각`],
    ['an emoji', (c: string) => `👍${c}👍`],
    ['a CJK ideograph', (c: string) => `中${c}国`],
  ])('agrees with Intl.Segmenter for every shortcut code point beside %s', (_, around) => {
    const wrong: string[] = [];
    for (let i = 0; i < plain.length && wrong.length < 10; i += 4096) {
      const text = plain
        .slice(i, i + 4096)
        .map(around)
        .join('');
      expect(mayJoin(text)).toBe(false);
      const fast = splitGraphemes(text);
      const slow = segment(text);
      if (fast.join('\u0000') === slow.join('\u0000')) continue;
      for (const g of slow)
        if (Array.from(g).length > 1 && wrong.length < 10)
          wrong.push([...g].map((x) => x.codePointAt(0)!.toString(16)).join('+'));
    }
    expect(wrong).toEqual([]);
  });

  it('keeps combined characters whole where they occur', () => {
    expect(splitGraphemes('e\u0301👍🏽🇨🇳가\r\n')).toEqual(['e\u0301', '👍🏽', '🇨🇳', '가', '\r\n']);
    expect(splitGraphemes('联合国\n投票')).toEqual(['联', '合', '国', '\n', '投', '票']);
  });
});

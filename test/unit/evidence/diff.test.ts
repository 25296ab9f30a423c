import { diffText, renderDiff, type DiffPart } from '../../../src/domain/diff';

const side = (parts: readonly DiffPart[], keep: '-' | '+'): string =>
  parts
    .filter((p) => p.op === '=' || p.op === keep)
    .map((p) => p.text)
    .join('');

describe('edit diffs', () => {
  it('compares Chinese character by character', () => {
    expect(renderDiff(diffText('中国投票赞成决议', '中国投票反对决议。'))).toBe(
      '中国投票[-赞成-]{+反对+}决议{+。+}',
    );
  });

  it('compares Japanese character by character', () => {
    expect(renderDiff(diffText('国連総会で採決された', '国連総会で否決された'))).toBe(
      '国連総会で[-採-]{+否+}決された',
    );
  });

  it('keeps an emoji or a combined character whole', () => {
    const parts = diffText('投票👍🏽结果', '投票👎🏽结果');
    expect(parts).toEqual([
      { op: '=', text: '投票' },
      { op: '-', text: '👍🏽' },
      { op: '+', text: '👎🏽' },
      { op: '=', text: '结果' },
    ]);
  });

  it('compares Latin text word by word', () => {
    expect(renderDiff(diffText('The vote was postponed today', 'The vote was cancelled today'))).toBe(
      'The vote was [-postponed-]{+cancelled+} today',
    );
  });

  it('identical texts give one kept part, empty texts none', () => {
    expect(diffText('abc', 'abc')).toEqual([{ op: '=', text: 'abc' }]);
    expect(diffText('', '')).toEqual([]);
    expect(diffText('', '新')).toEqual([{ op: '+', text: '新' }]);
  });

  it('texts that share nothing over a long stretch become one removal and one insertion, without a quadratic table', () => {
    const a = '甲'.repeat(100_000);
    const b = '乙'.repeat(100_000);
    expect(diffText(a, b)).toEqual([
      { op: '-', text: a },
      { op: '+', text: b },
    ]);
  });

  it('always rebuilds both texts (seeded random edits)', () => {
    const seed = 20230427;
    let s = seed;
    const rand = (n: number): number => {
      s = (s * 1103515245 + 12345) % 2 ** 31;
      return s % n;
    };
    const alphabet = ['联', '合', '国', '投', '票', ' ', 'vote', 'UN', '。', '👍🏽'];
    for (let i = 0; i < 300; i++) {
      const a = Array.from({ length: rand(40) }, () => alphabet[rand(alphabet.length)]).join('');
      const chars = Array.from(a);
      for (let k = rand(5); k > 0; k--)
        chars.splice(rand(chars.length + 1), rand(3), alphabet[rand(alphabet.length)]!);
      const b = chars.join('');
      const parts = diffText(a, b);
      const label = `seed ${seed}, case ${i}: ${JSON.stringify([a, b])}`;
      expect({ label, before: side(parts, '-'), after: side(parts, '+') }).toEqual({
        label,
        before: a,
        after: b,
      });
    }
  });
});

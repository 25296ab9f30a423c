import { parseDuration, formatDuration } from '../../../src/domain/duration';
import { diffText, renderDiff } from '../../../src/domain/diff';

describe('durations', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['5m', 300_000],
    ['2h', 7_200_000],
    ['7d', 604_800_000],
    ['1h30m', 5_400_000],
    ['1.5s', 1500],
  ])('%s = %d ms', (s, ms) => expect(parseDuration(s)).toBe(ms));

  it.each(['', '5', 'five minutes', '5 mins', '-5s', 'm5'])('rejects %p', (s) =>
    expect(parseDuration(s)).toBeNull(),
  );

  it('formats back', () => {
    expect(formatDuration(90_000)).toBe('1m30s');
    expect(formatDuration(250)).toBe('250ms');
  });
});

describe('text diff', () => {
  it('marks insertions and removals by character', () => {
    expect(renderDiff(diffText('中国投票赞成决议', '中国投票反对决议。'))).toBe(
      '中国投票[-赞成-]{+反对+}决议{+。+}',
    );
  });
  it('identical texts give one kept part', () => {
    expect(diffText('abc', 'abc')).toEqual([{ op: '=', text: 'abc' }]);
  });
});

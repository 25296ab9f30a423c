import { InvalidArgumentError } from 'commander';
import { loadConfig } from '../../../src/config';
import { durationSpelling } from '../../../src/config/fields';
import { durationArg, runDurationArg } from '../../../src/cli/support';
import { configError, MINIMAL, removeTempDirs, writeYaml } from './helpers';

afterAll(removeTempDirs);

/** Durations as researchers write them in prose: refused (the unit is exact), with what to write. */
describe('a duration written in words', () => {
  it.each([
    ['90 min', '90m'],
    ['15mins', '15m'],
    ['2 hours', '2h'],
    ['1 H', '1h'],
    ['1h 30m', '1h30m'],
    ['1 hour and 30 minutes', '1h30m'],
    ['1 hr, 30 min', '1h30m'],
    ['30 sec', '30s'],
    ['500 ms', '500ms'],
    ['7 days', '7d'],
    ['2 weeks', '2w'],
    ['1.5 h', '1.5h'],
  ])('%j is respelt as %j', (input, expected) => {
    expect(durationSpelling(input)).toBe(expected);
  });

  it.each(['90m', '1h30m', '5M', '3 months', 'soon', '90', '-5 min', '', '1 fortnight'])(
    '%j gets no suggestion (already right, ambiguous or no duration)',
    (input) => {
      expect(durationSpelling(input)).toBeNull();
    },
  );

  it('the config names the field and what to write, every field at once', () => {
    const file = writeYaml(
      `${MINIMAL}schedule:\n  discoverEvery: 90 min\n  ladder: [2m, 1 hour, 3 months]\n`,
    );
    const err = configError(() => loadConfig(file, {}));
    expect(err.message.split('\n').sort()).toEqual([
      'schedule.discoverEvery: invalid duration "90 min" (did you mean 90m?): use a duration such as 500ms, 30s, 5m, 2h, 7d (line 7)',
      'schedule.ladder[1]: invalid duration "1 hour" (did you mean 1h?): use a duration such as 500ms, 30s, 5m, 2h, 7d (line 8)',
      'schedule.ladder[2]: invalid duration "3 months": use a duration such as 500ms, 30s, 5m, 2h, 7d (line 8)',
    ]);
  });

  it('a flag says what to write too', () => {
    for (const parse of [durationArg, runDurationArg]) {
      expect(() => parse('90 min')).toThrow(
        new InvalidArgumentError('expected a duration like 30s, 10m, 2h or 7d (did you mean 90m?)'),
      );
      expect(() => parse('soon')).toThrow(
        new InvalidArgumentError('expected a duration like 30s, 10m, 2h or 7d'),
      );
    }
  });
});

import { InvalidArgumentError } from 'commander';
import { UsageError } from '../../../src/errors';
import { checkTimeRange, timeArg } from '../../../src/cli/support';

describe('--since / --until values', () => {
  test.each([
    ['2023-04-27', Date.UTC(2023, 3, 27)],
    ['2023-04-27T08:00:00Z', Date.UTC(2023, 3, 27, 8)],
    ['2023-04-27T08:00', Date.UTC(2023, 3, 27, 8)],
    ['2023-04-27 08:00:30', Date.UTC(2023, 3, 27, 8, 0, 30)],
    ['2023-04-27T08:00:00.5Z', Date.UTC(2023, 3, 27, 8, 0, 0, 500)],
    ['2023-04-27T16:00:00+08:00', Date.UTC(2023, 3, 27, 8)],
    ['2023-04-27T03:00-0500', Date.UTC(2023, 3, 27, 8)],
    ['2024-02-29', Date.UTC(2024, 1, 29)],
  ])('%s is read, in UTC unless it says otherwise', (value, expected) => {
    expect(timeArg(value)).toBe(expected);
  });

  test.each([
    // Date.parse reads these as 2001-01-01, 2001-03-07, 2000-01-01 and 2025-03-02.
    '1',
    'March 7',
    '0',
    '2025-02-30',
    '2023-02-29',
    '2023-13-01',
    '2023-04-27T24:00',
    '2023-04-27T08:60',
    '2023-04-27T08:00+25:00',
    'yesterday',
    '27/04/2023',
    '',
  ])('%j is refused as a bad flag value', (value) => {
    expect(() => timeArg(value)).toThrow(InvalidArgumentError);
  });

  test('a range whose end is not after its start is a usage error naming --until', () => {
    const since = Date.UTC(2025, 1, 1);
    const until = Date.UTC(2025, 0, 1);
    expect(() => checkTimeRange(since, until)).toThrow(UsageError);
    expect(() => checkTimeRange(since, since)).toThrow(/not after --since/);
    let caught: unknown;
    try {
      checkTimeRange(since, until);
    } catch (err) {
      caught = err;
    }
    expect((caught as UsageError).option).toBe('--until');
    expect(() => checkTimeRange(until, since)).not.toThrow();
    expect(() => checkTimeRange(since, undefined)).not.toThrow();
    expect(() => checkTimeRange(undefined, until)).not.toThrow();
  });
});

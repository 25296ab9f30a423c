import { InvalidArgumentError } from 'commander';
import { runDurationArg } from '../../../src/cli/support';
import { afterLong } from '../../../src/cli/timers';

const DAY = 86_400_000;

describe('a run of more than a timer can wait', () => {
  afterEach(() => jest.useRealTimers());

  it('ends after 30 days, not at once (a single timer past 2^31 - 1 ms fires immediately)', () => {
    jest.useFakeTimers();
    const fired = jest.fn();
    afterLong(30 * DAY, fired);
    jest.advanceTimersByTime(30 * DAY - 1);
    expect(fired).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledTimes(1);
  });

  it('can be cancelled between its steps', () => {
    jest.useFakeTimers();
    const fired = jest.fn();
    const cancel = afterLong(60 * DAY, fired);
    jest.advanceTimersByTime(40 * DAY);
    cancel();
    jest.advanceTimersByTime(40 * DAY);
    expect(fired).not.toHaveBeenCalled();
  });

  it('--duration takes a study-long run and refuses none at all', () => {
    expect(runDurationArg('90d')).toBe(90 * DAY);
    for (const bad of ['0s', '-1h', 'soon']) expect(() => runDurationArg(bad)).toThrow(InvalidArgumentError);
  });
});

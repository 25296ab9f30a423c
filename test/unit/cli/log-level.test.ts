import { logLevelFromEnv } from '../../../src/cli/support';
import { UsageError } from '../../../src/errors';
import { LOG_LEVELS } from '../../../src/logger';

describe('CENSORWATCH_LOG', () => {
  it('takes every pino level, in any case; unset or empty is info', () => {
    for (const level of LOG_LEVELS)
      expect(logLevelFromEnv({ CENSORWATCH_LOG: level.toUpperCase() })).toBe(level);
    expect(logLevelFromEnv({})).toBe('info');
    expect(logLevelFromEnv({ CENSORWATCH_LOG: '' })).toBe('info');
  });

  it('refuses an unknown level naming the variable, as bad usage (exit 2)', () => {
    let err: unknown;
    try {
      logLevelFromEnv({ CENSORWATCH_LOG: 'verbose' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(2);
    expect((err as UsageError).issues).toEqual([
      {
        path: 'CENSORWATCH_LOG',
        message: 'expected one of fatal, error, warn, info, debug, trace, silent, received "verbose"',
      },
    ]);
  });
});

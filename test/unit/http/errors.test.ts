import {
  CriticalError,
  NonRetryableError,
  RetryableError,
  isCritical,
  isRetryable,
} from '../../../src/http/errors';

describe('error hierarchy', () => {
  it('carries the retry policy in the type and keeps the cause', () => {
    const cause = new Error('SQLITE_BUSY');
    const retryable = new RetryableError('store busy', { cause });
    const nonRetryable = new NonRetryableError('unknown target');
    const critical = new CriticalError('database locked by another recorder', { cause });

    expect(retryable.cause).toBe(cause);
    expect(critical.cause).toBe(cause);
    expect(nonRetryable.cause).toBeUndefined();
    expect([retryable.name, nonRetryable.name, critical.name]).toEqual([
      'RetryableError',
      'NonRetryableError',
      'CriticalError',
    ]);
    expect([isRetryable(retryable), isRetryable(nonRetryable), isRetryable(critical)]).toEqual([
      true,
      false,
      false,
    ]);
    expect(critical).toBeInstanceOf(NonRetryableError);
    expect([isCritical(critical), isCritical(nonRetryable), isCritical(new Error('x'))]).toEqual([
      true,
      false,
      false,
    ]);
  });

  it('treats unknown errors as retryable', () => {
    expect(isRetryable(new TypeError('socket hang up'))).toBe(true);
  });
});

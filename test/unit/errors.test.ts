import {
  CriticalError,
  NonRetryableError,
  RetryableError,
  isCritical,
  isRetryable,
  ConfigError,
  WebhookConfigError,
  WebhookSecretError,
  UsageError,
  UnknownWatchError,
  UnknownClaimWatchError,
  UnknownTargetError,
} from '../../src/errors';
import { secretKey } from '../../src/alerts/sign';

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

  it('puts bad config among the critical errors, keeping its exit code, issues and cause', () => {
    const cause = new Error('ENOENT');
    const err = new ConfigError([{ path: 'watches[0].id', message: 'required', line: 3 }], 'w.yaml', {
      cause,
    });
    expect(err).toBeInstanceOf(CriticalError);
    expect([err.name, err.exitCode, err.source, err.message]).toEqual([
      'ConfigError',
      2,
      'w.yaml',
      'watches[0].id: required (line 3)',
    ]);
    expect(err.cause).toBe(cause);
    expect(isRetryable(err)).toBe(false);
    expect(isCritical(err)).toBe(true);
  });

  it('makes webhook errors non-retryable without stopping the worker', () => {
    const thrown = (() => {
      try {
        secretKey('whsec_***');
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(thrown).toBeInstanceOf(WebhookSecretError);
    for (const err of [thrown, new WebhookConfigError('unknown webhook "x"')]) {
      expect(err).toBeInstanceOf(NonRetryableError);
      expect(isRetryable(err)).toBe(false);
      expect(isCritical(err)).toBe(false);
    }
    expect((thrown as Error).name).toBe('WebhookSecretError');
  });
});

describe('usage errors', () => {
  it('puts the unknown watch and target errors under ConfigError, naming the flag (exit 2)', () => {
    const errs = [
      new UnknownWatchError('everyday', '--baseline', 'data/w.db'),
      new UnknownClaimWatchError('un-vote', '--watch'),
      new UnknownTargetError('weibo:123', 'data/w.db'),
    ];
    for (const e of errs) {
      expect(e).toBeInstanceOf(UsageError);
      expect(e).toBeInstanceOf(ConfigError);
      expect(e.exitCode).toBe(2);
      expect(e.source).toBeNull();
      expect(isRetryable(e)).toBe(false);
    }
    expect(errs.map((e) => [e.name, e.option, e.message])).toEqual([
      [
        'UnknownWatchError',
        '--baseline',
        '--baseline: watch "everyday" has no data in data/w.db (no run has recorded it yet)',
      ],
      [
        'UnknownClaimWatchError',
        '--watch',
        '--watch: watch "un-vote" has no data in the database (no run has recorded it yet)',
      ],
      ['UnknownTargetError', '--target', '--target: no target weibo:123 in data/w.db'],
    ]);
  });
});

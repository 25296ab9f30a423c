import pino, { type Logger } from 'pino';
import { REDACT_PATHS } from '../alerts/redact';

/**
 * The process's root logger: JSON lines to stderr, so commands that produce data keep stdout for
 * it. Level from `CENSORWATCH_LOG` (default `info`). Cookies, tokens, secrets and webhook URLs are
 * redacted by fixed paths.
 */
export function createRootLogger(
  options: { level?: string; destination?: NodeJS.WritableStream; redact?: readonly string[] } = {},
): Logger {
  return pino(
    {
      level: options.level ?? process.env.CENSORWATCH_LOG ?? 'info',
      base: { pid: process.pid },
      redact: { paths: [...REDACT_PATHS, ...(options.redact ?? [])], censor: '[redacted]' },
    },
    options.destination ?? pino.destination({ fd: 2, sync: false }),
  );
}

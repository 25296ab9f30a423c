import pino, { type Logger } from 'pino';
import { REDACT_PATHS } from '../alerts/redact';
import type { RecordedEvent } from '../engine/recorder';

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

/** An engine `onEvents` handler that logs each recorded event as one line, at info. */
export function logEvents(logger: Logger): (events: readonly RecordedEvent[]) => void {
  return (events) => {
    for (const e of events) {
      logger.info(
        {
          event: e.type,
          platform: e.platform,
          target: e.targetId,
          keyword: e.keyword,
          cause: e.cause,
          watch: e.watch,
        },
        e.type,
      );
    }
  };
}

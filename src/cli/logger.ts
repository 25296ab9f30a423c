import pino, { type Logger } from 'pino';

/** Paths redacted in every log line: cookies, tokens and secrets never reach a log. */
export const BASE_REDACT_PATHS: readonly string[] = [
  'cookie',
  '*.cookie',
  'headers.cookie',
  '*.headers.cookie',
  'headers["set-cookie"]',
  '*.headers["set-cookie"]',
  'secret',
  '*.secret',
  'token',
  '*.token',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
];

/**
 * The process's root logger: JSON lines to stderr, so commands that produce data keep stdout for
 * it. Level from `CENSORWATCH_LOG` (default `info`).
 */
export function createRootLogger(
  options: { level?: string; destination?: NodeJS.WritableStream; redact?: readonly string[] } = {},
): Logger {
  return pino(
    {
      level: options.level ?? process.env.CENSORWATCH_LOG ?? 'info',
      base: { pid: process.pid },
      redact: { paths: [...BASE_REDACT_PATHS, ...(options.redact ?? [])], censor: '[redacted]' },
    },
    options.destination ?? pino.destination({ fd: 2, sync: false }),
  );
}

/**
 * The root logger and what it must never print. One root logger per process, made by the CLI;
 * modules get `child()` loggers through their constructors.
 *
 * REDACT_PATHS keep cookies, tokens, webhook secrets and signatures out of every log line. The
 * alerter never logs these fields on purpose, so the list is a second line of defence against a
 * stray `{ config }` or `{ headers }`. Wildcards in pino paths match one level, so the usual
 * nestings are listed explicitly.
 */
import pino, { type Logger } from 'pino';

/** pino redaction paths applied by {@link createRootLogger}. */
export const REDACT_PATHS: readonly string[] = [
  // secrets and tokens, at the top level and one or two levels down
  'secret',
  '*.secret',
  '*.*.secret',
  'token',
  '*.token',
  'password',
  '*.password',
  // a loaded config: webhook secrets and URLs (Slack-style hook URLs are bearer credentials), platform cookies
  'webhooks[*].secret',
  '*.webhooks[*].secret',
  'alerts.webhooks[*].secret',
  '*.alerts.webhooks[*].secret',
  'webhooks[*].url',
  '*.webhooks[*].url',
  'alerts.webhooks[*].url',
  '*.alerts.webhooks[*].url',
  'platforms.*.cookie',
  '*.platforms.*.cookie',
  // cookies
  'cookie',
  '*.cookie',
  'cookies',
  '*.cookies',
  'headers.cookie',
  '*.headers.cookie',
  'headers["set-cookie"]',
  '*.headers["set-cookie"]',
  // authorization and webhook signatures on requests and responses
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'headers["webhook-signature"]',
  '*.headers["webhook-signature"]',
];

/** The levels pino knows, which `CENSORWATCH_LOG` takes. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

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
      // The CLI checks CENSORWATCH_LOG first (cli/support.ts), so a bad one is a usage error, not a crash.
      level: options.level ?? (process.env.CENSORWATCH_LOG || 'info'),
      base: { pid: process.pid },
      redact: { paths: [...REDACT_PATHS, ...(options.redact ?? [])], censor: '[redacted]' },
    },
    options.destination ?? pino.destination({ fd: 2, sync: false }),
  );
}

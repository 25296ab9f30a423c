/**
 * pino redaction paths that keep cookies, tokens, webhook secrets and signatures out of every log
 * line. The process root logger passes them to `redact`; the alerter never logs these fields on
 * purpose, so the list is a second line of defence against a stray `{ config }` or `{ headers }`.
 *
 * Wildcards in pino paths match one level, so the usual nestings are listed explicitly.
 */
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

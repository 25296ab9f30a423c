import { createHmac, randomBytes } from 'node:crypto';
import { WebhookSecretError } from '../errors';

export { WebhookSecretError };

/** Prefix of Standard Webhooks secrets; the rest is the base64 key. */
export const SECRET_PREFIX = 'whsec_';

/**
 * The HMAC key of a `whsec_…` secret: the base64 after the prefix, decoded. A secret without the
 * prefix is taken as bare base64, as the `standardwebhooks` libraries do.
 *
 * @throws WebhookSecretError when the secret is not valid base64 or decodes to nothing
 */
export function secretKey(secret: string): Buffer {
  const b64 = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  // Node's decoder skips bad characters silently; reject them so a mangled secret fails loudly.
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 === 1) {
    throw new WebhookSecretError('webhook secret is not whsec_ followed by base64');
  }
  const key = Buffer.from(b64, 'base64');
  if (key.length === 0) throw new WebhookSecretError('webhook secret is empty');
  return key;
}

/** A fresh `whsec_…` secret with a 32-byte key, for a researcher setting up a receiver. */
export function generateSecret(bytes: number = 32): string {
  return SECRET_PREFIX + randomBytes(bytes).toString('base64');
}

/**
 * The `v1,<base64>` signature of one message: HMAC-SHA256 over `id.timestamp.body` with the
 * secret's key, per the Standard Webhooks specification.
 *
 * @param timestampSeconds - whole seconds since the epoch, as sent in `webhook-timestamp`
 */
export function sign(secret: string, messageId: string, timestampSeconds: number, body: string): string {
  const mac = createHmac('sha256', secretKey(secret))
    .update(`${messageId}.${timestampSeconds}.${body}`, 'utf8')
    .digest('base64');
  return `v1,${mac}`;
}

/** The three Standard Webhooks headers of a message. */
export interface WebhookHeaders {
  readonly 'webhook-id': string;
  readonly 'webhook-timestamp': string;
  /** Absent when the webhook has no secret (unsigned delivery). */
  readonly 'webhook-signature'?: string;
}

/**
 * Headers for one send of a message. `webhook-id` stays the same across retries of a message;
 * the timestamp is the time of this send, so a retry is signed afresh.
 *
 * @param nowMs - epoch milliseconds of the send
 */
export function webhookHeaders(
  secret: string | null,
  messageId: string,
  nowMs: number,
  body: string,
): WebhookHeaders {
  const ts = Math.floor(nowMs / 1000);
  const headers = { 'webhook-id': messageId, 'webhook-timestamp': String(ts) };
  return secret === null ? headers : { ...headers, 'webhook-signature': sign(secret, messageId, ts, body) };
}

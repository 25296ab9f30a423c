import { request } from 'undici';

/** One HTTP POST of a webhook message. */
export interface WebhookRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** Whole-request timeout in ms (connect, headers and body). */
  readonly timeout: number;
  /** Aborts the request when the alerter stops. */
  readonly signal?: AbortSignal;
}

/** What the alerter needs of a response; the body is read and dropped. */
export interface WebhookResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/**
 * Sends one request. Resolves with any HTTP status; rejects only on transport failure or timeout
 * (both retried by the alerter).
 */
export type WebhookSender = (req: WebhookRequest) => Promise<WebhookResponse>;

/** Response bodies are not needed; reading a bounded amount lets the connection be reused. */
const DUMP_LIMIT = 64 * 1024;

/** The default {@link WebhookSender}: undici `request`, no redirects followed, one overall timeout. */
export const undiciSender: WebhookSender = async (req) => {
  const timeout = AbortSignal.timeout(req.timeout);
  const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
  const res = await request(req.url, {
    method: 'POST',
    headers: req.headers,
    body: req.body,
    headersTimeout: req.timeout,
    bodyTimeout: req.timeout,
    signal,
  });
  await res.body.dump({ limit: DUMP_LIMIT });
  return { status: res.statusCode, headers: res.headers };
};

import { createHash, randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { Clock } from '../domain/clock';
import { WebhookConfigError } from '../errors';
import type { WebhookConfig } from '../config/types';
import type { ClaimedDelivery, DeliveryCount, NewDelivery } from '../store/outbox';
import type { EventRow, Store, TargetRow } from '../store/store';
import {
  digestPayload,
  eventPayload,
  renderBody,
  testPayload,
  type AnyPayload,
  type EventPayload,
  type EvidenceRef,
} from './payload';
import { classifyStatus, DEFAULT_RETRY, parseRetryAfter, retryDelay, type RetryPolicy } from './retry';
import { secretKey, webhookHeaders } from './sign';
import { undiciSender, type WebhookResponse, type WebhookSender } from './sender';

export { WebhookConfigError };
export type { DeliveryCount };

/** Collaborators and settings of an {@link Alerter}. */
export interface AlerterOptions {
  readonly store: Store;
  readonly webhooks: readonly WebhookConfig[];
  /** Schedules retries and digests and stamps `webhook-timestamp`. */
  readonly clock: Clock;
  readonly logger: Logger;
  /** Sends one HTTP request. @defaultValue {@link undiciSender} */
  readonly fetch?: WebhookSender;
  /** Jitter source in [0, 1). @defaultValue Math.random */
  readonly random?: () => number;
  /** Backoff between attempts. @defaultValue base 5s, max 1h */
  readonly retry?: Partial<RetryPolicy>;
  /**
   * How long past a webhook's timeout a claimed message stays owned by the alerter that claimed
   * it; after that another (or a restarted) alerter resends it with the same `webhook-id`.
   * @defaultValue 30s
   */
  readonly leaseGrace?: number;
  /** Real-time wait between polls in {@link Alerter.runUntil}. @defaultValue 1s */
  readonly pollInterval?: number;
  /** Where the alerter starts when it has never read events: all of them, or only new ones. @defaultValue 'beginning' */
  readonly startAt?: 'beginning' | 'latest';
}

/** A message that will not be retried any more, for `status` and `alerts replay`. */
export interface DeadLetter {
  readonly webhook: string;
  readonly eventId: number;
  readonly eventType: string;
  readonly summary: string;
  /** The `webhook-id` it was sent with (and will be replayed with). */
  readonly messageId: string;
  readonly attempts: number;
  readonly lastStatus: number | null;
  readonly lastError: string | null;
  /** ISO 8601 UTC of the last attempt. */
  readonly failedAt: string;
}

/** The outcome of `alerts test`. */
export interface TestResult {
  readonly ok: boolean;
  readonly status: number | null;
  readonly error: string | null;
  readonly messageId: string;
}

/** The outcome of `alerts replay`. */
export interface ReplayResult {
  /** Dead deliveries put back in the queue. */
  readonly requeued: number;
  /** How many of those were delivered by the immediate resend. */
  readonly delivered: number;
}

type AttemptResult =
  | { readonly kind: 'response'; readonly response: WebhookResponse }
  | { readonly kind: 'error'; readonly error: string };

const CURSOR = 'webhooks';
const EVENT_BATCH = 500;
const EVIDENCE_LIMIT = 5;
const DEFAULT_LEASE_GRACE = 30_000;
const DEFAULT_POLL_INTERVAL = 1_000;

/** `webhook-id` of one event's message to one webhook: the delivery row's unique key, hashed. */
export function eventMessageId(eventId: number, webhook: string): string {
  return `msg_${createHash('sha256').update(`event:${eventId}:${webhook}`).digest('hex').slice(0, 32)}`;
}

/** `webhook-id` of a digest: one per webhook and interval. */
export function digestMessageId(webhook: string, windowStart: number): string {
  return `msg_${createHash('sha256').update(`digest:${windowStart}:${webhook}`).digest('hex').slice(0, 32)}`;
}

/** Dead deliveries, newest first; needs only the store, so `status` can show them without webhooks. */
export function listDeadLetters(store: Store, webhook?: string): DeadLetter[] {
  return store.outbox.dead(webhook).map((r) => ({
    webhook: r.webhook,
    eventId: r.eventId,
    eventType: r.eventType,
    summary: (JSON.parse(r.payload) as EventPayload).data.summary,
    messageId: r.messageId,
    attempts: r.attempts,
    lastStatus: r.lastStatus,
    lastError: r.lastError,
    failedAt: new Date(r.updatedAt).toISOString(),
  }));
}

/** Deliveries counted by webhook and state. */
export function countDeliveries(store: Store): DeliveryCount[] {
  return store.outbox.counts();
}

/** A short reason for a failed request. Duck-typed: errors from undici or DOM may come from another realm. */
function errorText(err: unknown, timeout: number): string {
  const e = (typeof err === 'object' && err !== null ? err : {}) as {
    name?: unknown;
    code?: unknown;
    message?: unknown;
  };
  if (
    e.name === 'TimeoutError' ||
    e.code === 'UND_ERR_HEADERS_TIMEOUT' ||
    e.code === 'UND_ERR_BODY_TIMEOUT'
  ) {
    return `timeout after ${timeout}ms`;
  }
  const message = typeof e.message === 'string' ? e.message : String(err);
  const label = typeof e.code === 'string' ? e.code : typeof e.name === 'string' ? e.name : 'Error';
  return `${label}: ${message}`;
}

/**
 * Delivers events to webhooks, signed per Standard Webhooks.
 *
 * Each (event, webhook) pair gets one `deliveries` row, created in the same transaction that moves
 * the alert cursor and before anything is sent. Sending claims the row (state `delivering`, with a
 * lease) in a transaction, so two alerters on one database never send a message at the same time,
 * and a restarted alerter resumes what was pending or cut off mid-request.
 *
 * **"At most one delivery" is in the receiver's terms.** A process killed after the receiver got a
 * request but before the answer was stored cannot know whether it arrived, so the message is sent
 * again once its lease runs out, with the same `webhook-id` (derived from the row, never random).
 * A receiver that drops ids it has already processed, as the Standard Webhooks specification asks,
 * therefore handles each event at most once; the wire may carry it more than once.
 */
export class Alerter {
  private readonly store: Store;
  private readonly hooks: ReadonlyMap<string, WebhookConfig>;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly send: WebhookSender;
  private readonly random: () => number;
  private readonly retry: RetryPolicy;
  private readonly leaseGrace: number;
  private readonly pollInterval: number;
  private readonly startAt: 'beginning' | 'latest';
  private readonly inflight = new Set<AbortController>();
  private closed = false;

  /** @throws WebhookConfigError on a duplicate webhook name or an unusable secret (named by webhook, never shown) */
  constructor(options: AlerterOptions) {
    const hooks = new Map<string, WebhookConfig>();
    for (const h of options.webhooks) {
      if (hooks.has(h.name))
        throw new WebhookConfigError(`webhook name ${JSON.stringify(h.name)} is used twice`);
      if (h.secret !== null) {
        try {
          secretKey(h.secret);
        } catch (err) {
          throw new WebhookConfigError(`webhook ${h.name}: ${(err as Error).message}`);
        }
      }
      hooks.set(h.name, h);
    }
    this.store = options.store;
    this.hooks = hooks;
    this.clock = options.clock;
    this.log = options.logger.child({ module: 'alerts' });
    this.send = options.fetch ?? undiciSender;
    this.random = options.random ?? Math.random;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.leaseGrace = options.leaseGrace ?? DEFAULT_LEASE_GRACE;
    this.pollInterval = options.pollInterval ?? DEFAULT_POLL_INTERVAL;
    this.startAt = options.startAt ?? 'beginning';
  }

  /**
   * Reads events recorded since the cursor, queues one delivery per matching webhook (filtered by
   * `events` and `watches`; digest webhooks into the current interval's batch), then sends every
   * message that is due.
   *
   * @returns the number of messages (HTTP requests) attempted
   */
  async poll(): Promise<number> {
    this.enqueue();
    return this.sendDue();
  }

  /** Polls until `signal` aborts, waiting `pollInterval` of real time between polls. */
  async runUntil(signal: AbortSignal): Promise<void> {
    while (!signal.aborted && !this.closed) {
      try {
        await this.poll();
      } catch (err) {
        this.log.error({ err }, 'alert poll failed');
      }
      try {
        await delay(this.pollInterval, undefined, { signal });
      } catch {
        break;
      }
    }
  }

  /**
   * Puts dead deliveries (of one webhook, or all configured ones) back in the queue with fresh
   * attempts and sends them at once, with their original `webhook-id`.
   *
   * @throws WebhookConfigError when `webhookName` is not configured
   */
  async replayDead(webhookName?: string): Promise<ReplayResult> {
    if (webhookName !== undefined) this.hook(webhookName);
    const names = webhookName !== undefined ? [webhookName] : [...this.hooks.keys()];
    if (names.length === 0) return { requeued: 0, delivered: 0 };
    const now = this.clock.now();
    const ids = this.store.outbox.deadIds(names);
    if (ids.length === 0) return { requeued: 0, delivered: 0 };
    const requeued = this.store.outbox.requeueDead(ids, now);
    this.log.info({ webhooks: names, requeued }, 'dead letters requeued');
    await this.sendDue();
    const delivered = this.store.outbox.countDelivered(ids);
    return { requeued, delivered };
  }

  /**
   * Sends one signed `webhook.test` message to a webhook, once, without storing it.
   *
   * @throws WebhookConfigError when `webhookName` is not configured
   */
  async sendTest(webhookName: string): Promise<TestResult> {
    const hook = this.hook(webhookName);
    const messageId = `msg_test_${randomBytes(12).toString('hex')}`;
    const result = await this.attempt(hook, messageId, testPayload(hook.name, this.clock.now()));
    const ok = result.kind === 'response' && classifyStatus(result.response.status) === 'delivered';
    const status = result.kind === 'response' ? result.response.status : null;
    const error = result.kind === 'error' ? result.error : ok ? null : `HTTP ${status}`;
    this.log.info({ webhook: hook.name, messageId, status, error, ok }, 'webhook test sent');
    return { ok, status, error, messageId };
  }

  /** Dead deliveries of the configured webhooks, newest first. */
  deadLetters(): DeadLetter[] {
    return listDeadLetters(this.store).filter((d) => this.hooks.has(d.webhook));
  }

  /**
   * Stops at once, as a killed process would: in-flight requests are aborted and nothing more is
   * written. Messages it had claimed are resent by the next alerter when their lease runs out.
   */
  close(): void {
    this.closed = true;
    for (const ac of this.inflight) ac.abort();
    this.inflight.clear();
  }

  // ---- queueing --------------------------------------------------------------------------------

  private hook(name: string): WebhookConfig {
    const h = this.hooks.get(name);
    if (!h) {
      const known = [...this.hooks.keys()];
      throw new WebhookConfigError(
        `no webhook named ${JSON.stringify(name)}${known.length ? ` (configured: ${known.join(', ')})` : ' (none configured)'}`,
      );
    }
    return h;
  }

  private cursor(): number {
    const at = this.store.outbox.cursor(CURSOR);
    if (at !== undefined) return at;
    if (this.startAt === 'beginning') return 0;
    const last = this.store.events.lastId();
    this.store.outbox.moveCursor(CURSOR, last, this.clock.now());
    return last;
  }

  private wants(hook: WebhookConfig, e: EventRow): boolean {
    if (hook.events.length > 0 && !hook.events.includes(e.type)) return false;
    if (hook.watches.length > 0 && (e.watchId === null || !hook.watches.includes(e.watchId))) return false;
    return true;
  }

  /** Moves the cursor over new events, creating their delivery rows in the same transaction. */
  private enqueue(): number {
    if (this.closed) return 0;
    let queued = 0;
    for (;;) {
      const events = this.store.listEvents({ afterId: this.cursor(), limit: EVENT_BATCH });
      const last = events[events.length - 1];
      if (!last) break;
      // One transaction: the payloads are read as the rows are queued.
      queued += this.store.transaction(() => {
        const now = this.clock.now();
        const deliveries: NewDelivery[] = [];
        for (const e of events) {
          let payload: string | null = null;
          for (const hook of this.hooks.values()) {
            if (!this.wants(hook, e)) continue;
            payload ??= JSON.stringify(this.payloadOf(e));
            let messageId = eventMessageId(e.id, hook.name);
            let batchKey: string | null = null;
            let dueAt = now;
            if (hook.digest !== null) {
              const start = Math.floor(now / hook.digest) * hook.digest;
              batchKey = `${start}-${start + hook.digest}`;
              messageId = digestMessageId(hook.name, start);
              dueAt = start + hook.digest;
            }
            deliveries.push({ eventId: e.id, webhook: hook.name, messageId, dueAt, batchKey, payload });
          }
        }
        return this.store.outbox.enqueue(CURSOR, last.id, deliveries, now);
      });
      if (events.length < EVENT_BATCH) break;
    }
    if (queued > 0) this.log.debug({ queued }, 'deliveries queued');
    return queued;
  }

  /** The payload of an event as it stands now: the target's last alive state and the evidence hashes. */
  private payloadOf(e: EventRow): EventPayload {
    let target: TargetRow | null = null;
    let evidence: EvidenceRef[] = [];
    if (e.nativeId !== null) {
      target =
        this.store.findTarget({ platform: e.platform, kind: e.kind ?? 'post', id: e.nativeId }) ?? null;
      if (target) {
        evidence = this.store.observations.evidence(target.rowId, e.at, EVIDENCE_LIMIT).map((o) => ({
          source: 'observation' as const,
          at: new Date(o.at).toISOString(),
          outcome: o.outcome,
          endpoint: o.endpoint,
          bodyHash: o.bodyHash,
          contentHash: o.contentHash,
          chain: o.chain,
        }));
      }
    } else if (e.keyword !== null) {
      evidence = this.store.sources
        .keywordEvidence(e.platform, e.keyword, e.watchId, e.at, EVIDENCE_LIMIT)
        .map((o) => ({
          source: 'search' as const,
          at: new Date(o.at).toISOString(),
          outcome: o.outcome,
          endpoint: null,
          bodyHash: o.bodyHash,
          contentHash: null,
          chain: null,
        }));
    }
    return eventPayload({ event: e, target, evidence });
  }

  // ---- sending ---------------------------------------------------------------------------------

  /** Sends every due message: webhooks in parallel, each webhook's messages in order. */
  private async sendDue(): Promise<number> {
    if (this.closed) return 0;
    const now = this.clock.now();
    const due = this.store.outbox.dueMessages(now);
    const byHook = new Map<string, string[]>();
    for (const d of due) {
      // Rows of a webhook no longer configured wait (and show in status) until it comes back.
      if (!this.hooks.has(d.webhook)) continue;
      const list = byHook.get(d.webhook) ?? [];
      list.push(d.messageId);
      byHook.set(d.webhook, list);
    }
    const counts = await Promise.all(
      [...byHook].map(async ([name, ids]) => {
        let n = 0;
        for (const id of ids) {
          if (this.closed) break;
          if (await this.deliver(this.hook(name), id)) n++;
        }
        return n;
      }),
    );
    return counts.reduce((a, b) => a + b, 0);
  }

  /** Claims, sends and settles one message. Returns false when another alerter had claimed it. */
  private async deliver(hook: WebhookConfig, messageId: string): Promise<boolean> {
    const now = this.clock.now();
    const lease = now + hook.timeout + this.leaseGrace;
    const rows = this.store.outbox.claim(hook.name, messageId, now, lease);
    const first = rows[0];
    if (!first) return false;
    const attempt = Math.max(...rows.map((r) => r.attempts));
    const result = await this.attempt(hook, messageId, this.messagePayload(rows));
    // A closed alerter stands for a killed process: it leaves the row to be resumed after its lease.
    if (this.closed) return true;
    this.settle(hook, messageId, rows, lease, attempt, result);
    return true;
  }

  private messagePayload(rows: readonly ClaimedDelivery[]): AnyPayload {
    const events = rows.map((r) => JSON.parse(r.payload) as EventPayload);
    const key = rows[0]?.batchKey ?? null;
    if (key === null) return events[0]!;
    const [from, until] = key.split('-').map(Number) as [number, number];
    return digestPayload(events, from, until);
  }

  private async attempt(hook: WebhookConfig, messageId: string, payload: AnyPayload): Promise<AttemptResult> {
    const body = renderBody(hook.format, payload);
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'censorwatch-alerts',
      ...webhookHeaders(hook.secret, messageId, this.clock.now(), body),
    };
    const ac = new AbortController();
    this.inflight.add(ac);
    try {
      const response = await this.send({
        url: hook.url,
        headers,
        body,
        timeout: hook.timeout,
        signal: ac.signal,
      });
      return { kind: 'response', response };
    } catch (err) {
      // The URL may itself be a credential (Slack hook URLs are): keep only its origin.
      return {
        kind: 'error',
        error: errorText(err, hook.timeout).split(hook.url).join(new URL(hook.url).origin),
      };
    } finally {
      this.inflight.delete(ac);
    }
  }

  private settle(
    hook: WebhookConfig,
    messageId: string,
    rows: readonly ClaimedDelivery[],
    lease: number,
    attempt: number,
    result: AttemptResult,
  ): void {
    const now = this.clock.now();
    const status = result.kind === 'response' ? result.response.status : null;
    const verdict = result.kind === 'response' ? classifyStatus(result.response.status) : 'retry';
    const error = result.kind === 'error' ? result.error : verdict === 'delivered' ? null : `HTTP ${status}`;
    const ids = rows.map((r) => r.id);
    const base = {
      webhook: hook.name,
      host: new URL(hook.url).host,
      messageId,
      events: ids.length,
      attempt,
      status,
    };
    // Guarded by the lease: if it ran out and another alerter took the message over, its word stands.
    if (verdict === 'delivered') {
      this.store.outbox.settle(ids, lease, now, { state: 'delivered', status });
      this.log.info(base, 'webhook delivered');
      return;
    }
    if (verdict === 'retry' && attempt < hook.maxAttempts) {
      const retryAfter =
        result.kind === 'response' ? parseRetryAfter(result.response.headers['retry-after'], now) : null;
      const wait = retryAfter ?? retryDelay(attempt, this.retry, this.random);
      this.store.outbox.settle(ids, lease, now, { state: 'pending', retryAt: now + wait, status, error });
      this.log.warn({ ...base, error, retryIn: wait }, 'webhook attempt failed, will retry');
      return;
    }
    this.store.outbox.settle(ids, lease, now, { state: 'dead', status, error });
    this.log.error({ ...base, error }, 'webhook delivery failed for good; kept as a dead letter');
  }
}

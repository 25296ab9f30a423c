import type { Sql } from './db';

/** A delivery's state: queued, claimed by an alerter mid-request, done, or given up. */
export type DeliveryState = 'pending' | 'delivering' | 'delivered' | 'dead';

/** Deliveries per webhook and state, for `status`. */
export interface DeliveryCount {
  readonly webhook: string;
  readonly state: DeliveryState;
  readonly count: number;
}

/** A dead delivery as `status` and `alerts replay` list it. */
export interface DeadDelivery {
  readonly webhook: string;
  readonly eventId: number;
  readonly eventType: string;
  readonly messageId: string;
  readonly attempts: number;
  readonly lastStatus: number | null;
  readonly lastError: string | null;
  readonly updatedAt: number;
  /** The event as it was queued (standard payload JSON). */
  readonly payload: string;
}

/** One event's row of a claimed message. */
export interface ClaimedDelivery {
  readonly id: number;
  readonly eventId: number;
  readonly attempts: number;
  readonly payload: string;
  readonly batchKey: string | null;
}

/** A delivery to queue: one event to one webhook. */
export interface NewDelivery {
  readonly eventId: number;
  readonly webhook: string;
  readonly messageId: string;
  readonly dueAt: number;
  readonly batchKey: string | null;
  readonly payload: string;
}

/** How a claimed message's attempt ended. */
export type Settlement =
  | { readonly state: 'delivered'; readonly status: number | null }
  | {
      readonly state: 'pending';
      readonly retryAt: number;
      readonly status: number | null;
      readonly error: string | null;
    }
  | { readonly state: 'dead'; readonly status: number | null; readonly error: string | null };

/**
 * The alert outbox: one `deliveries` row per (event, webhook), created with the move of the
 * alerter's cursor (`alert_cursors`) over the events, claimed with a lease before sending and
 * settled after, each step one transaction, so two alerters on one database never send a message
 * at the same time and a restarted one resumes what was pending or cut off.
 */
export class Outbox {
  constructor(private readonly sql: Sql) {}

  /** How far the named cursor has read the events; undefined before its first move. */
  cursor(name: string): number | undefined {
    return this.sql.get<{ last_event_id: number }>(
      `SELECT last_event_id FROM alert_cursors WHERE name = ?`,
      name,
    )?.last_event_id;
  }

  /** Moves a cursor forward to `to` (never back). */
  moveCursor(name: string, to: number, now: number): void {
    this.sql.run(
      `INSERT INTO alert_cursors (name, last_event_id, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET last_event_id = MAX(last_event_id, excluded.last_event_id), updated_at = excluded.updated_at`,
      name,
      to,
      now,
    );
  }

  /**
   * Moves the cursor to `to` and queues `deliveries` in one transaction; a delivery already queued
   * (same event and webhook) is left alone. Returns how many were new.
   */
  enqueue(cursor: string, to: number, deliveries: readonly NewDelivery[], now: number): number {
    return this.sql.transaction(() => {
      this.moveCursor(cursor, to, now);
      let n = 0;
      for (const d of deliveries) {
        n += this.sql.run(
          `INSERT OR IGNORE INTO deliveries (event_id, webhook, message_id, state, next_attempt_at, batch_key, payload, created_at, updated_at)
           VALUES (?, ?, ?, 'pending', ?, ?, ?, ?, ?)`,
          d.eventId,
          d.webhook,
          d.messageId,
          d.dueAt,
          d.batchKey,
          d.payload,
          now,
          now,
        ).changes;
      }
      return n;
    });
  }

  /** Messages due at `now` (pending and due, or claimed with a lease that ran out), oldest first. */
  dueMessages(now: number): { webhook: string; messageId: string }[] {
    return this.sql.query(
      `SELECT webhook, message_id AS messageId FROM deliveries
       WHERE (state = 'pending' AND next_attempt_at <= ?) OR (state = 'delivering' AND leased_until <= ?)
       GROUP BY webhook, message_id ORDER BY MIN(id)`,
      now,
      now,
    );
  }

  /**
   * Claims a due message for one attempt, leased until `lease` (which also identifies the claim):
   * its rows, in event order, or none when it was not due (another alerter claimed it).
   */
  claim(webhook: string, messageId: string, now: number, lease: number): ClaimedDelivery[] {
    return this.sql.transaction(() => {
      const claimed = this.sql.run(
        `UPDATE deliveries SET state = 'delivering', attempts = attempts + 1, leased_until = ?, updated_at = ?
         WHERE webhook = ? AND message_id = ?
           AND ((state = 'pending' AND next_attempt_at <= ?) OR (state = 'delivering' AND leased_until <= ?))`,
        lease,
        now,
        webhook,
        messageId,
        now,
        now,
      );
      if (claimed.changes === 0) return [];
      return this.sql.query<ClaimedDelivery>(
        `SELECT id, event_id AS eventId, attempts, payload, batch_key AS batchKey FROM deliveries
         WHERE webhook = ? AND message_id = ? AND state = 'delivering' AND leased_until = ? ORDER BY event_id`,
        webhook,
        messageId,
        lease,
      );
    });
  }

  /**
   * Records how an attempt ended, on the rows still held under `lease`: if the lease ran out and
   * another alerter took the message over, its word stands.
   */
  settle(ids: readonly number[], lease: number, now: number, s: Settlement): void {
    if (ids.length === 0) return;
    const guard = `id IN (${ids.map(() => '?').join(', ')}) AND state = 'delivering' AND leased_until = ?`;
    if (s.state === 'delivered') {
      this.sql.runDynamic(
        `UPDATE deliveries SET state = 'delivered', delivered_at = ?, updated_at = ?, last_status = ?, last_error = NULL,
           leased_until = NULL WHERE ${guard}`,
        now,
        now,
        s.status,
        ...ids,
        lease,
      );
    } else if (s.state === 'pending') {
      this.sql.runDynamic(
        `UPDATE deliveries SET state = 'pending', next_attempt_at = ?, updated_at = ?, last_status = ?, last_error = ?,
           leased_until = NULL WHERE ${guard}`,
        s.retryAt,
        now,
        s.status,
        s.error,
        ...ids,
        lease,
      );
    } else {
      this.sql.runDynamic(
        `UPDATE deliveries SET state = 'dead', updated_at = ?, last_status = ?, last_error = ?, leased_until = NULL WHERE ${guard}`,
        now,
        s.status,
        s.error,
        ...ids,
        lease,
      );
    }
  }

  /** Ids of the dead deliveries of some webhooks. */
  deadIds(webhooks: readonly string[]): number[] {
    if (webhooks.length === 0) return [];
    return this.sql
      .dynamic<{ id: number }>(
        `SELECT id FROM deliveries WHERE state = 'dead' AND webhook IN (${webhooks.map(() => '?').join(', ')})`,
        ...webhooks,
      )
      .map((r) => r.id);
  }

  /**
   * Puts dead deliveries back in the queue, due at `now` with fresh attempts. Guarded by state: a
   * row another alerter replayed meanwhile is not reset twice. Returns how many were requeued.
   */
  requeueDead(ids: readonly number[], now: number): number {
    if (ids.length === 0) return 0;
    return this.sql.runDynamic(
      `UPDATE deliveries SET state = 'pending', attempts = 0, next_attempt_at = ?, leased_until = NULL, updated_at = ?
       WHERE state = 'dead' AND id IN (${ids.map(() => '?').join(', ')})`,
      now,
      now,
      ...ids,
    ).changes;
  }

  /** How many of these deliveries are delivered. */
  countDelivered(ids: readonly number[]): number {
    if (ids.length === 0) return 0;
    return this.sql.dynamic<{ n: number }>(
      `SELECT COUNT(*) AS n FROM deliveries WHERE state = 'delivered' AND id IN (${ids.map(() => '?').join(', ')})`,
      ...ids,
    )[0]!.n;
  }

  /** Dead deliveries (of one webhook, or all), newest first. */
  dead(webhook?: string): DeadDelivery[] {
    return this.sql.query<DeadDelivery>(
      `SELECT d.webhook, d.event_id AS eventId, e.type AS eventType, d.message_id AS messageId, d.attempts,
         d.last_status AS lastStatus, d.last_error AS lastError, d.updated_at AS updatedAt, d.payload
       FROM deliveries d JOIN events e ON e.id = d.event_id
       WHERE d.state = 'dead' AND (? IS NULL OR d.webhook = ?) ORDER BY d.updated_at DESC, d.id DESC`,
      webhook ?? null,
      webhook ?? null,
    );
  }

  /** Deliveries counted by webhook and state. */
  counts(): DeliveryCount[] {
    return this.sql.query<DeliveryCount>(
      `SELECT webhook, state, COUNT(*) AS count FROM deliveries GROUP BY webhook, state ORDER BY webhook, state`,
    );
  }

  /** Every delivery row as stored, optionally of one webhook (tests and checks). */
  rows(webhook?: string): Record<string, unknown>[] {
    return webhook === undefined
      ? this.sql.query(`SELECT * FROM deliveries ORDER BY id`)
      : this.sql.query(`SELECT * FROM deliveries WHERE webhook = ? ORDER BY id`, webhook);
  }
}

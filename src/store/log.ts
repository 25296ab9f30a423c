import { sha256Hex } from '../domain/hash';

/**
 * One log over every observation in the database: a hash chain in insertion order. Each entry's
 * head is `sha256(previous head + "\n" + sha256(facts))`, where `facts` is a JSON line naming the target,
 * the observation's time, outcome, notice, body digest and the rest of its stored row. Rewriting
 * or deleting any observation (or a whole target with its history) breaks the chain from there on,
 * and a head that was time-stamped outside the database fixes everything before it.
 */

/** The first entry's previous head: 64 zeros, so every entry's `prev` is a well-formed digest. */
export const GENESIS = '0'.repeat(64);

/** Version of the facts layout, part of each line so a later layout never re-reads an older one. */
const FACTS_VERSION = 1;

/** The SQL the log needs from the store (kept as an interface so this module needs no Store). */
export interface LogDb {
  query<T = Record<string, unknown>>(sql: string, ...params: unknown[]): T[];
  run(sql: string, ...params: unknown[]): unknown;
  /** Whether a transaction is open, and which one ({@link Sql.epoch}): the head is remembered within one. */
  readonly inTransaction?: boolean;
  readonly epoch?: number;
}

/** One entry of the log, as `verify`, `show` and bundles see it. */
export interface LogEntry {
  /** Position in the log, from 1, without gaps. */
  readonly seq: number;
  readonly observationId: number;
  /** Head before this entry ({@link GENESIS} for the first). */
  readonly prev: string;
  /** sha256(prev + "\n" + sha256(facts)), hex. */
  readonly head: string;
}

/** The current end of the log; seq 0 and {@link GENESIS} while it is empty. */
export interface LogHead {
  readonly seq: number;
  readonly head: string;
}

/** Columns of an observation row with its target's key, as the facts line reads them. */
export type FactsRow = Record<string, unknown>;

/** The facts' columns; a revisit capture's digest is derived (`captureSha256` of the log's options). */
const FACTS_SELECT = `SELECT o.*, t.platform AS t_platform, t.kind AS t_kind, t.native_id AS t_native_id,
    c.sha256 AS capture_sha256, c.refers_to AS capture_refers_to
  FROM observations o JOIN targets t ON t.id = o.target_id LEFT JOIN captures c ON c.observation_id = o.id`;

/** The same before captures could be revisits (the log's migration backfills with it). */
const FACTS_SELECT_V1 = `SELECT o.*, t.platform AS t_platform, t.kind AS t_kind, t.native_id AS t_native_id,
    c.sha256 AS capture_sha256
  FROM observations o JOIN targets t ON t.id = o.target_id LEFT JOIN captures c ON c.observation_id = o.id`;

/** An entry's columns, its previous head being the head of the entry before it (GENESIS for none). */
const ENTRY_SELECT = `SELECT l.seq AS seq, l.observation_id AS observation_id, l.head AS head,
    (SELECT p.head FROM log_entries p WHERE p.seq < l.seq ORDER BY p.seq DESC LIMIT 1) AS prev
  FROM log_entries l`;

/** A stored digest as hex: 32 bytes since the log's storage migration, hex text before. */
export function hexOf(v: unknown): string {
  return Buffer.isBuffer(v) ? v.toString('hex') : (v as string);
}

/**
 * The line an entry commits to, built from the stored observation row and its target. Every
 * column of the row except its per-target chain link is covered; the stored normalized content by
 * its SHA-256, so the line stays short.
 */
export function factsLine(seq: number, r: FactsRow): string {
  const content = r.content as string | null;
  return JSON.stringify({
    v: FACTS_VERSION,
    seq,
    observation: r.id,
    platform: r.t_platform,
    kind: r.t_kind,
    id: r.t_native_id,
    at: r.at,
    endpoint: r.endpoint,
    outcome: r.outcome,
    notice: r.message ?? null,
    httpStatus: r.http_status ?? null,
    url: r.url ?? null,
    finalUrl: r.final_url ?? null,
    contentHash: r.content_hash ?? null,
    contentSha256: content == null ? null : sha256Hex(content),
    bodySha256: r.body_hash ?? null,
    bodyKept: r.body_kept === 1,
    dedupeKey: r.dedupe_key ?? null,
    ...(r.capture_sha256 != null ? { captureSha256: r.capture_sha256 } : {}),
  });
}

/**
 * The bytes a time-stamp covers for a head: `SEQ HEAD` and a newline, as `verify --head` prints it,
 * so `censorwatch verify --head > head.txt` is a file `openssl ts -verify -data head.txt` can check.
 */
export function headLine(h: LogHead): string {
  return `${h.seq} ${h.head}\n`;
}

/**
 * The head that follows `prev` for an entry with `facts`: sha256(prev + "\n" + sha256(facts)), all
 * hex. Hashing the facts first lets a bundle show another target's entries by their digest alone.
 */
export function nextHead(prev: string, facts: string): string {
  return sha256Hex(`${prev}\n${sha256Hex(facts)}`);
}

/** The log's table, its appends and its reads. All of it runs inside the caller's transaction. */
export class ObservationLog {
  /**
   * @param captureSha256 - the digest of a revisit capture (one that stores no digest of its own),
   *   derived from the capture it refers to
   */
  constructor(
    private readonly db: LogDb,
    private readonly captureSha256: (observationId: number) => string | undefined = () => undefined,
  ) {}

  /**
   * The head this log appended last, and the transaction it did so in: appends in one transaction
   * (a group of results) read the head once. Nothing else writes the log while the transaction
   * holds the write lock, and a rollback changes the epoch.
   */
  private last: (LogHead & { epoch: number }) | null = null;

  /** The last entry's head and seq. */
  head(): LogHead {
    const known = this.last;
    if (known && this.db.inTransaction === true && known.epoch === this.db.epoch) return known;
    const r = this.db.query<{ seq: number; head: Buffer | string }>(
      `SELECT seq, head FROM log_entries ORDER BY seq DESC LIMIT 1`,
    )[0];
    return r ? { seq: r.seq, head: hexOf(r.head) } : { seq: 0, head: GENESIS };
  }

  /** Appends the entry of a just-inserted observation, reading its facts from the database; returns it. */
  append(observationId: number): LogEntry {
    const row = this.db.query<FactsRow>(`${FACTS_SELECT} WHERE o.id = ?`, observationId)[0];
    if (!row) throw new Error(`observation ${observationId} does not exist`);
    return this.appendRow(observationId, this.resolved(row));
  }

  /**
   * Appends the entry of a just-inserted observation from its row as `observations` shows it, with
   * its target's key (`t_platform`, `t_kind`, `t_native_id`) and its capture's digest
   * (`capture_sha256`): the writer has them at hand, so the row is not read back.
   */
  appendRow(observationId: number, row: FactsRow): LogEntry {
    const last = this.head();
    const seq = last.seq + 1;
    const head = nextHead(last.head, factsLine(seq, row));
    this.db.run(
      `INSERT INTO log_entries (seq, observation_id, head) VALUES (?, ?, ?)`,
      seq,
      observationId,
      Buffer.from(head, 'hex'),
    );
    this.last =
      this.db.inTransaction === true && this.db.epoch !== undefined
        ? { seq, head, epoch: this.db.epoch }
        : null;
    return { seq, observationId, prev: last.head, head };
  }

  /**
   * Logs the observations a database held before it had a log (oldest first), in the layout of
   * that migration (prev and head as hex): later migrations convert it. Runs only when the log's
   * migration is applied, so an observation slipped in later is never logged silently.
   */
  backfill(): number {
    this.last = null;
    const ids = this.db.query<{ id: number }>(
      `SELECT o.id FROM observations o WHERE NOT EXISTS (SELECT 1 FROM log_entries l WHERE l.observation_id = o.id)
       ORDER BY o.id`,
    );
    for (const { id } of ids) {
      const row = this.db.query<FactsRow>(`${FACTS_SELECT_V1} WHERE o.id = ?`, id)[0]!;
      const last = this.db.query<{ seq: number; head: string }>(
        `SELECT seq, head FROM log_entries ORDER BY seq DESC LIMIT 1`,
      )[0] ?? { seq: 0, head: GENESIS };
      const seq = last.seq + 1;
      this.db.run(
        `INSERT INTO log_entries (seq, observation_id, prev, head) VALUES (?, ?, ?, ?)`,
        seq,
        id,
        last.head,
        nextHead(last.head, factsLine(seq, row)),
      );
    }
    return ids.length;
  }

  /** The entry of one observation, if it was logged. */
  entryOf(observationId: number): LogEntry | undefined {
    const r = this.db.query<Record<string, unknown>>(
      `${ENTRY_SELECT} WHERE l.observation_id = ? ORDER BY l.seq DESC LIMIT 1`,
      observationId,
    )[0];
    return r ? toEntry(r) : undefined;
  }

  /** Entries in order, from `fromSeq` up to `toSeq` (inclusive). */
  entries(fromSeq = 1, toSeq = Number.MAX_SAFE_INTEGER): LogEntry[] {
    return this.db
      .query<Record<string, unknown>>(
        `${ENTRY_SELECT} WHERE l.seq >= ? AND l.seq <= ? ORDER BY l.seq`,
        fromSeq,
        toSeq,
      )
      .map(toEntry);
  }

  /** The entry at `seq`. */
  at(seq: number): LogEntry | undefined {
    const r = this.db.query<Record<string, unknown>>(`${ENTRY_SELECT} WHERE l.seq = ?`, seq)[0];
    return r ? toEntry(r) : undefined;
  }

  /** The facts line of an entry, rebuilt from the observation as it is stored now (undefined if gone). */
  factsOf(entry: Pick<LogEntry, 'seq' | 'observationId'>): string | undefined {
    const row = this.db.query<FactsRow>(`${FACTS_SELECT} WHERE o.id = ?`, entry.observationId)[0];
    return row ? factsLine(entry.seq, this.resolved(row)) : undefined;
  }

  /**
   * Every entry with the facts its observation gives now, in log order, one page at a time so a
   * long log is walked in bounded memory.
   */
  *walk(pageSize = 5000): Generator<LogEntry & { facts: string | undefined }> {
    let after = 0;
    let prev = GENESIS;
    for (;;) {
      const page = this.db.query<Record<string, unknown>>(
        `SELECT l.seq AS l_seq, l.observation_id AS l_observation_id, l.head AS l_head, x.*
         FROM log_entries l LEFT JOIN (${FACTS_SELECT}) x ON x.id = l.observation_id
         WHERE l.seq > ? ORDER BY l.seq LIMIT ?`,
        after,
        pageSize,
      );
      if (page.length === 0) return;
      for (const r of page) {
        const entry: LogEntry = {
          seq: r.l_seq as number,
          observationId: r.l_observation_id as number,
          prev,
          head: hexOf(r.l_head),
        };
        yield { ...entry, facts: r.id == null ? undefined : factsLine(entry.seq, this.resolved(r)) };
        after = entry.seq;
        prev = entry.head;
      }
    }
  }

  /** Observations that have no log entry (each one was written around the log). */
  unlogged(limit = 20): { id: number; targetId: number }[] {
    return this.db.query<{ id: number; targetId: number }>(
      `SELECT o.id, o.target_id AS targetId FROM observation_rows o
       WHERE NOT EXISTS (SELECT 1 FROM log_entries l WHERE l.observation_id = o.id) ORDER BY o.id LIMIT ?`,
      limit,
    );
  }

  /** A facts row with its revisit capture's digest derived. */
  private resolved(row: FactsRow): FactsRow {
    if (row.capture_sha256 != null || row.capture_refers_to == null) return row;
    // A revisit whose digest cannot be derived commits to none: the entry then fails to check.
    return { ...row, capture_sha256: this.captureSha256(row.id as number) ?? null };
  }
}

function toEntry(r: Record<string, unknown>): LogEntry {
  return {
    seq: r.seq as number,
    observationId: r.observation_id as number,
    prev: r.prev == null ? GENESIS : hexOf(r.prev),
    head: hexOf(r.head),
  };
}

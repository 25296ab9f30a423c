/** A time-stamp of the log's head, as stored. */
export interface TimestampRow {
  readonly id: number;
  readonly seq: number;
  readonly head: string;
  readonly requestedAt: number;
  readonly tsaUrl: string;
  readonly state: 'granted' | 'failed';
  /** The TSA's TimeStampResp, DER (a `.tsr` file); null on failure. */
  readonly reply: Buffer | null;
  readonly genTime: number | null;
  readonly error: string | null;
}

/** The SQL the time-stamps need from the store. */
export interface TimestampDb {
  query<T = Record<string, unknown>>(sql: string, ...params: unknown[]): T[];
  run(sql: string, ...params: unknown[]): unknown;
}

function toRow(r: Record<string, unknown>): TimestampRow {
  return {
    id: r.id as number,
    seq: r.seq as number,
    head: r.head as string,
    requestedAt: r.requested_at as number,
    tsaUrl: r.tsa_url as string,
    state: r.state as TimestampRow['state'],
    reply: (r.reply as Buffer | null) ?? null,
    genTime: (r.gen_time as number | null) ?? null,
    error: (r.error as string | null) ?? null,
  };
}

/** Time-stamps of the log's head: granted replies and failed attempts. */
export class TimestampStore {
  constructor(private readonly db: TimestampDb) {}

  /** Records one attempt. */
  add(t: Omit<TimestampRow, 'id'>): number {
    this.db.run(
      `INSERT INTO timestamps (seq, head, requested_at, tsa_url, state, reply, gen_time, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      t.seq,
      t.head,
      t.requestedAt,
      t.tsaUrl,
      t.state,
      t.reply,
      t.genTime,
      t.error,
    );
    return this.db.query<{ id: number }>(`SELECT last_insert_rowid() AS id`)[0]!.id;
  }

  /** Every granted time-stamp, oldest head first. */
  granted(): TimestampRow[] {
    return this.db
      .query<Record<string, unknown>>(`SELECT * FROM timestamps WHERE state = 'granted' ORDER BY seq, id`)
      .map(toRow);
  }

  /** The first granted time-stamp of a head at or after `seq` (the one that fixes that entry). */
  firstCovering(seq: number): TimestampRow | undefined {
    const r = this.db.query<Record<string, unknown>>(
      `SELECT * FROM timestamps WHERE state = 'granted' AND seq >= ? ORDER BY seq, id LIMIT 1`,
      seq,
    )[0];
    return r ? toRow(r) : undefined;
  }

  /** The latest attempt, granted or failed. */
  last(): TimestampRow | undefined {
    const r = this.db.query<Record<string, unknown>>(
      `SELECT * FROM timestamps ORDER BY requested_at DESC, id DESC LIMIT 1`,
    )[0];
    return r ? toRow(r) : undefined;
  }

  /** The latest granted time-stamp. */
  lastGranted(): TimestampRow | undefined {
    const r = this.db.query<Record<string, unknown>>(
      `SELECT * FROM timestamps WHERE state = 'granted' ORDER BY requested_at DESC, id DESC LIMIT 1`,
    )[0];
    return r ? toRow(r) : undefined;
  }

  /** Failed attempts since the last granted one. */
  failuresSinceGrant(): number {
    return this.db.query<{ n: number }>(
      `SELECT COUNT(*) AS n FROM timestamps WHERE state = 'failed'
       AND id > COALESCE((SELECT MAX(id) FROM timestamps WHERE state = 'granted'), 0)`,
    )[0]!.n;
  }
}

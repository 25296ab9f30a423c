import { sha256Hex } from '../domain/hash';
import { parseTimestampReply } from '../evidence/rfc3161';
import { GENESIS, headLine, nextHead, type LogHead } from './log';
import { ScreenshotStore } from './screenshots';
import { chainHash, type Store } from './store';
import { sqlOf } from './db';

/** The first place where the log stops following from what is stored. */
export interface BrokenLink {
  /** Log position of the first entry that does not check (null: a problem outside the log). */
  readonly seq: number | null;
  readonly observationId: number | null;
  readonly reason: string;
}

/** What `verify` found. */
export interface VerifyReport {
  readonly observations: number;
  readonly blobs: number;
  /** Log entries walked. */
  readonly entries: number;
  /** The log's head as stored. */
  readonly head: LogHead;
  readonly problems: readonly string[];
  /** The first broken link of the log, or null when the whole log checks. */
  readonly firstBroken: BrokenLink | null;
}

/** At most this many problems of one kind are listed (the count says how many there were). */
const MAX_LISTED = 50;

/**
 * Re-hashes every stored body, walks the one log over all observations and every target's own
 * chain, and compares each head with what it must be. A body whose bytes no longer match its hash,
 * a log entry that does not follow from its observation as stored or from the entry before it, an
 * observation the log does not hold, an observation the log holds but the database lost (a target
 * deleted with its history), or a head that does not match: each is a problem, and the first one
 * in log order is named as the first broken link.
 */
export function verifyStore(store: Store): VerifyReport {
  const problems: string[] = [];
  let blobs = 0;
  for (const b of sqlOf(store).query<{ hash: string }>(`SELECT hash FROM blobs`)) {
    blobs++;
    let body: Buffer | undefined;
    try {
      body = store.getBlob(b.hash);
    } catch (err) {
      problems.push(`blob ${b.hash}: cannot be decompressed (${(err as Error).message})`);
      continue;
    }
    if (!body || sha256Hex(body) !== b.hash) problems.push(`blob ${b.hash}: content does not match its hash`);
  }

  const log = verifyLog(store);
  problems.push(...log.problems);

  let observations = 0;
  let target = -1;
  let prev = '';
  for (const o of sqlOf(store).query<Record<string, unknown>>(
    `SELECT o.*, (SELECT 1 FROM blobs b WHERE b.hash = o.body_hash) AS has_blob FROM observations o ORDER BY target_id, id`,
  )) {
    observations++;
    if (o.target_id !== target) {
      target = o.target_id as number;
      prev = '';
    }
    const expected = chainHash(prev, o);
    if (expected !== o.chain)
      problems.push(`observation ${String(o.id)} (target row ${target}): chain hash mismatch`);
    if (o.body_kept === 1 && !o.has_blob)
      problems.push(`observation ${String(o.id)}: evidence body ${String(o.body_hash)} missing`);
    prev = o.chain as string;
  }
  for (const t of sqlOf(store).query<{ id: number; chain: string; head: string | null }>(
    `SELECT t.id, t.chain, (SELECT o.chain FROM observations o WHERE o.target_id = t.id ORDER BY o.id DESC LIMIT 1) AS head
     FROM targets t`,
  )) {
    if ((t.head ?? '') !== t.chain)
      problems.push(`target row ${t.id}: chain head does not match its last observation`);
  }
  problems.push(...store.captures.problems(MAX_LISTED));
  problems.push(...new ScreenshotStore(store).problems(MAX_LISTED));
  problems.push(...verifyStamps(store));
  for (const o of store.log.unlogged(MAX_LISTED)) {
    problems.push(`observation ${o.id} (target row ${o.targetId}): not in the log (written around it)`);
  }
  return {
    observations,
    blobs,
    entries: log.entries,
    head: store.log.head(),
    problems,
    firstBroken: log.firstBroken,
  };
}

/** Walks the log from its first entry: sequence, links, and each entry against its observation. */
function verifyLog(store: Store): {
  entries: number;
  problems: string[];
  firstBroken: BrokenLink | null;
} {
  const problems: string[] = [];
  let firstBroken: BrokenLink | null = null;
  let listed = 0;
  const broken = (seq: number, observationId: number | null, reason: string): void => {
    firstBroken ??= { seq, observationId, reason };
    const what =
      observationId === null ? `log entry ${seq}` : `log entry ${seq} (observation ${observationId})`;
    if (listed++ < MAX_LISTED) problems.push(`${what}: ${reason}`);
  };
  let entries = 0;
  let prevHead = GENESIS;
  let expectedSeq = 1;
  for (const e of store.log.walk()) {
    entries++;
    if (e.seq > expectedSeq) {
      // The first broken link is the first entry that is gone, not the one found after the gap.
      const last = e.seq - 1;
      broken(
        expectedSeq,
        null,
        last === expectedSeq
          ? `missing (removed from the log)`
          : `missing, up to entry ${last} (removed from the log)`,
      );
    } else if (e.seq !== expectedSeq) {
      broken(e.seq, e.observationId, `out of sequence: expected entry ${expectedSeq}`);
    }
    // Across a gap the link cannot be checked: the head it links to went with the missing entries.
    if (e.seq === expectedSeq && e.prev !== prevHead)
      broken(e.seq, e.observationId, `does not link to the head of the entry before it`);
    if (e.facts === undefined) {
      broken(e.seq, e.observationId, `its observation is missing (deleted from the database)`);
    } else if (nextHead(e.prev, e.facts) !== e.head) {
      broken(e.seq, e.observationId, `its observation was changed after it was logged`);
    }
    prevHead = e.head;
    expectedSeq = e.seq + 1;
  }
  if (listed > MAX_LISTED) problems.push(`… and ${listed - MAX_LISTED} more broken log entries`);
  return { entries, problems, firstBroken };
}

/**
 * Each granted time-stamp fixes the log up to its entry: that entry must still have the stamped
 * head (else the log was rewritten before a stamped point, or cut short after it), and the reply
 * must be for that head's line. The reply's signature is for openssl to check, with the TSA's
 * certificate (README, "Proving a deletion").
 */
function verifyStamps(store: Store): string[] {
  const out: string[] = [];
  const last = store.log.head();
  for (const t of store.timestamps.granted()) {
    const label = `time-stamp ${t.id} of log entry ${t.seq} (${t.tsaUrl})`;
    if (t.seq > last.seq) {
      out.push(`${label}: the log ends at entry ${last.seq}: entries after it were removed`);
      continue;
    }
    const entry = store.log.at(t.seq);
    if (!entry || entry.head !== t.head) out.push(`${label}: the entry's head is no longer the stamped one`);
    const imprint = t.reply ? imprintOf(t.reply) : null;
    if (imprint !== sha256Hex(headLine({ seq: t.seq, head: t.head })))
      out.push(`${label}: the reply does not stamp that head`);
  }
  return out;
}

function imprintOf(reply: Buffer): string | null {
  try {
    return parseTimestampReply(reply).imprint?.toString('hex') ?? null;
  } catch {
    return null;
  }
}

import { sha256Hex } from '../domain/hash';
import { chainHash, type Store } from './store';

/** What `verify` found. */
export interface VerifyReport {
  readonly observations: number;
  readonly blobs: number;
  readonly problems: readonly string[];
}

/**
 * Re-hashes every stored body and walks every target's observation chain. A body whose bytes no
 * longer match its hash, a missing body, or a chain link that does not follow from the row's facts
 * is a problem: the evidence was changed after it was recorded.
 */
export function verifyStore(store: Store): VerifyReport {
  const problems: string[] = [];
  let blobs = 0;
  for (const b of store.query<{ hash: string }>(`SELECT hash FROM blobs`)) {
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
  let observations = 0;
  let target = -1;
  let prev = '';
  for (const o of store.query<Record<string, unknown>>(
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
  for (const t of store.query<{ id: number; chain: string; head: string | null }>(
    `SELECT t.id, t.chain, (SELECT o.chain FROM observations o WHERE o.target_id = t.id ORDER BY o.id DESC LIMIT 1) AS head
     FROM targets t`,
  )) {
    if ((t.head ?? '') !== t.chain)
      problems.push(`target row ${t.id}: chain head does not match its last observation`);
  }
  return { observations, blobs, problems };
}

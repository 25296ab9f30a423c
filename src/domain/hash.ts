import { hash } from 'node:crypto';
import type { CommentsSeen, Content } from './glossary';

/**
 * SHA-256 of `data` (a string as UTF-8) in lower-case hex. One-shot `crypto.hash` (Node ≥ 20.12):
 * a check hashes several small inputs (body, chain links, capture), where building a Hash object
 * costs more than the digest.
 */
export function sha256Hex(data: string | Buffer): string {
  return hash('sha256', data, 'hex');
}

/**
 * Hash of what an author can change: title, text and media. Counts and times are left out, so a
 * new like is not an edit.
 */
export function contentHash(c: Content): string {
  return sha256Hex(JSON.stringify([c.title ?? null, c.text.trim(), [...c.media]]));
}

/**
 * Hash of what a comment thread shows that matters for evidence: which comments are listed, their
 * text and deleted marks, and the status flags. Counts are left out, so a new like keeps the hash.
 */
export function threadHash(comments: CommentsSeen): string {
  const items = comments.items.map((c) => [c.id, c.text, c.deleted ? 1 : 0]);
  const flags = Object.entries(comments.flags ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return sha256Hex(JSON.stringify(['thread', comments.complete, items, flags]));
}

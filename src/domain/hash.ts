import { createHash } from 'node:crypto';
import type { Content } from './glossary';

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Hash of what an author can change: title, text and media. Counts and times are left out, so a
 * new like is not an edit.
 */
export function contentHash(c: Content): string {
  return sha256Hex(JSON.stringify([c.title ?? null, c.text.trim(), [...c.media]]));
}

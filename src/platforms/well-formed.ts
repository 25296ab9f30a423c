/**
 * Well-formed text out of the adapters. A platform's JSON can carry half of a surrogate pair (a
 * Weibo text cut mid-emoji sends `\ud83d` alone): JavaScript keeps it, JSON re-escapes it, but
 * UTF-8 cannot hold it, so SQLite, hashes and files would each read it back their own way. Every
 * string an adapter hands over is made well-formed once here (a lone surrogate becomes U+FFFD, as
 * any UTF-8 writer would have it), so the hash taken is of the text every later reader sees. The
 * raw evidence is left as it came: it is the platform's bytes, not our reading of them.
 */
import type { CheckResult, ListingResult } from './platform';

// ES2024 String methods (Node 20 has them); the project's lib is ES2023.
declare global {
  interface String {
    /** True when the string holds no lone surrogate. */
    isWellFormed(): boolean;
    /** The string with each lone surrogate replaced by U+FFFD. */
    toWellFormed(): string;
  }
}

/** Keys whose values are raw evidence: kept as they are. */
const RAW = 'evidence';

function isPlainObject(v: object): v is Record<string, unknown> {
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * `v` with every string in it (array items, plain objects' keys and values, at any depth) made
 * well-formed; anything else (Buffers, class instances) and the `evidence` of an observation as
 * it is. Returns `v` itself when nothing had to change, so the common case allocates nothing.
 */
export function wellFormed<T>(v: T): T {
  // isWellFormed first: on Node 20 it scans faster than toWellFormed, and nearly every string passes.
  if (typeof v === 'string') return (v.isWellFormed() ? v : v.toWellFormed()) as T;
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) {
    let out: unknown[] | null = null;
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      const y = wellFormed(x);
      if (y !== x) (out ??= [...(v as unknown[])])[i] = y;
    }
    return (out ?? v) as T;
  }
  if (!isPlainObject(v)) return v;
  let out: Record<string, unknown> | null = null;
  for (const k of Object.keys(v)) {
    const x = v[k];
    const key = k.isWellFormed() ? k : k.toWellFormed();
    const y = k === RAW ? x : wellFormed(x);
    if (key === k && y === x) continue;
    out ??= { ...v };
    if (key !== k) delete out[k];
    out[key] = y;
  }
  return (out ?? v) as T;
}

/** A check's observations with well-formed text. */
export function wellFormedCheck(r: CheckResult): CheckResult {
  return wellFormed(r);
}

/** A listing's message, unread lines and observations with well-formed text; its evidence as it came. */
export function wellFormedListing(r: ListingResult): ListingResult {
  return wellFormed(r);
}

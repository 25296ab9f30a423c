import { SECOND } from './time';
import type { Rng } from './rng';

// Weibo mids carry their creation second: (mid >> 22) + 515483463 is the Unix time (checked on the
// 2019 reference samples), so simulated mids are made the same way and sort by time like real ones.
export const MID_EPOCH_OFFSET = 515_483_463n;

/** Makes unique 16-digit Weibo mids for creation times, the low 22 bits drawn from `rng`. */
export function makeMidFactory(rng: Rng): (createdAt: number) => string {
  const used = new Set<string>();
  return (createdAt) => {
    for (;;) {
      const sec = BigInt(Math.floor(createdAt / 1000)) - MID_EPOCH_OFFSET;
      const mid = ((sec << 22n) | BigInt(rng.int(0, (1 << 22) - 1))).toString();
      if (!used.has(mid)) {
        used.add(mid);
        return mid;
      }
    }
  };
}

/** Makes unique 10-digit Weibo uids. */
export function makeUidFactory(rng: Rng): () => string {
  const used = new Set<string>();
  return () => {
    for (;;) {
      const uid = String(rng.int(1_000_000_000, 7_999_999_999));
      if (!used.has(uid)) {
        used.add(uid);
        return uid;
      }
    }
  };
}

// A DOCID's first 8 characters grow with time and its last 8 name the channel or account
// (research/netease.md §1.1), so simulated ones are made the same way.

const B32 = '0123456789ABCDEFGHIJKLMNOPQRSTUV';

/** `n` in base 32 (digits and upper-case letters), left-padded to `width`. */
export function base32(n: number, width: number): string {
  let s = '';
  let v = Math.max(0, Math.floor(n));
  for (let i = 0; i < width; i++) {
    s = B32[v % 32]! + s;
    v = Math.floor(v / 32);
  }
  return s;
}

/** Makes unique DOCIDs: `I` + 7 time characters + the 8-character channel or account suffix. */
export function makeDocidFactory(): (createdAt: number, suffix: string) => string {
  const used = new Set<string>();
  return (createdAt, suffix) => {
    for (let n = Math.floor(createdAt / SECOND); ; n++) {
      const id = `I${base32(n, 7)}${suffix}`;
      if (!used.has(id)) {
        used.add(id);
        return id;
      }
    }
  };
}

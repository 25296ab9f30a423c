/** Weibo's base62 alphabet for bids (mblogid): digits, then lower case, then upper case. */
const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

function encode62(n: number): string {
  if (n === 0) return '0';
  let s = '';
  while (n > 0) {
    s = ALPHABET[n % 62] + s;
    n = Math.floor(n / 62);
  }
  return s;
}

function decode62(s: string): number {
  let n = 0;
  for (const ch of s) {
    const v = ALPHABET.indexOf(ch);
    if (v < 0) throw new RangeError(`not a base62 character: ${ch}`);
    n = n * 62 + v;
  }
  return n;
}

/** True for a decimal post id (mid). */
export function isMid(s: string): boolean {
  return /^\d{10,20}$/.test(s);
}

/** True for a base62 post id (bid / mblogid) of the modern form. */
export function isBid(s: string): boolean {
  return /^[0-9a-zA-Z]{8,10}$/.test(s) && !/^\d+$/.test(s);
}

/**
 * mid → bid: 7-digit groups from the right, each base62-encoded and left-padded to 4 characters
 * except the leftmost.
 */
export function midToBid(mid: string): string {
  if (!/^\d+$/.test(mid)) throw new RangeError(`not a mid: ${mid}`);
  const parts: string[] = [];
  for (let end = mid.length; end > 0; end -= 7) {
    const start = Math.max(0, end - 7);
    const enc = encode62(Number(mid.slice(start, end)));
    parts.unshift(start > 0 ? enc.padStart(4, '0') : enc);
  }
  return parts.join('');
}

/** bid → mid: 4-character groups from the right, each decoded and left-padded to 7 digits except the leftmost. */
export function bidToMid(bid: string): string {
  if (!/^[0-9a-zA-Z]+$/.test(bid)) throw new RangeError(`not a bid: ${bid}`);
  const parts: string[] = [];
  for (let end = bid.length; end > 0; end -= 4) {
    const start = Math.max(0, end - 4);
    const dec = String(decode62(bid.slice(start, end)));
    parts.unshift(start > 0 ? dec.padStart(7, '0') : dec);
  }
  return parts.join('').replace(/^0+(?=\d)/, '');
}

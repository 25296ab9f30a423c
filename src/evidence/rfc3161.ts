/**
 * RFC 3161 time-stamp requests and replies, in the little DER they need. The reply is kept whole
 * (a `.tsr` file that `openssl ts -reply -in X.tsr -text` and `openssl ts -verify` read); here it is
 * only checked for what a wrong or stale answer would get wrong: granted status, our digest, our
 * nonce. The signature is left to openssl and the TSA's certificate, outside censorwatch.
 */

/** OID 2.16.840.1.101.3.4.2.1 (SHA-256), DER content bytes. */
const SHA256_OID = Buffer.from([0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01]);

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), length(content.length), content]);
}

/** A DER INTEGER of unsigned big-endian bytes (a zero byte in front when the top bit is set). */
function unsignedInteger(bytes: Buffer): Buffer {
  let b = bytes;
  while (b.length > 1 && b[0] === 0 && (b[1]! & 0x80) === 0) b = b.subarray(1);
  return tlv(0x02, (b[0]! & 0x80) !== 0 ? Buffer.concat([Buffer.from([0]), b]) : b);
}

/**
 * A TimeStampReq (RFC 3161 §2.4.1) for a SHA-256 digest: version 1, the message imprint, a nonce
 * and certReq TRUE, so the reply carries the TSA's certificate for `openssl ts -verify`.
 */
export function timestampRequest(sha256: Buffer, nonce: Buffer): Buffer {
  if (sha256.length !== 32) throw new Error('expected a 32-byte SHA-256 digest');
  const algorithm = tlv(0x30, Buffer.concat([tlv(0x06, SHA256_OID), Buffer.from([0x05, 0x00])]));
  const imprint = tlv(0x30, Buffer.concat([algorithm, tlv(0x04, sha256)]));
  return tlv(
    0x30,
    Buffer.concat([
      unsignedInteger(Buffer.from([1])),
      imprint,
      unsignedInteger(nonce),
      Buffer.from([0x01, 0x01, 0xff]),
    ]),
  );
}

interface Node {
  readonly tag: number;
  readonly start: number;
  readonly end: number;
}

function node(buf: Buffer, at: number, limit: number): Node {
  if (at + 2 > limit) throw new Error('truncated DER');
  const tag = buf[at]!;
  let len = buf[at + 1]!;
  let start = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || start + n > limit) throw new Error('unsupported DER length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[start + i]!;
    start += n;
  }
  if (start + len > limit) throw new Error('truncated DER');
  return { tag, start, end: start + len };
}

function children(buf: Buffer, parent: Node): Node[] {
  const out: Node[] = [];
  for (let at = parent.start; at < parent.end;) {
    const n = node(buf, at, parent.end);
    out.push(n);
    at = n.end;
  }
  return out;
}

function child(buf: Buffer, parent: Node, i: number, tag?: number): Node {
  const c = children(buf, parent)[i];
  if (!c || (tag !== undefined && c.tag !== tag)) throw new Error('unexpected DER structure');
  return c;
}

/** What a time-stamp reply says, as far as censorwatch checks it. */
export interface TimestampReply {
  /** PKIStatus: 0 granted, 1 granted with modifications, 2 rejection, 3 waiting, 4/5 revocation. */
  readonly status: number;
  /** The TSA's own words on a refusal. */
  readonly statusText: string | null;
  /** When the TSA says it stamped (TSTInfo genTime), on a granted reply. */
  readonly genTime: Date | null;
  readonly imprint: Buffer | null;
  readonly nonce: Buffer | null;
}

function integerBytes(buf: Buffer, n: Node): Buffer {
  let b = buf.subarray(n.start, n.end);
  while (b.length > 1 && b[0] === 0) b = b.subarray(1);
  return Buffer.from(b);
}

/** Reads a TimeStampResp (RFC 3161 §2.4.2). Throws on bytes that are not one. */
export function parseTimestampReply(der: Buffer): TimestampReply {
  const root = node(der, 0, der.length);
  if (root.tag !== 0x30) throw new Error('not a TimeStampResp');
  const statusInfo = child(der, root, 0, 0x30);
  const statusNode = child(der, statusInfo, 0, 0x02);
  const status = integerBytes(der, statusNode).readUIntBE(0, Math.min(6, statusNode.end - statusNode.start));
  let statusText: string | null = null;
  const free = children(der, statusInfo)[1];
  if (free?.tag === 0x30)
    statusText = children(der, free)
      .map((s) => der.subarray(s.start, s.end).toString('utf8'))
      .join(' ');
  const token = children(der, root)[1];
  if (!token) return { status, statusText, genTime: null, imprint: null, nonce: null };
  // ContentInfo → [0] SignedData → encapContentInfo → [0] OCTET STRING → TSTInfo.
  const signedData = child(der, child(der, token, 1, 0xa0), 0, 0x30);
  const encap = children(der, signedData).find((c, i) => i > 0 && c.tag === 0x30);
  if (!encap) throw new Error('no encapsulated content');
  const octets = child(der, child(der, encap, 1, 0xa0), 0, 0x04);
  const tst = node(der, octets.start, octets.end);
  const fields = children(der, tst);
  const imprintSeq = fields[2];
  const genTimeNode = fields[4];
  if (!imprintSeq || !genTimeNode || genTimeNode.tag !== 0x18) throw new Error('unexpected TSTInfo');
  const hashed = child(der, imprintSeq, 1, 0x04);
  const nonceNode = fields.slice(5).find((f) => f.tag === 0x02);
  return {
    status,
    statusText,
    genTime: generalizedTime(der.subarray(genTimeNode.start, genTimeNode.end).toString('ascii')),
    imprint: Buffer.from(der.subarray(hashed.start, hashed.end)),
    nonce: nonceNode ? integerBytes(der, nonceNode) : null,
  };
}

/** `YYYYMMDDHHMMSS[.fff]Z` to a Date. */
function generalizedTime(s: string): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.(\d+))?Z$/.exec(s);
  if (!m) return null;
  const ms = m[7] ? Math.round(Number(`0.${m[7]}`) * 1000) : 0;
  return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!, ms));
}

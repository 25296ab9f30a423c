import { STATUS_CODES } from 'node:http';
import { createHash } from 'node:crypto';
import { CDXIndexer, WARCRecord, WARCSerializer } from 'warcio';
import type { Exchange, HeaderPair } from '../domain/glossary';

/**
 * WARC/1.1 records of captures, written with warcio: a request and a response record per exchange
 * (status line, headers, body as received), resource records for screenshots, each its own gzip
 * member so a CDXJ index can point into the file. Record ids derive from what they hold, so the
 * same capture always gives the same bytes.
 */

/** One exchange to archive, with when its response arrived. */
export interface WarcExchange {
  /** Epoch ms: the observation's time. */
  readonly at: number;
  readonly exchange: Exchange;
  /** A stable seed for the record ids (e.g. the capture digest and the exchange's index). */
  readonly key: string;
}

/** A file to archive as a resource record (a screenshot). */
export interface WarcResource {
  readonly at: number;
  /** The URI it shows, e.g. `urn:censorwatch:screenshot:weibo:4895…:1682560800000`. */
  readonly url: string;
  readonly contentType: string;
  readonly body: Buffer;
  /** The page it was taken of, recorded as WARC-Refers-To-Target-URI. */
  readonly refersTo?: string;
}

/** What was written: the file and, per record, where it starts and its ids. */
export interface WarcFile {
  readonly bytes: Buffer;
  readonly records: readonly {
    readonly type: 'warcinfo' | 'request' | 'response' | 'resource';
    readonly id: string;
    readonly url: string | null;
    readonly offset: number;
    readonly length: number;
    /** `sha256:` + hex of the payload, as the record's WARC-Payload-Digest says. */
    readonly payloadDigest: string | null;
  }[];
}

/** A urn:uuid made from a seed (name-based, so rewriting the same capture gives the same id). */
export function recordId(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `<urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}>`;
}

/** The HTTP request line of an exchange. */
function requestLine(e: Exchange): string {
  let target = '/';
  try {
    const u = new URL(e.url);
    target = `${u.pathname}${u.search}`;
  } catch {
    // An unparseable URL is archived as asked for the root; its Target-URI keeps the original.
  }
  return `${e.method} ${target} HTTP/1.1`;
}

/**
 * Response headers for the record. The body is kept de-chunked, so a Transfer-Encoding header is
 * kept under the name archives use for it, where replay tools do not apply it twice.
 */
function responseHeaders(headers: readonly HeaderPair[]): [string, string][] {
  return headers.map(([k, v]) =>
    k.toLowerCase() === 'transfer-encoding' ? ['x-archive-orig-transfer-encoding', v] : [k, v],
  );
}

async function serialize(record: WARCRecord): Promise<Buffer> {
  return Buffer.from(await WARCSerializer.serialize(record, { gzip: true }));
}

/**
 * Writes one .warc.gz: a warcinfo record, then each exchange's request and response, then the
 * resources. `software` names the writer in the warcinfo record.
 */
export async function writeWarc(
  filename: string,
  exchanges: readonly WarcExchange[],
  resources: readonly WarcResource[],
  software: string,
): Promise<WarcFile> {
  const parts: Buffer[] = [];
  const records: WarcFile['records'][number][] = [];
  let offset = 0;
  const add = (
    type: WarcFile['records'][number]['type'],
    id: string,
    url: string | null,
    bytes: Buffer,
    payloadDigest: string | null,
  ): void => {
    parts.push(bytes);
    records.push({ type, id, url, offset, length: bytes.length, payloadDigest });
    offset += bytes.length;
  };

  const first = exchanges[0]?.at ?? resources[0]?.at ?? 0;
  const infoId = recordId(`warcinfo:${filename}:${exchanges.map((e) => e.key).join(',')}`);
  const info = WARCRecord.createWARCInfo(
    {
      filename,
      warcVersion: 'WARC/1.1',
      date: iso(first),
      warcHeaders: { 'WARC-Record-ID': infoId },
    },
    { software, format: 'WARC File Format 1.1', isPartOf: filename },
  );
  add('warcinfo', infoId, null, await serialize(info), null);

  for (const x of exchanges) {
    const e = x.exchange;
    const responseId = recordId(`response:${x.key}`);
    const requestId = recordId(`request:${x.key}`);
    const response = WARCRecord.create(
      {
        url: e.url,
        date: iso(x.at),
        type: 'response',
        warcVersion: 'WARC/1.1',
        statusline: `HTTP/1.1 ${e.status} ${STATUS_CODES[e.status] ?? ''}`.trimEnd(),
        httpHeaders: responseHeaders(e.responseHeaders),
        keepHeadersCase: true,
        warcHeaders: { 'WARC-Record-ID': responseId },
      },
      [e.body],
    );
    const responseBytes = await serialize(response);
    add('response', responseId, e.url, responseBytes, response.warcPayloadDigest ?? null);
    const request = WARCRecord.create(
      {
        url: e.url,
        date: iso(x.at),
        type: 'request',
        warcVersion: 'WARC/1.1',
        statusline: requestLine(e),
        httpHeaders: e.requestHeaders.map(([k, v]) => [k, v] as [string, string]),
        keepHeadersCase: true,
        warcHeaders: { 'WARC-Record-ID': requestId, 'WARC-Concurrent-To': responseId },
      },
      [],
    );
    const requestBytes = await serialize(request);
    add('request', requestId, e.url, requestBytes, request.warcPayloadDigest ?? null);
  }

  for (const r of resources) {
    const id = recordId(`resource:${r.url}:${createHash('sha256').update(r.body).digest('hex')}`);
    const warcHeaders: Record<string, string> = { 'WARC-Record-ID': id, 'Content-Type': r.contentType };
    if (r.refersTo) warcHeaders['WARC-Refers-To-Target-URI'] = r.refersTo;
    const resource = WARCRecord.create(
      { url: r.url, date: iso(r.at), type: 'resource', warcVersion: 'WARC/1.1', warcHeaders },
      [r.body],
    );
    const bytes = await serialize(resource);
    add('resource', id, r.url, bytes, resource.warcPayloadDigest ?? null);
  }
  return { bytes: Buffer.concat(parts), records };
}

/** The CDXJ index of a WARC file (sorted, one line per response and resource), by warcio's indexer. */
export async function cdxjOf(filename: string, bytes: Buffer): Promise<string> {
  const indexer = new CDXIndexer({ format: 'cdxj' });
  const lines: string[] = [];
  async function* reader(): AsyncGenerator<Uint8Array> {
    yield bytes;
  }
  for await (const r of indexer.iterIndex([{ filename, reader: reader() }]))
    lines.push(indexer.serializeCDXJ(r));
  return lines.sort().join('');
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

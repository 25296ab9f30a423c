import { STATUS_CODES } from 'node:http';
import { createHash } from 'node:crypto';
import { CDXIndexer, WARCRecord, WARCSerializer } from 'warcio';
import type { Exchange, HeaderPair } from '../domain/glossary';

/**
 * WARC/1.1 records of captures, written with warcio. Each fetch is written once: a response and a
 * request record per exchange (status line, headers, body as received) and one metadata record
 * saying what the fetch was for, all linked by WARC-Concurrent-To. Screenshots are resource
 * records, each with a metadata record naming the page it shows. Each record is its own gzip
 * member so a CDXJ index can point into the file. Record ids derive from what they hold and when it
 * was fetched, so the same fetch always gives the same bytes and two fetches never share an id.
 */

/** One fetch to archive: its exchanges in order (redirects first), with when its response arrived. */
export interface WarcFetch {
  /** Epoch ms: the time of the observations it backs. */
  readonly at: number;
  readonly exchanges: readonly Exchange[];
  /** A seed unique to the fetch (e.g. the capture digest and the time), for the record ids. */
  readonly key: string;
  /** The fields of its metadata record (application/warc-fields), in order. */
  readonly metadata: readonly (readonly [string, string])[];
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
  /** The fields of the metadata record written beside it. */
  readonly metadata: readonly (readonly [string, string])[];
}

/** The record ids of one fetch. */
export interface FetchRecords {
  /** Per exchange, in order. */
  readonly exchanges: readonly { readonly response: string; readonly request: string }[];
  readonly metadata: string;
}

/** What was written: the file and, per record, where it starts and its ids. */
export interface WarcFile {
  readonly bytes: Buffer;
  readonly records: readonly {
    readonly type: 'warcinfo' | 'request' | 'response' | 'resource' | 'metadata';
    readonly id: string;
    readonly url: string | null;
    readonly offset: number;
    readonly length: number;
    /** `sha256:` + hex of the payload, as the record's WARC-Payload-Digest says. */
    readonly payloadDigest: string | null;
  }[];
  /** Per fetch, in the order given. */
  readonly fetches: readonly FetchRecords[];
  /** Per resource, in the order given: the resource record's id and its metadata record's. */
  readonly resources: readonly { readonly id: string; readonly metadata: string }[];
}

/** A urn:uuid made from a seed (name-based, so rewriting the same capture gives the same id). */
export function recordId(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `<urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}>`;
}

/** The record ids {@link writeWarc} gives a fetch of `exchanges` exchanges seeded with `key`. */
export function fetchRecordIds(key: string, exchanges: number): FetchRecords {
  return {
    exchanges: Array.from({ length: exchanges }, (_, i) => ({
      response: recordId(`response:${key}:${i}`),
      request: recordId(`request:${key}:${i}`),
    })),
    metadata: recordId(`metadata:${key}`),
  };
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

/** The body of a metadata record: `name: value` lines (application/warc-fields). */
function warcFields(fields: readonly (readonly [string, string])[]): Buffer {
  // A value is one line: a line break in it would start a field of its own.
  return Buffer.from(fields.map(([k, v]) => `${k}: ${v.replace(/[\r\n]+/g, ' ')}\r\n`).join(''), 'utf8');
}

/**
 * Writes one .warc.gz: a warcinfo record, then per fetch each exchange's response and request and
 * the fetch's metadata record, then each resource and its metadata record. `software` names the
 * writer in the warcinfo record.
 */
export async function writeWarc(
  filename: string,
  fetches: readonly WarcFetch[],
  resources: readonly WarcResource[],
  software: string,
): Promise<WarcFile> {
  const parts: Buffer[] = [];
  const records: WarcFile['records'][number][] = [];
  let offset = 0;
  const add = async (
    type: WarcFile['records'][number]['type'],
    id: string,
    record: WARCRecord,
  ): Promise<void> => {
    const bytes = await serialize(record);
    parts.push(bytes);
    records.push({
      type,
      id,
      url: record.warcTargetURI ?? null,
      offset,
      length: bytes.length,
      payloadDigest: record.warcPayloadDigest ?? null,
    });
    offset += bytes.length;
  };

  const first = fetches[0]?.at ?? resources[0]?.at ?? 0;
  const infoId = recordId(`warcinfo:${filename}:${fetches.map((f) => f.key).join(',')}`);
  const info = WARCRecord.createWARCInfo(
    {
      filename,
      warcVersion: 'WARC/1.1',
      date: iso(first),
      warcHeaders: { 'WARC-Record-ID': infoId },
    },
    { software, format: 'WARC File Format 1.1', isPartOf: filename },
  );
  await add('warcinfo', infoId, info);

  const fetchRecords: FetchRecords[] = [];
  for (const f of fetches) {
    const { exchanges: ids, metadata: metadataId } = fetchRecordIds(f.key, f.exchanges.length);
    for (const [i, e] of f.exchanges.entries()) {
      const { response: responseId, request: requestId } = ids[i]!;
      const response = WARCRecord.create(
        {
          url: e.url,
          date: iso(f.at),
          type: 'response',
          warcVersion: 'WARC/1.1',
          statusline: `HTTP/1.1 ${e.status} ${STATUS_CODES[e.status] ?? ''}`.trimEnd(),
          httpHeaders: responseHeaders(e.responseHeaders),
          keepHeadersCase: true,
          warcHeaders: [
            ['WARC-Record-ID', responseId],
            ['WARC-Concurrent-To', requestId],
          ],
        },
        [e.body],
      );
      await add('response', responseId, response);
      const request = WARCRecord.create(
        {
          url: e.url,
          date: iso(f.at),
          type: 'request',
          warcVersion: 'WARC/1.1',
          statusline: requestLine(e),
          httpHeaders: e.requestHeaders.map(([k, v]) => [k, v] as [string, string]),
          keepHeadersCase: true,
          warcHeaders: [
            ['WARC-Record-ID', requestId],
            ['WARC-Concurrent-To', responseId],
          ],
        },
        [],
      );
      await add('request', requestId, request);
    }
    const last = f.exchanges[f.exchanges.length - 1];
    const metadata = WARCRecord.create(
      {
        url: last?.url ?? `urn:censorwatch:fetch:${f.key}`,
        date: iso(f.at),
        type: 'metadata',
        warcVersion: 'WARC/1.1',
        warcHeaders: [
          ['WARC-Record-ID', metadataId],
          ['Content-Type', 'application/warc-fields'],
          // One capture event: the metadata names every record of the fetch.
          ...ids.flatMap((x): [string, string][] => [
            ['WARC-Concurrent-To', x.response],
            ['WARC-Concurrent-To', x.request],
          ]),
        ],
      },
      [warcFields(f.metadata)],
    );
    await add('metadata', metadataId, metadata);
    fetchRecords.push({ exchanges: ids, metadata: metadataId });
  }

  const resourceRecords: WarcFile['resources'][number][] = [];
  for (const r of resources) {
    const id = recordId(`resource:${r.url}:${createHash('sha256').update(r.body).digest('hex')}`);
    const metadataId = recordId(`metadata:${id}`);
    const warcHeaders: [string, string][] = [
      ['WARC-Record-ID', id],
      ['Content-Type', r.contentType],
      ['WARC-Concurrent-To', metadataId],
    ];
    if (r.refersTo) warcHeaders.push(['WARC-Refers-To-Target-URI', r.refersTo]);
    const resource = WARCRecord.create(
      { url: r.url, date: iso(r.at), type: 'resource', warcVersion: 'WARC/1.1', warcHeaders },
      [r.body],
    );
    await add('resource', id, resource);
    const metadata = WARCRecord.create(
      {
        url: r.url,
        date: iso(r.at),
        type: 'metadata',
        warcVersion: 'WARC/1.1',
        warcHeaders: [
          ['WARC-Record-ID', metadataId],
          ['Content-Type', 'application/warc-fields'],
          ['WARC-Concurrent-To', id],
          ['WARC-Refers-To', id],
        ],
      },
      [warcFields(r.metadata)],
    );
    await add('metadata', metadataId, metadata);
    resourceRecords.push({ id, metadata: metadataId });
  }
  return { bytes: Buffer.concat(parts), records, fetches: fetchRecords, resources: resourceRecords };
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

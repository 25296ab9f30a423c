import { createHash } from 'node:crypto';
import { zipSync, type Zippable } from 'fflate';
import type { WatchConfig } from '../config/types';
import type { TargetRef } from '../domain/glossary';
import { sha256Hex } from '../domain/hash';
import { UnknownTargetError } from '../errors';
import { headLine, type LogEntry } from '../store/log';
import type { Store, TargetRow } from '../store/store';
import { CHECK_PY } from './check-script';
import { bundleReadme } from './readme';
import { ScreenshotStore, type ScreenshotRow } from '../store/screenshots';
import type { Capture } from '../store/captures';
import { cdxjOf, fetchRecordIds, writeWarc, type FetchRecords, type WarcResource } from './warc';

/**
 * One zip that proves one target's story to someone without censorwatch: the WACZ of its
 * captures, its observations with their log entries, the log from its first entry up to a
 * time-stamped head with the RFC 3161 token, the watch that followed it, every file's SHA-256, and
 * a README saying how to check each with common tools.
 */

/** What a bundle is made from besides the store. */
export interface BundleOptions {
  readonly store: Store;
  readonly target: TargetRef;
  /** The watches of the config that hold the target (their config goes into the manifest). */
  readonly watches: readonly WatchConfig[];
  /** censorwatch's version, for the manifest and the WARC's warcinfo. */
  readonly version: string;
  /** When the bundle is made, epoch ms. */
  readonly now: number;
}

/** A written bundle. */
export interface Bundle {
  readonly zip: Buffer;
  /** Paths inside the zip. */
  readonly files: readonly string[];
  /** The time-stamped head the log part reaches, or null when none covers the target yet. */
  readonly stamped: { readonly seq: number; readonly head: string } | null;
}

/** No such target in the database (a usage error naming `--target`, exit 2). */
export { UnknownTargetError };

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const json = (v: unknown): Buffer => Buffer.from(JSON.stringify(v, null, 2) + '\n', 'utf8');

/** Builds the bundle of one target. */
export async function buildBundle(o: BundleOptions): Promise<Bundle> {
  const { store } = o;
  const row = store.findTarget(o.target);
  if (!row) throw new UnknownTargetError(`${o.target.platform}:${o.target.id}`, store.file);
  const name = `${row.platform}-${row.kind}-${row.id}`;
  const observations = store.observationsOf(row.rowId);

  // The log entries of the target's observations, and the stamp that fixes the last of them.
  const own = observations.map((ob) => ({ ob, entry: store.log.entryOf(ob.id as number) }));
  const seqs = own.map((x) => x.entry?.seq).filter((s): s is number => s !== undefined);
  const firstSeq = seqs.length ? Math.min(...seqs) : 1;
  const lastSeq = seqs.length ? Math.max(...seqs) : 0;
  const stamp = lastSeq > 0 ? store.timestamps.firstCovering(lastSeq) : undefined;
  const toSeq = stamp?.seq ?? lastSeq;

  // The fetches behind the observations, each once: observations that share a capture (one listing
  // page showing the post and a repost of it) point at its records instead of repeating them.
  const fetches = new Map<string, Fetch>();
  const fetchOf = new Map<number, Fetch>();
  for (const { ob, entry } of own) {
    const id = ob.id as number;
    const digest = store.captures.digestOf(id);
    if (digest === undefined) continue;
    // A fetch is its capture at its time: the same bytes fetched again later are a fetch of their own.
    const key = `${digest}@${String(ob.at)}`;
    let f = fetches.get(key);
    if (!f) {
      const capture = store.captures.get(id);
      if (!capture || capture.exchanges.length === 0) continue;
      f = {
        key,
        id: `capture-${fetches.size + 1}`,
        at: ob.at as number,
        sha256: capture.sha256,
        exchanges: capture.exchanges,
        observations: [],
        own: isOwnFetch(capture.exchanges, row.id),
        records: fetchRecordIds(key, capture.exchanges.length),
      };
      fetches.set(key, f);
    }
    f.observations.push({ id, endpoint: String(ob.endpoint), outcome: String(ob.outcome), seq: entry?.seq });
    fetchOf.set(id, f);
  }
  const fetchList = [...fetches.values()];
  const lastResponse = (f: Fetch): string => f.records.exchanges[f.records.exchanges.length - 1]!.response;

  // Screenshots: PNG files of their own, and resource records in the WARC after the fetches, each
  // with a metadata record naming the page it shows and the capture of the observation it is for.
  const screenshotStore = new ScreenshotStore(store);
  const shots = screenshotStore.ofTarget(row.rowId).map((s) => ({ row: s, png: screenshotStore.png(s) }));
  const resources: WarcResource[] = shots.flatMap(({ row: s, png }) => {
    if (!png || s.takenAt === null) return [];
    const f = fetchOf.get(s.observationId);
    const metadata: [string, string][] = [
      ['page', s.url],
      ...(s.finalUrl ? [['final-url', s.finalUrl] as [string, string]] : []),
      ...(s.httpStatus !== null ? [['http-status', String(s.httpStatus)] as [string, string]] : []),
      ['taken-at', new Date(s.takenAt).toISOString()],
      ['reason', s.reason],
      ['target', `${row.platform}:${row.kind}:${row.id}`],
      ['observation', String(s.observationId)],
      ...(f
        ? [['capture', f.id] as [string, string], ['capture-record', lastResponse(f)] as [string, string]]
        : []),
    ];
    return [
      {
        at: s.takenAt,
        url: screenshotUri(s),
        contentType: 'image/png',
        body: png,
        refersTo: s.url,
        metadata,
      },
    ];
  });
  const warcName = 'data.warc.gz';
  const warc = await writeWarc(
    warcName,
    fetchList.map((f) => ({
      at: f.at,
      exchanges: f.exchanges,
      key: f.key,
      metadata: [
        ['target', `${row.platform}:${row.kind}:${row.id}`],
        ['capture', f.id],
        ['capture-sha256', f.sha256],
        ['own-fetch', f.own ? 'yes' : 'no'],
        ...f.observations.map((o): [string, string] => [
          'observation',
          `${o.id} ${o.endpoint} ${o.outcome}${o.seq !== undefined ? ` log-seq ${o.seq}` : ''}`,
        ]),
      ],
    })),
    resources,
    `censorwatch ${o.version}`,
  );
  const resourceIds = new Map(resources.map((x, i) => [x.url, warc.resources[i]!]));
  const pageUrls = fetchList.map((f) => {
    const last = f.exchanges[f.exchanges.length - 1]!;
    const endpoints = [...new Set(f.observations.map((x) => x.endpoint))].join(', ');
    const outcomes = [...new Set(f.observations.map((x) => x.outcome))].join(', ');
    return {
      id: f.id,
      url: last.url,
      ts: new Date(f.at).toISOString(),
      title: `${outcomes} — ${row.platform}:${row.id} (${endpoints}${f.own ? '' : ', seen in another page'})`,
    };
  });
  // The main page is the target's own latest fetch, not a listing or repost that showed it.
  const mainIndex = lastIndexOf(fetchList, (f) => f.own);
  const main = pageUrls[mainIndex >= 0 ? mainIndex : pageUrls.length - 1];
  const wacz = await buildWacz(row, warc.bytes, warcName, pageUrls, main, o);

  // The log part: this target's entries with their facts; the others' by digest only.
  const ownIds = new Set(observations.map((ob) => ob.id as number));
  const logLines: string[] = [];
  for (const e of store.log.entries(firstSeq, toSeq))
    logLines.push(JSON.stringify(logLine(store, e, ownIds)));
  const logFile = Buffer.from(logLines.join('\n') + (logLines.length ? '\n' : ''), 'utf8');

  const files: Record<string, Buffer> = {};
  const waczPath = `${name}.wacz`;
  files[waczPath] = wacz;
  files['log/entries.jsonl'] = logFile;
  files['check.py'] = Buffer.from(CHECK_PY, 'utf8');
  const screenshots = shots.map(({ row: s, png }) => {
    const file = png ? `screenshots/${screenshotName(s)}` : null;
    if (file && png) files[file] = png;
    return {
      file,
      reason: s.reason,
      state: s.state,
      observation: s.observationId,
      url: s.url,
      finalUrl: s.finalUrl,
      httpStatus: s.httpStatus,
      wantedAt: iso(s.wantedAt),
      takenAt: iso(s.takenAt),
      sha256: s.pngSha256,
      width: s.width,
      height: s.height,
      warcRecord: png ? (resourceIds.get(screenshotUri(s))?.id ?? null) : null,
      warcMetadata: png ? (resourceIds.get(screenshotUri(s))?.metadata ?? null) : null,
      capture: fetchOf.get(s.observationId)?.id ?? null,
      pageText: s.pageText,
      ...(s.state === 'failed' ? { error: s.error } : {}),
    };
  });
  let stamped: Bundle['stamped'] = null;
  if (stamp?.reply) {
    const headPath = `log/head-${stamp.seq}.txt`;
    files[headPath] = Buffer.from(headLine(stamp), 'utf8');
    files[`${headPath}.tsr`] = stamp.reply;
    stamped = { seq: stamp.seq, head: stamp.head };
  }

  const manifest = {
    format: 'censorwatch-bundle/1',
    software: `censorwatch ${o.version}`,
    version: o.version,
    createdAt: new Date(o.now).toISOString(),
    target: {
      platform: row.platform,
      kind: row.kind,
      id: row.id,
      // The database's row of the target, which each link of its chain covers (see chainRule).
      rowId: row.rowId,
      url: row.url,
      verdict: row.state.verdict,
      cause: row.state.cause,
      firstSeenAt: iso(row.state.firstSeenAt),
      lastAliveAt: iso(row.state.lastAliveAt),
      goneAt: iso(row.state.goneAt),
      // The deletion window is (lastAliveAt, goneAt]: the deletion happened after the one, by the other.
      deletionWindow: row.state.goneAt !== null ? [iso(row.state.lastAliveAt), iso(row.state.goneAt)] : null,
      author: { id: row.authorId, name: row.authorName },
    },
    watches: o.watches,
    chainRule:
      'chain = sha256(join("\\u001f", [previous chain or "", target.rowId, at in epoch ms, endpoint, outcome, notice or "", contentHash or "", bodySha256 or ""])), hex',
    observations: own.map(({ ob, entry }) => ({
      id: ob.id,
      at: iso(ob.at as number),
      endpoint: ob.endpoint,
      outcome: ob.outcome,
      notice: ob.message ?? null,
      httpStatus: ob.http_status ?? null,
      url: ob.url ?? null,
      finalUrl: ob.final_url ?? null,
      bodySha256: ob.body_hash ?? null,
      contentHash: ob.content_hash ?? null,
      content: ob.content ? (JSON.parse(ob.content as string) as unknown) : null,
      // The target's own chain link, and its place in the one log over all observations.
      chain: ob.chain,
      log: entry
        ? { seq: entry.seq, prev: entry.prev, head: entry.head, facts: store.log.factsOf(entry) }
        : null,
      capture: fetchOf.get(ob.id as number)?.id ?? null,
      warcRecords: recordsOf(fetchOf.get(ob.id as number)),
    })),
    // Each fetch once, with the observations it backs and its WARC records.
    captures: fetchList.map((f) => ({
      id: f.id,
      at: iso(f.at),
      sha256: f.sha256,
      own: f.own,
      url: f.exchanges[f.exchanges.length - 1]!.url,
      observations: f.observations.map((x) => x.id),
      warc: {
        metadata: f.records.metadata,
        exchanges: f.exchanges.map((e, i) => ({
          url: e.url,
          status: e.status,
          payloadSha256: e.payloadSha256,
          response: f.records.exchanges[i]!.response,
          request: f.records.exchanges[i]!.request,
        })),
      },
    })),
    mainPage: main ? { capture: main.id, url: main.url, ts: main.ts } : null,
    log: {
      file: 'log/entries.jsonl',
      from: firstSeq,
      to: toSeq,
      rule: 'head = sha256(prev + "\\n" + factsSha256), hex; factsSha256 = sha256(facts); each line links to the one before',
      stamped: stamp
        ? {
            seq: stamp.seq,
            head: stamp.head,
            file: `log/head-${stamp.seq}.txt`,
            token: `log/head-${stamp.seq}.txt.tsr`,
            tsa: stamp.tsaUrl,
            genTime: iso(stamp.genTime),
          }
        : null,
    },
    // Screenshots of the page a person would open, taken after the observation they are for
    // (takenAt): its first alive one, each edit, and its first gone one.
    screenshots,
    wacz: waczPath,
    files: Object.entries(files)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([path, data]) => ({ path, sha256: sha256(data), bytes: data.length })),
  };
  const manifestBytes = json(manifest);
  const readme = Buffer.from(
    bundleReadme({
      name,
      target: row,
      waczPath,
      stamped: manifest.log.stamped,
      version: o.version,
      screenshots: screenshots.flatMap((s) => (s.file ? [s.file] : [])),
    }),
    'utf8',
  );
  files['manifest.json'] = manifestBytes;
  files['README.txt'] = readme;
  // One line per file for `sha256sum -c SHA256SUMS`.
  files['SHA256SUMS'] = Buffer.from(
    Object.entries(files)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([path, data]) => `${sha256(data)}  ${path}\n`)
      .join(''),
    'utf8',
  );

  const mtime = new Date(o.now);
  const zippable: Zippable = {};
  for (const [path, data] of Object.entries(files))
    // Already-compressed parts are stored as they are, as WACZ asks of its own contents.
    zippable[path] = [data, { level: path.endsWith('.wacz') ? 0 : 6, mtime }];
  return { zip: Buffer.from(zipSync(zippable)), files: Object.keys(files).sort(), stamped };
}

/** One fetch as the bundle archives it. */
interface Fetch {
  readonly key: string;
  /** Its name in the manifest and pages.jsonl, `capture-N`. */
  readonly id: string;
  readonly at: number;
  readonly sha256: string;
  readonly exchanges: Capture['exchanges'];
  readonly observations: { id: number; endpoint: string; outcome: string; seq: number | undefined }[];
  /** Whether it fetched the target itself (its id in the URL), not a listing or repost showing it. */
  readonly own: boolean;
  readonly records: FetchRecords;
}

/** A fetch's record ids in the order the WARC holds them. */
function recordsOf(f: Fetch | undefined): string[] {
  if (!f) return [];
  return [...f.records.exchanges.flatMap((x) => [x.response, x.request]), f.records.metadata];
}

/** Whether a fetch asked for the target itself: its final URL names the target's id. */
function isOwnFetch(exchanges: Capture['exchanges'], id: string): boolean {
  const url = exchanges[exchanges.length - 1]?.url ?? '';
  let decoded = url;
  try {
    decoded = decodeURIComponent(url);
  } catch {
    // A malformed escape: match against the URL as it is.
  }
  const escaped = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^A-Za-z0-9])${escaped}([^A-Za-z0-9]|$)`).test(decoded);
}

function lastIndexOf<T>(xs: readonly T[], p: (x: T) => boolean): number {
  for (let i = xs.length - 1; i >= 0; i--) if (p(xs[i]!)) return i;
  return -1;
}

/** The URI a screenshot is archived under in the WARC. */
function screenshotUri(s: ScreenshotRow): string {
  return `urn:censorwatch:screenshot:${s.platform}:${s.nativeId}:${s.takenAt ?? 0}`;
}

/** `20230427T020000Z-first-12.png`: sorts by time, says why it was taken. */
function screenshotName(s: ScreenshotRow): string {
  const at = new Date(s.takenAt ?? s.wantedAt).toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
  return `${at}-${s.reason}-${s.id}.png`;
}

function logLine(store: Store, e: LogEntry, own: ReadonlySet<number>): Record<string, unknown> {
  const facts = own.has(e.observationId) ? store.log.factsOf(e) : undefined;
  return {
    seq: e.seq,
    prev: e.prev,
    head: e.head,
    factsSha256: facts !== undefined ? sha256Hex(facts) : factsDigest(store, e),
    ...(facts !== undefined ? { facts } : {}),
  };
}

/** Another target's facts, by digest only: the chain checks without showing what else is watched. */
function factsDigest(store: Store, e: LogEntry): string | null {
  const facts = store.log.factsOf(e);
  return facts === undefined ? null : sha256Hex(facts);
}

/** The WACZ 1.1.1 of a target's captures. */
async function buildWacz(
  row: TargetRow,
  warc: Buffer,
  warcName: string,
  pages: readonly { url: string; ts: string; title: string; id: string }[],
  main: { url: string; ts: string } | undefined,
  o: BundleOptions,
): Promise<Buffer> {
  const files: Record<string, Buffer> = {};
  files[`archive/${warcName}`] = warc;
  files['indexes/index.cdxj'] = Buffer.from(await cdxjOf(warcName, warc), 'utf8');
  files['pages/pages.jsonl'] = Buffer.from(
    [{ format: 'json-pages-1.0', id: 'pages', title: 'All Pages' }, ...pages]
      .map((p) => JSON.stringify(p))
      .join('\n') + '\n',
    'utf8',
  );
  const created = new Date(o.now).toISOString();
  const datapackage = {
    profile: 'data-package',
    wacz_version: '1.1.1',
    title: `${row.platform}:${row.id} as censorwatch observed it`,
    description: `Every capture censorwatch kept of ${row.url} (${row.platform} ${row.kind} ${row.id}): the requests and responses behind each observation, in order.`,
    created,
    modified: created,
    software: `censorwatch ${o.version}`,
    ...(main ? { mainPageUrl: main.url, mainPageDate: main.ts } : {}),
    resources: Object.entries(files).map(([path, data]) => ({
      name: path.slice(path.lastIndexOf('/') + 1),
      path,
      hash: `sha256:${sha256(data)}`,
      bytes: data.length,
    })),
  };
  files['datapackage.json'] = json(datapackage);
  files['datapackage-digest.json'] = json({
    path: 'datapackage.json',
    hash: `sha256:${sha256(files['datapackage.json'])}`,
  });
  const mtime = new Date(o.now);
  const zippable: Zippable = {};
  for (const [path, data] of Object.entries(files))
    zippable[path] = [data, { level: path.startsWith('archive/') ? 0 : 6, mtime }];
  return Buffer.from(zipSync(zippable));
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

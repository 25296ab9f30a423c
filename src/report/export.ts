/**
 * Exports: one row per target or per event, as JSON Lines or CSV, streamed to a Writable.
 *
 * CSV choices, for R (`read.csv`, readr), pandas and spreadsheets:
 * - RFC 4180: CRLF between records; a field is quoted when it holds a quote, comma, CR or LF, and
 *   quotes inside are doubled. Chinese text is written as UTF-8 as is.
 * - No byte-order mark by default: R's `read.csv` and pandas' `read_csv` read plain UTF-8, and with a
 *   BOM they put `\ufeff` into the first column's name. Excel needs the BOM to detect UTF-8, so
 *   `bom: true` adds it for people who open the file in Excel.
 * - Arrays are joined by `;`, `detail` is JSON, null is an empty field.
 * - `excel: true` adds the BOM and writes id columns as `="4900000000000001"`, which Excel shows as
 *   text; read as a number, a 16-digit mid loses its last digits (Excel keeps 15). It also puts an
 *   apostrophe before any other cell that starts with `=`, `+`, `-`, `@`, tab or CR, so a post
 *   written as a formula is shown, not run (OWASP's advice on CSV injection). Plain CSV and JSONL keep
 *   the text exact: it is evidence.
 * - Lone UTF-16 surrogates cannot be written as UTF-8: JSONL writes U+FFFD for them, as CSV's
 *   UTF-8 encoding does.
 */
import type { Writable } from 'node:stream';
import { once } from 'node:events';
import { isoUtc } from '../domain/clock';
import type { Cause, Platform, TargetKind, Verdict } from '../domain/glossary';
import type { EventRow, Store, TargetSummary } from '../store/store';
import type { GoneObservation } from '../store/report-reads';
import { goneObservations, keywordsByTarget } from '../store/report-reads';
import { wellFormedJson } from './escape';
import type { Pseudonymizer } from './pseudonym';

/** Export file formats. */
export type ExportFormat = 'jsonl' | 'csv';

/** Options of {@link exportTargets} and {@link exportEvents}. */
export interface ExportOptions {
  /** Only targets (or events) of this watch. @defaultValue all watches */
  readonly watchId?: string;
  readonly format: ExportFormat;
  /** Start a CSV with a UTF-8 byte-order mark, for Excel. Ignored for JSONL. @defaultValue false */
  readonly bom?: boolean;
  /** CSV for Excel: the BOM, and ids written so Excel keeps them as text. @defaultValue false */
  readonly excel?: boolean;
  /** Replace author ids and names (and commenters' names in event details). @defaultValue none */
  readonly pseudonymizer?: Pseudonymizer;
}

/** One exported target; keys in this order are the contract (DESIGN.md, "Export row"). */
export interface TargetExportRow {
  readonly platform: Platform;
  readonly kind: TargetKind;
  /** Weibo mid as a string; NetEase DOCID. */
  readonly id: string;
  readonly url: string;
  readonly watches: readonly string[];
  readonly verdict: Verdict;
  /** Null unless the verdict is `gone`. */
  readonly cause: Cause | null;
  /** The post's own created time, as the platform stated it. */
  readonly createdAt: string | null;
  readonly firstSeenAt: string;
  readonly lastAliveAt: string | null;
  /** First gone observation; null unless the verdict is `gone`. */
  readonly goneAt: string | null;
  /** The platform's words on the observation that states the cause; null unless gone. */
  readonly notice: string | null;
  /** The watched keywords that found the target (one per watch at most: the first that did). */
  readonly keywords: readonly string[];
  readonly editCount: number;
  readonly observations: number;
  /** Author's display name (or id when the name is unknown). */
  readonly author: string | null;
  /** The platform's id of the author (Weibo uid); null when unknown (NetEase media). */
  readonly authorId: string | null;
  /** Last alive plain text. */
  readonly text: string | null;
}

/** One exported event; keys in this order are the contract (DESIGN.md, "Event row"). */
export interface EventExportRow {
  readonly type: string;
  readonly at: string;
  readonly watch: string | null;
  readonly platform: Platform;
  /** Native id of the target; null for search and monitor events. */
  readonly targetId: string | null;
  /** The keyword of search events; null otherwise. */
  readonly keyword: string | null;
  /** The cause of gone events; null otherwise. */
  readonly cause: Cause | null;
  readonly detail: Record<string, unknown>;
  /**
   * `post` or `thread` for an event of a target, null otherwise. A Weibo post and its comment
   * thread share one id, and both can raise `post.gone`: without this a count of `post.gone`
   * rows counts the threads as posts. Last, so the contract's columns keep their places.
   */
  readonly kind: TargetKind | null;
}

/** Column order of target exports. */
export const TARGET_COLUMNS = [
  'platform',
  'kind',
  'id',
  'url',
  'watches',
  'verdict',
  'cause',
  'createdAt',
  'firstSeenAt',
  'lastAliveAt',
  'goneAt',
  'notice',
  'keywords',
  'editCount',
  'observations',
  'author',
  'authorId',
  'text',
] as const satisfies readonly (keyof TargetExportRow)[];

/** Column order of event exports. */
export const EVENT_COLUMNS = [
  'type',
  'at',
  'watch',
  'platform',
  'targetId',
  'keyword',
  'cause',
  'detail',
  'kind',
] as const satisfies readonly (keyof EventExportRow)[];

/** What a target row needs beyond the target itself, read once per export. */
export interface TargetExtras {
  readonly gone?: GoneObservation;
  readonly keywords?: readonly string[];
  readonly pseudonymizer?: Pseudonymizer;
}

/**
 * Builds a target's export row. `text` falls back to the last stored content when the state holds
 * no text (e.g. a target only ever seen in truncated listings).
 */
export function targetExportRow(
  t: TargetSummary,
  store?: Pick<Store, 'lastContent'>,
  extras: TargetExtras = {},
): TargetExportRow {
  const s = t.state;
  const gone = s.verdict === 'gone';
  const text =
    s.lastAliveText ?? (s.lastAliveAt !== null && store ? (store.lastContent(t.rowId)?.text ?? null) : null);
  const who = extras.pseudonymizer
    ? extras.pseudonymizer.author(t.platform, t.authorId, t.authorName)
    : { authorId: t.authorId, author: t.authorName ?? t.authorId };
  return {
    platform: t.platform,
    kind: t.kind,
    id: t.id,
    url: t.url,
    watches: [...t.watches],
    verdict: s.verdict,
    cause: gone ? s.cause : null,
    createdAt: isoUtc(t.createdAt),
    firstSeenAt: isoUtc(s.firstSeenAt)!,
    lastAliveAt: isoUtc(s.lastAliveAt),
    goneAt: gone ? isoUtc(s.goneAt) : null,
    notice: gone ? (extras.gone?.notice ?? null) : null,
    keywords: [...(extras.keywords ?? [])],
    editCount: s.editCount,
    observations: s.observations,
    author: who.author,
    authorId: who.authorId,
    text,
  };
}

/** The keyword of a `post.discovered` event found by a keyword search (`via: keyword:<query>`). */
function discoveredKeyword(e: EventRow): string | null {
  const via = e.detail.via;
  return e.type === 'post.discovered' && typeof via === 'string' && via.startsWith('keyword:')
    ? via.slice('keyword:'.length)
    : null;
}

/** Builds an event's export row. */
export function eventExportRow(e: EventRow, pseudonymizer?: Pseudonymizer): EventExportRow {
  let detail = e.detail;
  if (pseudonymizer && typeof detail.author === 'string') {
    detail = { ...detail, author: pseudonymizer.commenter(e.platform, detail.author) };
  }
  return {
    type: e.type,
    at: isoUtc(e.at)!,
    watch: e.watchId,
    platform: e.platform,
    targetId: e.nativeId,
    keyword: e.keyword ?? discoveredKeyword(e),
    cause: e.cause,
    detail,
    kind: e.kind,
  };
}

/** A value as CSV text, before quoting: arrays joined by `;`, objects as JSON, null empty. */
function csvText(value: unknown): string {
  if (value == null) return '';
  if (Array.isArray(value)) return value.map((v) => String(v)).join(';');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Quotes per RFC 4180 when the text holds a quote, comma, CR or LF. */
function quoteCsv(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV field per RFC 4180. */
export function csvField(value: unknown): string {
  return quoteCsv(csvText(value));
}

/** Columns Excel would read as numbers and round: ids. */
const TEXT_COLUMNS: ReadonlySet<string> = new Set(['id', 'authorId', 'targetId']);

/** A field Excel shows as text, whatever it looks like: `="…"` (then quoted per RFC 4180). */
function excelText(value: unknown): string {
  if (value == null || value === '') return '';
  return csvField(`="${String(value).replace(/"/g, '""')}"`);
}

/** Starts a spreadsheet reads as a formula (or DDE call) when a cell begins with them. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A field Excel shows as typed: an apostrophe before a formula start (Excel hides it). */
function excelField(value: unknown): string {
  const s = csvText(value);
  return quoteCsv(FORMULA_START.test(s) ? `'${s}` : s);
}

/** One CSV record (with its CRLF) of the given columns. */
export function csvRecord<T extends object>(row: T, columns: readonly (keyof T)[], excel = false): string {
  return (
    columns
      .map((c) =>
        !excel ? csvField(row[c]) : TEXT_COLUMNS.has(String(c)) ? excelText(row[c]) : excelField(row[c]),
      )
      .join(',') + '\r\n'
  );
}

/** Writes respecting backpressure, so a large export does not buffer in memory. */
async function write(out: Writable, chunk: string): Promise<void> {
  if (!out.write(chunk, 'utf8')) await once(out, 'drain');
}

async function writeRows<T extends object>(
  rows: Iterable<T>,
  columns: readonly (keyof T)[],
  opts: ExportOptions,
  out: Writable,
): Promise<number> {
  let n = 0;
  if (opts.format === 'csv') {
    await write(out, (opts.bom || opts.excel ? '\ufeff' : '') + columns.join(',') + '\r\n');
    for (const row of rows) {
      await write(out, csvRecord(row, columns, opts.excel ?? false));
      n++;
    }
  } else {
    for (const row of rows) {
      await write(out, wellFormedJson(row) + '\n');
      n++;
    }
  }
  return n;
}

/**
 * Writes one row per target (a target in two watches is one row, listing both) to `out`. Does not
 * end `out`. Returns the number of rows written.
 */
export async function exportTargets(store: Store, opts: ExportOptions, out: Writable): Promise<number> {
  const targets = store.listTargets(opts.watchId ? { watchId: opts.watchId } : {});
  const gone = goneObservations(store);
  const keywords = keywordsByTarget(store);
  // Rows are built lazily so each target's fallback content is read only when it is written.
  function* rows(): Generator<TargetExportRow> {
    for (const t of targets) {
      yield targetExportRow(t, store, {
        gone: gone.get(t.rowId),
        keywords: keywords.get(t.rowId),
        pseudonymizer: opts.pseudonymizer,
      });
    }
  }
  return writeRows(rows(), TARGET_COLUMNS, opts, out);
}

/**
 * Writes one row per stored event row (an event of a target in two watches is stored, and
 * exported, once per watch) in the order they were recorded. Does not end `out`. Returns the
 * number of rows written.
 */
export async function exportEvents(store: Store, opts: ExportOptions, out: Writable): Promise<number> {
  const events = store.listEvents(opts.watchId ? { watchId: opts.watchId } : {});
  function* rows(): Generator<EventExportRow> {
    for (const e of events) yield eventExportRow(e, opts.pseudonymizer);
  }
  return writeRows(rows(), EVENT_COLUMNS, opts, out);
}

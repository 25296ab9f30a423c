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
 */
import type { Writable } from 'node:stream';
import { once } from 'node:events';
import { isoUtc } from '../domain/clock';
import type { Cause, Platform, TargetKind, Verdict } from '../domain/glossary';
import type { EventRow, Store, TargetSummary } from '../store/store';

/** Export file formats. */
export type ExportFormat = 'jsonl' | 'csv';

/** Options of {@link exportTargets} and {@link exportEvents}. */
export interface ExportOptions {
  /** Only targets (or events) of this watch. @defaultValue all watches */
  readonly watchId?: string;
  readonly format: ExportFormat;
  /** Start a CSV with a UTF-8 byte-order mark, for Excel. Ignored for JSONL. @defaultValue false */
  readonly bom?: boolean;
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
  readonly firstSeenAt: string;
  readonly lastAliveAt: string | null;
  /** First gone observation; null unless the verdict is `gone`. */
  readonly goneAt: string | null;
  readonly editCount: number;
  readonly observations: number;
  /** Author's display name (or id when the name is unknown). */
  readonly author: string | null;
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
  'firstSeenAt',
  'lastAliveAt',
  'goneAt',
  'editCount',
  'observations',
  'author',
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
] as const satisfies readonly (keyof EventExportRow)[];

/**
 * Builds a target's export row. `text` falls back to the last stored content when the state holds
 * no text (e.g. a target only ever seen in truncated listings).
 */
export function targetExportRow(t: TargetSummary, store?: Pick<Store, 'lastContent'>): TargetExportRow {
  const s = t.state;
  const gone = s.verdict === 'gone';
  const text =
    s.lastAliveText ?? (s.lastAliveAt !== null && store ? (store.lastContent(t.rowId)?.text ?? null) : null);
  return {
    platform: t.platform,
    kind: t.kind,
    id: t.id,
    url: t.url,
    watches: [...t.watches],
    verdict: s.verdict,
    cause: gone ? s.cause : null,
    firstSeenAt: isoUtc(s.firstSeenAt)!,
    lastAliveAt: isoUtc(s.lastAliveAt),
    goneAt: gone ? isoUtc(s.goneAt) : null,
    editCount: s.editCount,
    observations: s.observations,
    author: t.authorName ?? t.authorId,
    text,
  };
}

/** Builds an event's export row. */
export function eventExportRow(e: EventRow): EventExportRow {
  return {
    type: e.type,
    at: isoUtc(e.at)!,
    watch: e.watchId,
    platform: e.platform,
    targetId: e.nativeId,
    keyword: e.keyword,
    cause: e.cause,
    detail: e.detail,
  };
}

/** One CSV field per RFC 4180. */
export function csvField(value: unknown): string {
  let s: string;
  if (value == null) s = '';
  else if (Array.isArray(value)) s = value.map((v) => String(v)).join(';');
  else if (typeof value === 'object') s = JSON.stringify(value);
  else s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV record (with its CRLF) of the given columns. */
export function csvRecord<T extends object>(row: T, columns: readonly (keyof T)[]): string {
  return columns.map((c) => csvField(row[c])).join(',') + '\r\n';
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
    await write(out, (opts.bom ? '\ufeff' : '') + columns.join(',') + '\r\n');
    for (const row of rows) {
      await write(out, csvRecord(row, columns));
      n++;
    }
  } else {
    for (const row of rows) {
      await write(out, JSON.stringify(row) + '\n');
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
  // Rows are built lazily so each target's fallback content is read only when it is written.
  function* rows(): Generator<TargetExportRow> {
    for (const t of targets) yield targetExportRow(t, store);
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
    for (const e of events) yield eventExportRow(e);
  }
  return writeRows(rows(), EVENT_COLUMNS, opts, out);
}

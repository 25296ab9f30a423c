/**
 * Reports: {@link buildReport} reads the store once into a typed {@link Report}; the renderers turn
 * it into Markdown, JSON or one self-contained HTML page. Absolute times in a Report are ISO 8601
 * UTC strings; durations (in {@link WatchStats}) are milliseconds.
 */
import { isoUtc } from '../domain/clock';
import type { Cause, Platform, TargetKind } from '../domain/glossary';
import { FINAL_OUTCOMES } from '../domain/glossary';
import type { EventRow, Store, TargetSummary } from '../store/store';
import type { BaselineComparison, KeywordHistory, WatchStats } from './stats';
import {
  formatComparison,
  formatCurveTime,
  formatDeletedBy,
  formatDuration,
  formatQuantiles,
  formatRate,
  formatSurvival,
} from './format';
import {
  CENSORSHIP_NOTE,
  DELETION_WINDOW_NOTE,
  compareWatches,
  computeWatchStats,
  keywordHistory,
} from './stats';

/** Options of {@link buildReport}. Times are epoch milliseconds. */
export interface ReportOptions {
  /** Report on this watch only (plus the baseline, when given). @defaultValue every watch */
  readonly watchId?: string;
  /** Compare the reported watch (or every other watch) against this one. @defaultValue no comparison */
  readonly baselineId?: string;
  /** Only targets first seen at or after this time; also bounds edits and keyword history. */
  readonly since?: number;
  /** Only targets first seen before this time; also bounds edits and keyword history. */
  readonly until?: number;
  /** When the report is made. */
  readonly now: number;
}

/** Thrown when a watch id given to {@link buildReport} is not in the store. */
export class UnknownWatchError extends Error {
  constructor(readonly watchId: string) {
    super(`unknown watch: ${watchId}`);
    this.name = 'UnknownWatchError';
  }
}

/** A gone target, with what it said when last seen alive. */
export interface GoneTargetEntry {
  readonly platform: Platform;
  readonly kind: TargetKind;
  readonly id: string;
  readonly url: string;
  readonly watches: readonly string[];
  readonly author: string | null;
  readonly cause: Cause | null;
  readonly createdAt: string | null;
  readonly firstSeenAt: string;
  /** Start of the deletion window (exclusive); null when never seen alive. */
  readonly lastAliveAt: string | null;
  /** End of the deletion window (inclusive): the first gone observation. */
  readonly goneAt: string | null;
  /** Window length in milliseconds; null when never seen alive. */
  readonly windowMs: number | null;
  readonly lastAliveText: string | null;
}

/** One diff part, as the verdict rules record it in `post.edited` events. */
export interface EditDiffPart {
  readonly op: '=' | '+' | '-';
  readonly text: string;
}

/** An edit of a target, from a `post.edited` event. */
export interface EditEntry {
  readonly platform: Platform;
  readonly id: string;
  readonly url: string | null;
  readonly at: string;
  /** `[-removed-]{+inserted+}` inside kept text. */
  readonly diffText: string | null;
  readonly diff: readonly EditDiffPart[] | null;
}

/** A keyword's search history, times as ISO strings. */
export interface KeywordReport extends Omit<
  KeywordHistory,
  'lastResultsAt' | 'firstSearchAt' | 'lastSearchAt' | 'transitions'
> {
  readonly lastResultsAt: string | null;
  readonly firstSearchAt: string | null;
  readonly lastSearchAt: string | null;
  readonly transitions: readonly { type: string; at: string; reason: string | null }[];
}

/** Everything reported about one watch. */
export interface WatchReport {
  readonly id: string;
  readonly name: string;
  readonly isBaseline: boolean;
  readonly stats: WatchStats;
  /** Gone targets, by first gone observation. */
  readonly gone: readonly GoneTargetEntry[];
  /** Edits, in time order. */
  readonly edits: readonly EditEntry[];
  readonly keywords: readonly KeywordReport[];
  /** Against the baseline watch; null for the baseline itself or without one. */
  readonly comparison: BaselineComparison | null;
}

/** A report over one or more watches. */
export interface Report {
  readonly generatedAt: string;
  readonly filter: {
    readonly watchId: string | null;
    readonly baselineId: string | null;
    readonly since: string | null;
    readonly until: string | null;
  };
  /** Method statements every rendering repeats. */
  readonly notes: {
    readonly deletionWindow: string;
    readonly censorship: string;
    readonly method: readonly string[];
  };
  readonly watches: readonly WatchReport[];
}

const METHOD_NOTES: readonly string[] = [
  'Rates count posts; comment threads are counted by verdict only, since a thread disappears with its article.',
  'Deletion and censorship rates are over posts seen alive at least once; posts already gone when first fetched are listed but not in the rates.',
  "Intervals are Wilson score 95% intervals; differences use Newcombe's hybrid score interval.",
  "Baseline comparisons are one-sided (H1: topic rate > baseline rate): Fisher's exact test when any expected cell count is below 5, else a pooled two-proportion z-test.",
  "Time to deletion runs from the post's created time (or first seen, when the platform gave none) to the end of the deletion window; quartiles interpolate linearly (R type 7).",
  "A target first seen in the period is reported with everything observed about it, also after the period's end.",
];

function inPeriod(at: number, opts: ReportOptions): boolean {
  return (opts.since == null || at >= opts.since) && (opts.until == null || at < opts.until);
}

function targetKey(platform: string, kind: string | null, id: string): string {
  return `${platform}\u001f${kind ?? 'post'}\u001f${id}`;
}

function asDiff(v: unknown): EditDiffPart[] | null {
  if (!Array.isArray(v)) return null;
  const out: EditDiffPart[] = [];
  for (const p of v) {
    if (typeof p !== 'object' || p === null) return null;
    const { op, text } = p as Record<string, unknown>;
    if ((op !== '=' && op !== '+' && op !== '-') || typeof text !== 'string') return null;
    out.push({ op, text });
  }
  return out;
}

function goneEntry(t: TargetSummary, store: Store): GoneTargetEntry {
  const s = t.state;
  return {
    platform: t.platform,
    kind: t.kind,
    id: t.id,
    url: t.url,
    watches: t.watches,
    author: t.authorName ?? t.authorId,
    cause: s.cause,
    createdAt: isoUtc(t.createdAt),
    firstSeenAt: isoUtc(s.firstSeenAt)!,
    lastAliveAt: isoUtc(s.lastAliveAt),
    goneAt: isoUtc(s.goneAt),
    windowMs: s.lastAliveAt !== null && s.goneAt !== null ? s.goneAt - s.lastAliveAt : null,
    lastAliveText:
      s.lastAliveText ?? (s.lastAliveAt !== null ? (store.lastContent(t.rowId)?.text ?? null) : null),
  };
}

function watchReport(
  store: Store,
  watch: { id: string; name: string },
  targets: readonly TargetSummary[],
  opts: ReportOptions,
  isBaseline: boolean,
): Omit<WatchReport, 'comparison'> {
  const stats = computeWatchStats(
    targets.map((t) => ({
      kind: t.kind,
      verdict: t.state.verdict,
      cause: t.state.cause,
      firstSeenAt: t.state.firstSeenAt,
      lastAliveAt: t.state.lastAliveAt,
      goneAt: t.state.goneAt,
      createdAt: t.createdAt,
    })),
  );
  const gone = targets
    .filter((t) => t.state.verdict === 'gone')
    .sort((a, b) => (a.state.goneAt ?? 0) - (b.state.goneAt ?? 0))
    .map((t) => goneEntry(t, store));

  const byKey = new Map(targets.map((t) => [targetKey(t.platform, t.kind, t.id), t]));
  const events = store.listEvents({ watchId: watch.id });
  const edits: EditEntry[] = [];
  const searchEvents: EventRow[] = [];
  for (const e of events) {
    if (e.type === 'post.edited' && e.nativeId !== null) {
      const t = byKey.get(targetKey(e.platform, e.kind, e.nativeId));
      if (!t || !inPeriod(e.at, opts)) continue;
      edits.push({
        platform: e.platform,
        id: e.nativeId,
        url: t.url,
        at: isoUtc(e.at)!,
        diffText: typeof e.detail.diffText === 'string' ? e.detail.diffText : null,
        diff: asDiff(e.detail.diff),
      });
    } else if ((e.type === 'search.blocked' || e.type === 'search.unblocked') && inPeriod(e.at, opts)) {
      searchEvents.push(e);
    }
  }

  const keywords: KeywordReport[] = store
    .listSources(watch.id)
    .filter((s) => s.mode === 'keyword')
    .map((s) => {
      const h = keywordHistory(
        s,
        store.searchHistory(s.id).filter((x) => inPeriod(x.at, opts)),
        searchEvents.filter((e) => e.keyword === s.query && e.platform === s.platform),
      );
      return {
        ...h,
        lastResultsAt: isoUtc(h.lastResultsAt),
        firstSearchAt: isoUtc(h.firstSearchAt),
        lastSearchAt: isoUtc(h.lastSearchAt),
        transitions: h.transitions.map((t) => ({ ...t, at: isoUtc(t.at)! })),
      };
    });

  return { id: watch.id, name: watch.name, isBaseline, stats, gone, edits, keywords };
}

/**
 * Reads the store into a {@link Report}. With `watchId`, that watch (and the baseline, when given)
 * is reported; without it, every watch. With `baselineId`, each other reported watch is compared
 * against the baseline. Throws {@link UnknownWatchError} for a watch id not in the store.
 */
export function buildReport(store: Store, opts: ReportOptions): Report {
  const all = store.listWatches();
  const known = new Map(all.map((w) => [w.id, w]));
  for (const id of [opts.watchId, opts.baselineId]) {
    if (id != null && !known.has(id)) throw new UnknownWatchError(id);
  }
  const selected = opts.watchId ? [known.get(opts.watchId)!] : all;
  if (opts.baselineId && !selected.some((w) => w.id === opts.baselineId))
    selected.push(known.get(opts.baselineId)!);

  const targetsOf = new Map<string, TargetSummary[]>();
  for (const w of selected) {
    targetsOf.set(
      w.id,
      store.listTargets({ watchId: w.id }).filter((t) => inPeriod(t.state.firstSeenAt, opts)),
    );
  }
  const partial = selected.map((w) =>
    watchReport(store, w, targetsOf.get(w.id)!, opts, w.id === opts.baselineId),
  );
  const baseline = partial.find((w) => w.isBaseline);
  const baselineRows = baseline ? new Set(targetsOf.get(baseline.id)!.map((t) => t.rowId)) : null;

  const watches: WatchReport[] = partial.map((w) => {
    if (!baseline || !baselineRows || w.isBaseline) return { ...w, comparison: null };
    const shared = targetsOf.get(w.id)!.filter((t) => baselineRows.has(t.rowId)).length;
    return { ...w, comparison: compareWatches(w.id, w.stats, baseline.id, baseline.stats, shared) };
  });

  return {
    generatedAt: isoUtc(opts.now)!,
    filter: {
      watchId: opts.watchId ?? null,
      baselineId: opts.baselineId ?? null,
      since: isoUtc(opts.since),
      until: isoUtc(opts.until),
    },
    notes: { deletionWindow: DELETION_WINDOW_NOTE, censorship: CENSORSHIP_NOTE, method: METHOD_NOTES },
    watches,
  };
}

function sharedNote(n: number): string {
  return `${n} ${n === 1 ? 'target is' : 'targets are'} in both watches, which makes the samples dependent.`;
}

function windowText(g: GoneTargetEntry): string {
  return `(${g.lastAliveAt ?? 'never seen alive'}, ${g.goneAt ?? '?'}]`;
}

function summaryRows(w: WatchReport): [string, string][] {
  const s = w.stats;
  return [
    ['Targets', `${s.targets} (${s.byKind.post} posts, ${s.byKind.thread} comment threads)`],
    ['Posts seen alive', String(s.seenAlive)],
    ['Posts gone', `${s.postsByVerdict.gone} (${s.goneNeverSeenAlive} of them never seen alive)`],
    ['Deletion rate', formatRate(s.deletionRate)],
    ['Censorship rate (removed_by_platform)', formatRate(s.censorshipRate)],
    ['Time to deletion (Kaplan–Meier)', formatSurvival(s.survival)],
    ['Time to censorship (Kaplan–Meier)', formatSurvival(s.censorshipSurvival)],
    ['Deletion windows', formatQuantiles(s.deletionWindow)],
    ['Deleted within 1 h (Kaplan–Meier)', formatDeletedBy(s.survival.deletedWithin1h)],
    ['Deleted within 24 h (Kaplan–Meier)', formatDeletedBy(s.survival.deletedWithin24h)],
  ];
}

// ---- Markdown ------------------------------------------------------------------------------

/** Makes text safe inside a Markdown table cell: one line, no table or inline syntax. */
function mdCell(text: string, max = 0): string {
  let s = text.replace(/\s*[\r\n]+\s*/g, ' ');
  if (max > 0 && Array.from(s).length > max) s = Array.from(s).slice(0, max).join('') + '…';
  return s.replace(/([\\`*_[\]<>|#])/g, '\\$1');
}

/** A Markdown link to a target's page; plain text for a URL that is not http(s). */
function mdLink(url: string, text: string): string {
  if (!/^https?:\/\//i.test(url)) return mdCell(text);
  return `[${mdCell(text)}](${url.replace(/[\s()<>|]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0'))})`;
}

/** Renders a report as Markdown: per watch, counts, rates, deletion windows and baseline comparison. */
export function renderMarkdown(r: Report): string {
  const out: string[] = [];
  out.push('# censorwatch report', '');
  out.push(`Generated ${r.generatedAt}.`);
  const f = r.filter;
  if (f.since || f.until)
    out.push(`Targets first seen from ${f.since ?? 'the start'} until ${f.until ?? 'now'}.`);
  out.push('', `> ${r.notes.deletionWindow}`, '>', `> ${r.notes.censorship}`, '');
  for (const n of r.notes.method) out.push(`- ${n}`);
  out.push('');

  for (const w of r.watches) {
    const s = w.stats;
    out.push(`## ${mdCell(w.name)} (\`${w.id}\`)${w.isBaseline ? ' (baseline)' : ''}`, '');
    out.push('| measure | value |', '|---|---|');
    for (const [k, v] of summaryRows(w)) out.push(`| ${k} | ${mdCell(v)} |`);
    out.push('');
    out.push('### Targets by verdict', '', '| verdict | targets | posts |', '|---|---:|---:|');
    for (const v of ['alive', 'unconfirmed', 'gone', 'unknown'] as const) {
      out.push(`| ${v} | ${s.byVerdict[v]} | ${s.postsByVerdict[v]} |`);
    }
    out.push('', '### Gone posts by cause', '', '| cause | posts |', '|---|---:|');
    for (const c of FINAL_OUTCOMES) out.push(`| ${c} | ${s.goneByCause[c]} |`);
    out.push('');
    if (w.comparison) {
      const c = w.comparison;
      out.push(`### Against the baseline watch \`${c.baselineWatch}\``, '');
      out.push(
        `- Deletion rate: ${formatRate(c.deletion.topic)} vs ${formatRate(c.deletion.baseline)}; ${formatComparison(c.deletion)}`,
      );
      out.push(
        `- Censorship rate: ${formatRate(c.censorship.topic)} vs ${formatRate(c.censorship.baseline)}; ${formatComparison(c.censorship)}`,
      );
      if (c.sharedTargets > 0) out.push(`- ${sharedNote(c.sharedTargets)}`);
      out.push('');
    }
    out.push(`### Gone targets (${w.gone.length})`, '');
    if (w.gone.length === 0) out.push('None.', '');
    else {
      out.push(
        '| platform | id | author | cause | deletion window | last alive text |',
        '|---|---|---|---|---|---|',
      );
      for (const g of w.gone) {
        out.push(
          `| ${g.platform} | ${mdLink(g.url, g.id)} | ${mdCell(g.author ?? '')} | ${g.cause ?? ''} | ${windowText(g)} | ${mdCell(g.lastAliveText ?? '', 140)} |`,
        );
      }
      out.push('');
    }
    if (w.edits.length > 0) {
      out.push(`### Edits (${w.edits.length})`, '');
      for (const e of w.edits)
        out.push(`- ${e.at} ${e.platform} ${mdCell(e.id)}: ${mdCell(e.diffText ?? '', 200)}`);
      out.push('');
    }
    if (w.keywords.length > 0) {
      out.push(
        '### Keyword searches',
        '',
        '| platform | keyword | state | blocked | searches | history |',
        '|---|---|---|---|---:|---|',
      );
      for (const k of w.keywords) {
        const hist = k.transitions.map((t) => `${t.type.replace('search.', '')} ${t.at}`).join('; ');
        out.push(
          `| ${k.platform} | ${mdCell(k.keyword)} | ${k.state ?? 'n/a'} | ${k.blocked ? 'yes' : 'no'} | ${k.searches} | ${mdCell(hist || 'no change')} |`,
        );
      }
      out.push('');
    }
  }
  return out.join('\n');
}

// ---- JSON ----------------------------------------------------------------------------------

/** Renders a report as indented JSON (the {@link Report} shape). */
export function renderJson(r: Report): string {
  return JSON.stringify(r, null, 2) + '\n';
}

// ---- HTML ----------------------------------------------------------------------------------

/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

/** A link to a target's own page; plain text when the URL is not http(s), so no other scheme runs. */
function targetLink(url: string | null, text: string): string {
  if (url && /^https?:\/\//i.test(url)) return `<a href="${escapeHtml(url)}">${escapeHtml(text)}</a>`;
  return escapeHtml(text);
}

const CSS = `
body{font-family:-apple-system,"Segoe UI","PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.5}
h1{font-size:1.6rem}h2{margin-top:2.5rem;border-bottom:2px solid #333;padding-bottom:.2rem}h3{margin-top:1.5rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem;font-size:.92rem}
th,td{border:1px solid #ccc;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f2f2f2}td.n{text-align:right;font-variant-numeric:tabular-nums}
.note{background:#fff8e1;border-left:4px solid #f0b400;padding:.6rem .9rem;margin:1rem 0}
.text{white-space:pre-wrap;word-break:break-word;max-width:32rem}
.cause-removed_by_platform{color:#b00020;font-weight:600}
del{background:#ffe0e0;text-decoration:line-through}ins{background:#e0ffe0;text-decoration:none}
.muted{color:#666;font-size:.9rem}
`;

function htmlDiff(e: EditEntry): string {
  if (e.diff) {
    return e.diff
      .map((p) =>
        p.op === '='
          ? escapeHtml(p.text)
          : p.op === '-'
            ? `<del>${escapeHtml(p.text)}</del>`
            : `<ins>${escapeHtml(p.text)}</ins>`,
      )
      .join('');
  }
  return escapeHtml(e.diffText ?? '');
}

function htmlWatch(w: WatchReport): string {
  const s = w.stats;
  const h: string[] = [];
  h.push(`<section id="watch-${escapeHtml(w.id)}">`);
  h.push(
    `<h2>${escapeHtml(w.name)} <span class="muted">(${escapeHtml(w.id)})${w.isBaseline ? ' baseline' : ''}</span></h2>`,
  );
  h.push('<table class="summary"><tbody>');
  for (const [k, v] of summaryRows(w)) h.push(`<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`);
  h.push('</tbody></table>');
  if (w.comparison) {
    const c = w.comparison;
    h.push(`<h3>Against the baseline watch <code>${escapeHtml(c.baselineWatch)}</code></h3><ul>`);
    h.push(
      `<li>Deletion rate: ${escapeHtml(formatRate(c.deletion.topic))} vs ${escapeHtml(formatRate(c.deletion.baseline))}; ${escapeHtml(formatComparison(c.deletion))}</li>`,
    );
    h.push(
      `<li>Censorship rate: ${escapeHtml(formatRate(c.censorship.topic))} vs ${escapeHtml(formatRate(c.censorship.baseline))}; ${escapeHtml(formatComparison(c.censorship))}</li>`,
    );
    if (c.sharedTargets > 0) h.push(`<li>${escapeHtml(sharedNote(c.sharedTargets))}</li>`);
    h.push('</ul>');
  }
  h.push('<h3>Gone posts by cause</h3><table><thead><tr><th>cause</th><th>posts</th></tr></thead><tbody>');
  for (const c of FINAL_OUTCOMES)
    h.push(`<tr><td class="cause-${c}">${c}</td><td class="n">${s.goneByCause[c]}</td></tr>`);
  h.push('</tbody></table>');
  h.push(
    '<h3>Targets by verdict</h3><table><thead><tr><th>verdict</th><th>targets</th><th>posts</th></tr></thead><tbody>',
  );
  for (const v of ['alive', 'unconfirmed', 'gone', 'unknown'] as const) {
    h.push(
      `<tr><td>${v}</td><td class="n">${s.byVerdict[v]}</td><td class="n">${s.postsByVerdict[v]}</td></tr>`,
    );
  }
  h.push('</tbody></table>');

  h.push(`<h3>Gone targets (${w.gone.length})</h3>`);
  if (w.gone.length === 0) h.push('<p>None.</p>');
  else {
    h.push(
      '<table class="gone"><thead><tr><th>platform</th><th>target</th><th>author</th><th>cause</th><th>deletion window (last alive, first gone]</th><th>last alive text</th></tr></thead><tbody>',
    );
    for (const g of w.gone) {
      h.push(
        `<tr><td>${escapeHtml(g.platform)}${g.kind === 'thread' ? ' (comments)' : ''}</td><td>${targetLink(g.url, g.id)}</td>` +
          `<td>${escapeHtml(g.author ?? '')}</td><td class="cause-${escapeHtml(g.cause ?? '')}">${escapeHtml(g.cause ?? '')}</td>` +
          `<td>${escapeHtml(windowText(g))}${g.windowMs !== null ? `<br><span class="muted">${escapeHtml(formatDuration(g.windowMs))}</span>` : ''}</td>` +
          `<td class="text">${g.lastAliveText !== null ? escapeHtml(g.lastAliveText) : '<span class="muted">never seen alive</span>'}</td></tr>`,
      );
    }
    h.push('</tbody></table>');
  }

  if (w.edits.length > 0) {
    h.push(`<h3>Edits (${w.edits.length})</h3>`);
    h.push('<table class="edits"><thead><tr><th>when</th><th>target</th><th>change</th></tr></thead><tbody>');
    for (const e of w.edits) {
      h.push(
        `<tr><td>${escapeHtml(e.at)}</td><td>${escapeHtml(e.platform)} ${targetLink(e.url, e.id)}</td><td class="text">${htmlDiff(e)}</td></tr>`,
      );
    }
    h.push('</tbody></table>');
  }

  if (w.keywords.length > 0) {
    h.push('<h3>Keyword searches</h3>');
    h.push(
      '<table class="keywords"><thead><tr><th>platform</th><th>keyword</th><th>last state</th><th>blocked</th><th>searches</th><th>blocked / unblocked</th></tr></thead><tbody>',
    );
    for (const k of w.keywords) {
      const hist = k.transitions.length
        ? k.transitions
            .map(
              (t) =>
                `${escapeHtml(t.type)} ${escapeHtml(t.at)}${t.reason ? ` (${escapeHtml(t.reason)})` : ''}`,
            )
            .join('<br>')
        : 'no change';
      h.push(
        `<tr><td>${escapeHtml(k.platform)}</td><td>${escapeHtml(k.keyword)}</td><td>${escapeHtml(k.state ?? 'n/a')}</td>` +
          `<td>${k.blocked ? 'yes' : 'no'}</td><td class="n">${k.searches}</td><td>${hist}</td></tr>`,
      );
    }
    h.push('</tbody></table>');
  }
  h.push('</section>');
  return h.join('\n');
}

/**
 * Renders a report as one self-contained HTML page: inline CSS, no scripts, no external assets; the
 * only links are the targets' own pages. Summary numbers come first, then, per watch, every gone
 * target with its last alive text, edits with their diffs, and keyword history.
 */
export function renderHtml(r: Report): string {
  const h: string[] = [];
  h.push('<!DOCTYPE html>', '<html lang="en">', '<head>', '<meta charset="utf-8">');
  h.push('<meta name="viewport" content="width=device-width, initial-scale=1">');
  h.push('<title>censorwatch report</title>', `<style>${CSS}</style>`, '</head>', '<body>');
  h.push('<h1>censorwatch report</h1>');
  const f = r.filter;
  h.push(
    `<p class="muted">Generated ${escapeHtml(r.generatedAt)}${f.since || f.until ? `; targets first seen from ${escapeHtml(f.since ?? 'the start')} until ${escapeHtml(f.until ?? 'now')}` : ''}.</p>`,
  );
  h.push(
    `<div class="note"><p>${escapeHtml(r.notes.deletionWindow)}</p><p>${escapeHtml(r.notes.censorship)}</p></div>`,
  );

  h.push('<h2>Summary</h2>');
  h.push(
    '<table class="overview"><thead><tr><th>watch</th><th>targets</th><th>posts seen alive</th><th>gone</th><th>deletion rate</th><th>censorship rate</th><th>median time to deletion</th></tr></thead><tbody>',
  );
  for (const w of r.watches) {
    const s = w.stats;
    h.push(
      `<tr><td><a href="#watch-${escapeHtml(w.id)}">${escapeHtml(w.name)}</a>${w.isBaseline ? ' <span class="muted">baseline</span>' : ''}</td>` +
        `<td class="n">${s.targets}</td><td class="n">${s.seenAlive}</td><td class="n">${s.postsByVerdict.gone}</td>` +
        `<td>${escapeHtml(formatRate(s.deletionRate))}</td><td>${escapeHtml(formatRate(s.censorshipRate))}</td>` +
        `<td>${escapeHtml(formatCurveTime(s.survival.median, s.survival.n))}</td></tr>`,
    );
  }
  h.push('</tbody></table>');
  for (const w of r.watches) h.push(htmlWatch(w));
  h.push('<h2>Method</h2><ul>');
  for (const n of r.notes.method) h.push(`<li>${escapeHtml(n)}</li>`);
  h.push('</ul>', '</body>', '</html>', '');
  return h.join('\n');
}

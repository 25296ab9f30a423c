/**
 * The HTML report: one self-contained page (inline CSS and SVG, no script, no external asset, no
 * font download) that opens offline and prints to PDF. Everything that came from a platform or a
 * config (post text, names, notices, keywords, watch names) is escaped.
 *
 * Order: the topic's key figures with the baseline beside them, the comparison, the charts, then
 * per watch the gone posts with their proof, edits, keyword history and comment threads.
 * Links never lead only to a live page that is now gone: each gone post carries its evidence
 * digest and the command that writes its bundle.
 */
import { FINAL_OUTCOMES } from '../domain/glossary';
import {
  CAUSE_COLORS,
  CAUSE_SERIES,
  COVERAGE_SERIES,
  keywordTimeline,
  isTransient,
  stackedBars,
  survivalChart,
} from './charts';
import { CODE_POINT_NOTE, escapeHtml, escapeHtmlVisible, showInvisible } from './escape';
import {
  PROBLEMS_NOTE,
  beijingTime,
  comparisonRows,
  formatDuration,
  plural,
  summaryRows,
  utcTime,
} from './format';
import type { EditEntry, GoneTargetEntry, Report, ThreadEntry, WatchReport } from './report';
import { coverageBucket } from './report';

export { escapeHtml } from './escape';

/** Element content: escaped, invisible characters shown. Attributes take {@link escapeHtml}. */
const e = escapeHtmlVisible;

/** Chinese text: marked so browsers pick Chinese fonts (and print them). */
function zh(text: string, cls = ''): string {
  return `<span lang="zh-CN"${cls ? ` class="${cls}"` : ''}>${e(text)}</span>`;
}

const CSS = `
:root{color-scheme:light}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK SC","PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei",sans-serif;max-width:72rem;margin:1.5rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.45}
:lang(zh-CN){unicode-bidi:isolate;font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei",sans-serif}
h1{font-size:1.55rem;margin-bottom:.2rem}h2{margin-top:2rem;border-bottom:2px solid #333;padding-bottom:.2rem;font-size:1.3rem}h3{margin-top:1.3rem;font-size:1.08rem}
table{border-collapse:collapse;width:100%;margin:.4rem 0 1rem;font-size:.88rem}
th,td{border:1px solid #ccc;padding:.3rem .45rem;text-align:left;vertical-align:top}
th{background:#f2f2f2}td.n{text-align:right;font-variant-numeric:tabular-nums}
table.side td:first-child{font-weight:600;width:16rem}
table.gone td:nth-child(1){width:11rem}table.gone td:nth-child(2){width:10rem}table.gone td:nth-child(3){width:14rem}table.gone td:nth-child(5){width:12rem}
.note{background:#fff8e1;border-left:4px solid #f0b400;padding:.5rem .8rem;margin:.8rem 0;font-size:.92rem}
.text{white-space:pre-wrap;word-break:break-word;max-width:28rem}
.notice{color:#7a0015}
.cause{font-weight:600}.cause-removed_by_platform{color:#b00020}
code,.mono{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:.78rem;word-break:break-all}
del{background:#ffe0e0;text-decoration:line-through}ins{background:#dff5df;text-decoration:none}
.muted{color:#666;font-size:.86rem}
.charts{display:grid;grid-template-columns:1fr;gap:.6rem}
figure{margin:0 0 .8rem}figcaption{font-size:.86rem;color:#444;margin-bottom:.2rem}
svg.chart{max-width:100%;height:auto;border:1px solid #eee}
a{color:#0b57a4}
.cp{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:.75em;color:#8a4b00;background:#fff1d6;border-radius:2px}
.problems{background:#fdecea;border-left:4px solid #b00020;padding:.1rem .8rem;margin:.8rem 0}.problems h2{margin-top:.5rem;border-bottom:0}
@page{size:A4;margin:14mm}
@media print{body{max-width:none;margin:0;font-size:10pt}h2{break-before:auto;break-after:avoid}h3{break-after:avoid}
tr,figure,svg{break-inside:avoid}thead{display:table-header-group}a{color:inherit;text-decoration:none}
.text{max-width:none}th{background:#eee !important;-webkit-print-color-adjust:exact;print-color-adjust:exact}
svg.chart rect,svg.chart path{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
`;

function windowCell(g: GoneTargetEntry): string {
  if (g.lastAliveAt === null) {
    return `never seen alive<br>first gone ${e(utcTime(g.goneAt) ?? '?')}<br><span class="muted">${e(beijingTime(g.goneAt) ?? '')}</span>`;
  }
  return (
    `(${e(utcTime(g.lastAliveAt)!)},<br>${e(utcTime(g.goneAt) ?? '?')}]` +
    `<br><span class="muted">(${e(beijingTime(g.lastAliveAt)!)}, ${e(beijingTime(g.goneAt) ?? '?')}]</span>` +
    (g.windowMs !== null ? `<br><span class="muted">width ${e(formatDuration(g.windowMs))}</span>` : '')
  );
}

/** The original URL as text with a link marked as gone: the proof is the bundle, not the page. */
function originalLink(url: string): string {
  if (!/^https?:\/\//i.test(url)) return `<span class="mono">${e(url)}</span>`;
  return `<a href="${escapeHtml(url)}" rel="noreferrer nofollow">original</a> <span class="muted">(now gone)</span>`;
}

function goneTable(w: WatchReport): string {
  if (w.gone.length === 0) return '<p>None.</p>';
  const h: string[] = [
    '<table class="gone"><thead><tr><th>deletion window (last alive, first gone] UTC / Beijing</th><th>post</th>' +
      '<th>cause and notice</th><th>last alive text</th><th>evidence</th></tr></thead><tbody>',
  ];
  for (const g of w.gone) {
    const who = g.author !== null ? `<br>${zh(g.author)}` : '';
    const kw = g.keywords.length
      ? `<br><span class="muted">found by ${g.keywords.map((k) => zh(k)).join(', ')}</span>`
      : '';
    const created = g.createdAt ? `<br><span class="muted">created ${e(utcTime(g.createdAt)!)}</span>` : '';
    h.push(
      `<tr><td>${windowCell(g)}</td>` +
        `<td>${e(g.platform)} <span class="mono">${e(g.id)}</span>${who}${created}${kw}<br>${originalLink(g.url)}</td>` +
        `<td><span class="cause cause-${escapeHtml(g.cause ?? '')}">${e(g.cause ?? '')}</span>` +
        (g.notice ? `<br>${zh(g.notice, 'notice')}` : '<br><span class="muted">no notice text</span>') +
        `</td><td class="text">${g.lastAliveText !== null ? zh(g.lastAliveText) : '<span class="muted">never seen alive</span>'}</td>` +
        `<td>${g.evidenceSha256 ? `response sha256 <span class="mono">${e(g.evidenceSha256)}</span><br>` : ''}bundle: <code>${e(g.bundleCommand)}</code></td></tr>`,
    );
  }
  h.push('</tbody></table>');
  return h.join('\n');
}

function diffHtml(x: EditEntry): string {
  if (x.diff) {
    return x.diff
      .map((p) =>
        p.op === '=' ? e(p.text) : p.op === '-' ? `<del>${e(p.text)}</del>` : `<ins>${e(p.text)}</ins>`,
      )
      .join('');
  }
  return e(x.diffText ?? '');
}

function editsTable(w: WatchReport): string {
  const h = [
    '<table class="edits"><thead><tr><th>when (UTC)</th><th>post</th><th>change (<del>removed</del> <ins>added</ins>)</th></tr></thead><tbody>',
  ];
  for (const x of w.edits) {
    h.push(
      `<tr><td>${e(utcTime(x.at)!)}</td><td>${e(x.platform)} <span class="mono">${e(x.id)}</span></td>` +
        `<td class="text" lang="zh-CN">${diffHtml(x)}</td></tr>`,
    );
  }
  h.push('</tbody></table>');
  return h.join('\n');
}

function keywordsTable(w: WatchReport): string {
  const h = [
    '<table class="keywords"><thead><tr><th>platform</th><th>keyword</th><th>last state</th><th>searches</th><th>blocked / unblocked (UTC)</th></tr></thead><tbody>',
  ];
  for (const k of w.keywords) {
    const hist = k.transitions.length
      ? k.transitions
          .map((t) => `${e(t.type)} ${e(utcTime(t.at)!)}${t.reason ? ` (${e(t.reason)})` : ''}`)
          .join('<br>')
      : 'no change';
    const outcomes = Object.entries(k.byOutcome)
      .map(([o, n]) => `${e(o)} ${n}`)
      .join(', ');
    h.push(
      `<tr><td>${e(k.platform)}</td><td>${zh(k.keyword)}</td><td>${e(k.state ?? 'n/a')}${k.blocked ? ' (blocked)' : ''}</td>` +
        `<td>${k.searches}${outcomes ? `<br><span class="muted">${outcomes}</span>` : ''}</td><td>${hist}</td></tr>`,
    );
  }
  h.push('</tbody></table>');
  return h.join('\n');
}

function threadsSection(threads: readonly ThreadEntry[]): string {
  const h = [
    '<table class="threads"><thead><tr><th>thread</th><th>verdict</th><th>comments seen</th><th>comments gone (last seen, found gone] UTC</th></tr></thead><tbody>',
  ];
  for (const t of threads) {
    const gone = t.goneComments.length
      ? t.goneComments
          .map(
            (c) =>
              `${c.author !== null ? zh(c.author) : '<span class="muted">anonymous</span>'}${c.location ? ` <span class="muted">${zh(c.location)}</span>` : ''}: ` +
              `${zh(c.text)} <span class="muted">(${e(utcTime(c.lastSeenAt)!)}, ${e(utcTime(c.goneAt)!)}]</span>`,
          )
          .join('<br>')
      : 'none';
    const closed = t.closed.length
      ? `<br><span class="muted">closed: ${t.closed.map((c) => `${e(utcTime(c.at)!)} ${e(JSON.stringify(c.detail))}`).join('; ')}</span>`
      : '';
    h.push(
      `<tr><td>${e(t.platform)} <span class="mono">${e(t.id)}</span></td><td>${e(t.verdict)}${t.cause ? ` (${e(t.cause)})` : ''}${closed}</td>` +
        `<td class="n">${t.comments}</td><td class="text">${gone}</td></tr>`,
    );
  }
  h.push('</tbody></table>');
  return h.join('\n');
}

function goneOverTime(w: WatchReport): string {
  const times = w.gone.filter((g) => g.goneAt !== null).map((g) => Date.parse(g.goneAt!));
  const span = times.length ? Math.max(...times) - Math.min(...times) : 0;
  const bucketMs = coverageBucket(span);
  const buckets = new Map<number, Record<string, number>>();
  for (const g of w.gone) {
    if (g.goneAt === null || g.cause === null) continue;
    const start = Math.floor(Date.parse(g.goneAt) / bucketMs) * bucketMs;
    const b = buckets.get(start) ?? {};
    b[g.cause] = (b[g.cause] ?? 0) + 1;
    buckets.set(start, b);
  }
  return stackedBars(
    `Gone posts of ${w.name} by cause, per ${formatDuration(bucketMs)} (first gone observation)`,
    [...buckets].sort((a, b) => a[0] - b[0]).map(([start, values]) => ({ start, values })),
    bucketMs,
    CAUSE_SERIES,
  );
}

function coverageChart(w: WatchReport): string {
  return stackedBars(
    `Checks of ${w.name}'s posts per ${formatDuration(w.coverage.bucketMs)}, by answer`,
    w.coverage.buckets.map((b) => {
      const values: Record<string, number> = { alive: 0, final: 0, transient: 0 };
      for (const [o, n] of Object.entries(b.byOutcome)) {
        const k = o === 'alive' ? 'alive' : isTransient(o) ? 'transient' : 'final';
        values[k]! += n ?? 0;
      }
      return { start: Date.parse(b.start), values };
    }),
    w.coverage.bucketMs,
    COVERAGE_SERIES,
  );
}

function charts(w: WatchReport, baseline: WatchReport | undefined): string {
  const curves = [{ label: w.name, color: '#b00020', curve: w.stats.survival }];
  if (baseline)
    curves.push({ label: `${baseline.name} (baseline)`, color: '#1f6fb4', curve: baseline.stats.survival });
  const h = ['<div class="charts">'];
  h.push(`<figure><figcaption>Gone posts by cause over time</figcaption>${goneOverTime(w)}</figure>`);
  h.push(
    `<figure><figcaption>Survival of posts (Kaplan–Meier; alive posts censored at their last check)</figcaption>${survivalChart('Share of posts still there by time since creation', curves)}</figure>`,
  );
  if (w.keywords.length) {
    h.push(
      `<figure><figcaption>Keyword searches over time (red: search results withheld)</figcaption>${keywordTimeline(
        `Searches of ${w.name}'s keywords`,
        w.keywords.map((k) => ({
          keyword: k.keyword,
          platform: k.platform,
          timeline: k.timeline.map((s) => ({ at: Date.parse(s.at), outcome: s.outcome })),
        })),
      )}</figure>`,
    );
  }
  h.push(`<figure><figcaption>Check coverage</figcaption>${coverageChart(w)}</figure>`);
  h.push('</div>');
  return h.join('\n');
}

function causeTable(w: WatchReport): string {
  const rows = FINAL_OUTCOMES.map(
    (c) =>
      `<tr><td><span class="cause cause-${c}" style="border-left:10px solid ${CAUSE_COLORS[c]};padding-left:.4rem">${c}</span></td>` +
      `<td class="n">${w.stats.goneByCause[c]}</td><td class="n">${w.stats.goneSeenAliveByCause[c]}</td></tr>`,
  );
  return `<table class="causes"><thead><tr><th>cause</th><th>gone posts</th><th>of them seen alive</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function watchSection(w: WatchReport, baseline: WatchReport | undefined): string {
  const h: string[] = [];
  h.push(`<section id="watch-${escapeHtml(w.id)}">`);
  h.push(`<h2>${e(w.name)} <span class="muted">(${e(w.id)})${w.isBaseline ? ' · baseline' : ''}</span></h2>`);
  if (!w.isBaseline) h.push(charts(w, baseline));
  h.push(causeTable(w));
  h.push(`<h3>Gone posts (${w.gone.length})</h3>`, goneTable(w));
  if (w.edits.length) h.push(`<h3>Edits (${w.edits.length})</h3>`, editsTable(w));
  if (w.keywords.length) h.push('<h3>Keyword searches</h3>', keywordsTable(w));
  if (w.threads.length) h.push(`<h3>Comment threads (${w.threads.length})</h3>`, threadsSection(w.threads));
  h.push('</section>');
  return h.join('\n');
}

function summary(r: Report): string {
  const cols = r.watches;
  const h = ['<table class="side"><thead><tr><th>measure</th>'];
  for (const w of cols)
    h.push(`<th>${e(w.name)}${w.isBaseline ? ' <span class="muted">(baseline)</span>' : ''}</th>`);
  h.push('</tr></thead><tbody>');
  const rows = cols.map((w) => summaryRows(w.stats));
  rows[0]?.forEach(([label], i) => {
    h.push(`<tr><td>${e(label)}</td>${rows.map((r) => `<td>${e(r[i]![1])}</td>`).join('')}</tr>`);
  });
  h.push('</tbody></table>');
  return h.join('');
}

function comparisons(r: Report): string {
  const h: string[] = [];
  for (const w of r.watches) {
    const c = w.comparison;
    if (!c) continue;
    const baselineName = r.watches.find((x) => x.id === c.baselineWatch)?.name ?? c.baselineWatch;
    h.push(`<h3>${e(w.name)} against ${e(baselineName)}</h3>`);
    h.push(
      '<table class="comparison"><thead><tr><th>rate</th><th>topic</th><th>baseline</th><th>difference</th><th>ratio</th><th>test</th><th>p (one-sided)</th></tr></thead><tbody>',
    );
    for (const row of comparisonRows(c)) {
      h.push(
        `<tr><td>${e(row.measure)}</td><td>${e(row.topic)}</td><td>${e(row.baseline)}</td><td>${e(row.difference)}</td>` +
          `<td>${e(row.ratio)}</td><td>${e(row.test)}</td><td>${e(row.p)}</td></tr>`,
      );
    }
    h.push('</tbody></table>');
    h.push(`<p class="muted">${e(c.censorship.statement)}</p>`);
    if (c.sharedTargets > 0)
      h.push(
        `<p class="muted">${plural(c.sharedTargets, 'post is', 'posts are')} in both watches, which makes the samples dependent.</p>`,
      );
  }
  return h.join('\n');
}

/** The open watch problems, right after the notes: a gap in coverage is read before the figures. */
function problemsSection(r: Report): string {
  if (r.problems.length === 0) return '';
  const items = r.problems.map(
    (p) =>
      `<li><strong>${e(p.summary)}</strong>, since ${e(utcTime(p.since)!)} <span class="muted">(watch ${e(p.watches.join(', '))})</span>` +
      `${p.message ? `: ${zh(p.message)}` : ''}. <span class="muted">${e(p.hint)}.</span></li>`,
  );
  return (
    `<section id="watch-problems" class="problems"><h2>Watch problems (${r.problems.length} open)</h2>` +
    `<p>${e(PROBLEMS_NOTE)}</p><ul>${items.join('')}</ul></section>`
  );
}

/** Renders a report as one self-contained HTML page. */
export function renderHtml(r: Report): string {
  const topics = r.watches.filter((w) => !w.isBaseline);
  const baseline = r.watches.find((w) => w.isBaseline);
  const title = topics.length === 1 ? `censorwatch report: ${topics[0]!.name}` : 'censorwatch report';
  const h: string[] = [];
  h.push('<!DOCTYPE html>', '<html lang="en">', '<head>', '<meta charset="utf-8">');
  h.push('<meta name="viewport" content="width=device-width, initial-scale=1">');
  // No script, no request: a report opened from disk or a mail attachment reaches nowhere.
  h.push(
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
  );
  // Title text is not markup: the marks go in as text.
  h.push(`<title>${escapeHtml(showInvisible(title))}</title>`, `<style>${CSS}</style>`, '</head>', '<body>');
  h.push(`<h1>${e(title)}</h1>`);
  const f = r.filter;
  h.push(
    `<p class="muted">Generated ${e(utcTime(r.generatedAt)!)}${f.since || f.until ? `; posts first seen from ${e(f.since ?? 'the start')} until ${e(f.until ?? 'now')}` : ''}` +
      `${r.pseudonymized ? '; author ids and names replaced by keyed hashes' : ''}. Times in UTC, with Beijing time (UTC+8) beside deletion windows.</p>`,
  );
  h.push(`<div class="note"><p>${e(r.notes.deletionWindow)}</p><p>${e(r.notes.censorship)}</p></div>`);
  const problems = problemsSection(r);
  if (problems) h.push(problems);
  h.push('<h2>Key figures</h2>', summary(r));
  const cmp = comparisons(r);
  if (cmp) h.push('<h2>Against the baseline</h2>', cmp);
  for (const w of topics) h.push(watchSection(w, baseline));
  if (baseline) h.push(watchSection(baseline, undefined));
  h.push('<h2>Method</h2><ul>');
  for (const n of r.notes.method) h.push(`<li>${e(n)}</li>`);
  if (h.some((part) => part.includes('<span class="cp">'))) h.push(`<li>${e(CODE_POINT_NOTE)}</li>`);
  h.push('</ul>', '</body>', '</html>', '');
  return h.join('\n');
}

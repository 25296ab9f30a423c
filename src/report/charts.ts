/**
 * Inline SVG charts for the HTML report: no script, no external asset, every label escaped, so the
 * page stays one self-contained file that prints as it shows. Pure functions of report data.
 */
import type { Cause } from '../domain/glossary';
import { FINAL_OUTCOMES, TRANSIENT_OUTCOMES } from '../domain/glossary';
import { escapeHtml as escapeMarkup, showInvisible } from './escape';

/** SVG text: escaped, invisible characters shown as plain `⟨U+XXXX⟩` (no HTML element inside SVG). */
function escapeHtml(s: string): string {
  return escapeMarkup(showInvisible(s));
}
import type { SurvivalCurve } from './survival';

/** One stacked series: its key in the data, its legend label and its colour. */
export interface SeriesKey {
  readonly key: string;
  readonly label: string;
  readonly color: string;
}

/** Colours of the causes, the censorship signal in red. */
export const CAUSE_COLORS: Readonly<Record<Cause, string>> = {
  removed_by_platform: '#b00020',
  deleted_by_author: '#1f6fb4',
  restricted: '#8a5cb8',
  account_gone: '#8c564b',
  gone_unspecified: '#8a8a8a',
};

/** The causes as chart series. */
export const CAUSE_SERIES: readonly SeriesKey[] = FINAL_OUTCOMES.map((c) => ({
  key: c,
  label: c,
  color: CAUSE_COLORS[c],
}));

/** Check outcomes grouped for the coverage chart. */
export const COVERAGE_SERIES: readonly SeriesKey[] = [
  { key: 'alive', label: 'alive', color: '#3c9a5f' },
  { key: 'final', label: 'stated absence', color: '#555555' },
  { key: 'transient', label: 'no answer (rate limit, captcha, error…)', color: '#e0a100' },
];

/** Whether an outcome is transient (never a deletion). */
export function isTransient(outcome: string): boolean {
  return (TRANSIENT_OUTCOMES as readonly string[]).includes(outcome);
}

const W = 720;
const FONT = 'font-family="sans-serif" font-size="11"';

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

function svgOpen(height: number, title: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${height}" width="100%" role="img" class="chart">` +
    `<title>${escapeHtml(title)}</title>`
  );
}

function legend(keys: readonly SeriesKey[], y: number, x0 = 50): string {
  let x = x0;
  const out: string[] = [];
  for (const k of keys) {
    out.push(
      `<rect x="${x}" y="${y - 9}" width="10" height="10" fill="${k.color}"/>` +
        `<text x="${x + 14}" y="${y}" ${FONT}>${escapeHtml(k.label)}</text>`,
    );
    x += 24 + k.label.length * 6.2;
  }
  return out.join('');
}

/** Edge labels lean inwards so they are not cut off by the chart's border. */
function anchorOf(i: number, last: number): string {
  return i === 0 ? 'start' : i === last ? 'end' : 'middle';
}

/** `02-24 08:00` in UTC. */
function shortTime(ms: number): string {
  return new Date(ms).toISOString().slice(5, 16).replace('T', ' ');
}

/** A bar chart of stacked counts per time bucket. */
export function stackedBars(
  title: string,
  buckets: readonly { readonly start: number; readonly values: Readonly<Record<string, number>> }[],
  bucketMs: number,
  keys: readonly SeriesKey[],
): string {
  const H = 230;
  const left = 50;
  const right = W - 15;
  const top = 26;
  const bottom = H - 40;
  if (buckets.length === 0) {
    return `${svgOpen(60, title)}<text x="${left}" y="30" ${FONT}>nothing to show</text></svg>`;
  }
  const t0 = Math.min(...buckets.map((b) => b.start));
  const t1 = Math.max(...buckets.map((b) => b.start)) + bucketMs;
  const total = (b: (typeof buckets)[number]): number => keys.reduce((s, k) => s + (b.values[k.key] ?? 0), 0);
  const max = Math.max(1, ...buckets.map(total));
  const x = (t: number): number => left + ((t - t0) / (t1 - t0)) * (right - left);
  const y = (v: number): number => bottom - (v / max) * (bottom - top);
  const out: string[] = [svgOpen(H, title)];
  out.push(legend(keys, 14));
  for (const v of [...new Set([0, Math.round(max / 2), max])]) {
    out.push(
      `<line x1="${left}" x2="${right}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/>` +
        `<text x="${left - 6}" y="${y(v) + 4}" text-anchor="end" ${FONT}>${fmt(v)}</text>`,
    );
  }
  const bw = Math.max(1, x(t0 + bucketMs) - x(t0) - 1);
  for (const b of buckets) {
    let acc = 0;
    for (const k of keys) {
      const v = b.values[k.key] ?? 0;
      if (v <= 0) continue;
      out.push(
        `<rect x="${x(b.start).toFixed(1)}" y="${y(acc + v).toFixed(1)}" width="${bw.toFixed(1)}" height="${(y(acc) - y(acc + v)).toFixed(1)}" fill="${k.color}">` +
          `<title>${escapeHtml(`${shortTime(b.start)} UTC: ${v} ${k.label}`)}</title></rect>`,
      );
      acc += v;
    }
  }
  const ticks = 5;
  for (let i = 0; i <= ticks; i++) {
    const t = t0 + ((t1 - t0) * i) / ticks;
    out.push(
      `<text x="${x(t)}" y="${bottom + 16}" text-anchor="${anchorOf(i, ticks)}" ${FONT}>${escapeHtml(shortTime(t))}</text>`,
    );
  }
  out.push(`<text x="${right}" y="${H - 6}" text-anchor="end" ${FONT}>UTC</text>`);
  out.push(`<line x1="${left}" x2="${right}" y1="${bottom}" y2="${bottom}" stroke="#333"/>`, '</svg>');
  return out.join('');
}

const MINUTE = 60_000;
const SURVIVAL_TICKS: readonly [number, string][] = [
  [MINUTE, '1 min'],
  [10 * MINUTE, '10 min'],
  [60 * MINUTE, '1 h'],
  [6 * 60 * MINUTE, '6 h'],
  [24 * 60 * MINUTE, '1 d'],
  [7 * 24 * 60 * MINUTE, '7 d'],
  [30 * 24 * 60 * MINUTE, '30 d'],
];

/**
 * Kaplan–Meier curves on a logarithmic time axis (most deletions come early, censoring late):
 * the share of posts still there against time since creation.
 */
export function survivalChart(
  title: string,
  curves: readonly { readonly label: string; readonly color: string; readonly curve: SurvivalCurve }[],
): string {
  const H = 250;
  const left = 50;
  const right = W - 15;
  const top = 26;
  const bottom = H - 40;
  const tmax = Math.max(60 * MINUTE, ...curves.flatMap((c) => c.curve.steps.map((s) => s.time)));
  const lmin = Math.log10(MINUTE);
  const lmax = Math.log10(tmax);
  const x = (t: number): number =>
    left + ((Math.log10(Math.max(MINUTE, t)) - lmin) / (lmax - lmin)) * (right - left);
  const y = (s: number): number => bottom - s * (bottom - top);
  const out: string[] = [svgOpen(H, title)];
  out.push(
    legend(
      curves.map((c) => ({ key: c.label, label: c.label, color: c.color })),
      14,
    ),
  );
  for (const s of [0, 0.25, 0.5, 0.75, 1]) {
    out.push(
      `<line x1="${left}" x2="${right}" y1="${y(s)}" y2="${y(s)}" stroke="${s === 0.5 ? '#bbb' : '#eee'}"/>` +
        `<text x="${left - 6}" y="${y(s) + 4}" text-anchor="end" ${FONT}>${Math.round(s * 100)}%</text>`,
    );
  }
  for (const [t, label] of SURVIVAL_TICKS) {
    if (t > tmax) break;
    out.push(
      `<line x1="${x(t)}" x2="${x(t)}" y1="${top}" y2="${bottom}" stroke="#eee"/>` +
        `<text x="${x(t)}" y="${bottom + 16}" text-anchor="middle" ${FONT}>${label}</text>`,
    );
  }
  // The first curve (the topic) is drawn last, on top, where curves overlap at 100%.
  for (const c of [...curves].reverse()) {
    if (c.curve.n === 0) continue;
    let d = `M${x(0).toFixed(1)},${y(1).toFixed(1)}`;
    let s = 1;
    for (const st of c.curve.steps) {
      d += ` H${x(st.time).toFixed(1)}`;
      if (st.survival !== s) {
        s = st.survival;
        d += ` V${y(s).toFixed(1)}`;
      }
    }
    out.push(`<path d="${d}" fill="none" stroke="${c.color}" stroke-width="2"/>`);
  }
  out.push(
    `<text x="${right}" y="${H - 6}" text-anchor="end" ${FONT}>time since the post was created (log scale); share of posts still there</text>`,
  );
  out.push(`<line x1="${left}" x2="${right}" y1="${bottom}" y2="${bottom}" stroke="#333"/>`, '</svg>');
  return out.join('');
}

const SEARCH_COLORS: Readonly<Record<string, string>> = {
  results: '#3c9a5f',
  empty: '#bdbdbd',
  withheld: '#b00020',
};

/** Search outcomes as chart series. */
export const SEARCH_SERIES: readonly SeriesKey[] = [
  { key: 'results', label: 'results', color: SEARCH_COLORS.results! },
  { key: 'empty', label: 'empty', color: SEARCH_COLORS.empty! },
  { key: 'withheld', label: 'withheld (notice)', color: SEARCH_COLORS.withheld! },
  { key: 'transient', label: 'no answer', color: '#e0a100' },
];

/** One row per keyword: each search as a band coloured by its outcome, until the next search. */
export function keywordTimeline(
  title: string,
  keywords: readonly {
    readonly keyword: string;
    readonly platform: string;
    readonly timeline: readonly { readonly at: number; readonly outcome: string }[];
  }[],
): string {
  const rowH = 22;
  const left = 190;
  const right = W - 15;
  const top = 28;
  const H = top + keywords.length * rowH + 30;
  const times = keywords.flatMap((k) => k.timeline.map((s) => s.at));
  if (times.length === 0) {
    return `${svgOpen(60, title)}<text x="20" y="30" ${FONT}>no searches in the period</text></svg>`;
  }
  const t0 = Math.min(...times);
  const t1 = Math.max(t0 + MINUTE, Math.max(...times));
  const x = (t: number): number => left + ((t - t0) / (t1 - t0)) * (right - left);
  const out: string[] = [svgOpen(H, title), legend(SEARCH_SERIES, 14, 20)];
  keywords.forEach((k, i) => {
    const yy = top + i * rowH;
    const label = Array.from(`${k.platform}: ${k.keyword}`);
    const shown = label.length > 24 ? label.slice(0, 23).join('') + '…' : label.join('');
    out.push(
      `<text x="${left - 8}" y="${yy + 14}" text-anchor="end" ${FONT} lang="zh-CN">${escapeHtml(shown)}</text>`,
    );
    const tl = [...k.timeline].sort((a, b) => a.at - b.at);
    tl.forEach((s, j) => {
      const next = tl[j + 1]?.at ?? t1;
      const color = SEARCH_COLORS[s.outcome] ?? '#e0a100';
      const w = Math.max(2, x(next) - x(s.at));
      out.push(
        `<rect x="${x(s.at).toFixed(1)}" y="${yy + 3}" width="${w.toFixed(1)}" height="${rowH - 8}" fill="${color}">` +
          `<title>${escapeHtml(`${shortTime(s.at)} UTC: ${s.outcome}`)}</title></rect>`,
      );
    });
  });
  for (let i = 0; i <= 4; i++) {
    const t = t0 + ((t1 - t0) * i) / 4;
    out.push(
      `<text x="${x(t)}" y="${H - 10}" text-anchor="${anchorOf(i, 4)}" ${FONT}>${escapeHtml(shortTime(t))}</text>`,
    );
  }
  out.push('</svg>');
  return out.join('');
}

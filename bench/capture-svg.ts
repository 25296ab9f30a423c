/** A hand-written SVG of the capture benchmark: two panels against requests per post-day (log x). */

/** One schedule's point. */
export interface CapturePoint {
  readonly label: string;
  readonly requestsPerPostDay: number;
  readonly captureRate: number;
  readonly medianDelayMin: number;
}

const W = 1000;
const PANEL_H = 260;
const LEFT = 70;
const RIGHT = 410;
const COLORS = ['#d62728', '#8c564b', '#1f77b4', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#e377c2'];

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Renders capture rate (top) and median early-deletion delay (bottom) against requests per post-day. */
export function renderCaptureSvg(points: readonly CapturePoint[], subtitle: string): string {
  const xs = points.map((p) => p.requestsPerPostDay).filter((x) => x > 0);
  const lo = Math.pow(10, Math.floor(Math.log10(Math.min(...xs))));
  const hi = Math.pow(10, Math.ceil(Math.log10(Math.max(...xs))));
  const plotW = W - LEFT - RIGHT;
  const x = (v: number): number =>
    LEFT + ((Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * plotW;
  const delays = points.map((p) => p.medianDelayMin).filter(Number.isFinite);
  // Delays span 1 to ~200 min: a log axis keeps the fast schedules apart.
  const maxDelay = Math.pow(10, Math.ceil(Math.log10(Math.max(2, ...delays))));
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${2 * PANEL_H + 125}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${LEFT}" y="20" font-size="15">Deletions captured and detection delay against requests per tracked post-day</text>`,
    `<text x="${LEFT}" y="38" fill="#555">${esc(subtitle)}; model of the scheduler at 1 request / 2 s</text>`,
  );
  const panels = [
    {
      top: 70,
      title: 'captured alive (share of deleted posts)',
      ticks: [0, 0.25, 0.5, 0.75, 1],
      log: false,
      max: 1,
      val: (p: CapturePoint) => p.captureRate,
      fmt: (v: number) => `${Math.round(v * 100)}%`,
    },
    {
      top: 70 + PANEL_H + 25,
      title: 'median detection delay, deletions ≤ 1 h (min, log scale)',
      ticks: [1, 10, 100, 1000].filter((t) => t <= maxDelay),
      log: true,
      max: maxDelay,
      val: (p: CapturePoint) => p.medianDelayMin,
      fmt: (v: number) => v.toFixed(0),
    },
  ];
  for (const panel of panels) {
    const h = PANEL_H - 40;
    const y = (v: number): number =>
      panel.top + h - (panel.log ? Math.log10(Math.max(1, v)) / Math.log10(panel.max) : v / panel.max) * h;
    out.push(`<text x="${LEFT}" y="${panel.top - 5}" font-weight="bold">${esc(panel.title)}</text>`);
    out.push(`<rect x="${LEFT}" y="${panel.top}" width="${plotW}" height="${h}" fill="none" stroke="#999"/>`);
    for (const v of panel.ticks) {
      out.push(
        `<line x1="${LEFT}" x2="${LEFT + plotW}" y1="${y(v)}" y2="${y(v)}" stroke="#eee"/>`,
        `<text x="${LEFT - 6}" y="${y(v) + 4}" text-anchor="end">${panel.fmt(v)}</text>`,
      );
    }
    for (let d = lo; d <= hi; d *= 10)
      out.push(
        `<line x1="${x(d)}" x2="${x(d)}" y1="${panel.top}" y2="${panel.top + h}" stroke="#eee"/>`,
        `<text x="${x(d)}" y="${panel.top + h + 15}" text-anchor="middle">${d}</text>`,
      );
    points.forEach((p, i) => {
      const v = panel.val(p);
      if (!Number.isFinite(v) || p.requestsPerPostDay <= 0) return;
      out.push(
        `<circle cx="${x(p.requestsPerPostDay).toFixed(1)}" cy="${y(v).toFixed(1)}" r="6" fill="${COLORS[i % COLORS.length]}"><title>${esc(p.label)}</title></circle>`,
      );
    });
  }
  out.push(
    `<text x="${LEFT + plotW / 2}" y="${2 * PANEL_H + 115}" text-anchor="middle">requests per tracked post-day (log scale)</text>`,
  );
  points.forEach((p, i) => {
    const ly = 85 + i * 20;
    out.push(
      `<circle cx="${W - RIGHT + 25}" cy="${ly}" r="6" fill="${COLORS[i % COLORS.length]}"/>`,
      `<text x="${W - RIGHT + 37}" y="${ly + 4}">${esc(p.label)}</text>`,
    );
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}

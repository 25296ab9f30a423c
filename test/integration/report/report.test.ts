import { UnknownWatchError, buildReport, renderJson, type Report } from '../../../src/report/report';
import { renderHtml } from '../../../src/report/html';
import { renderMarkdown } from '../../../src/report/markdown';
import type { Store } from '../../../src/store/store';
import {
  CENSORED_NOTICE,
  HOUR,
  MIN,
  NETEASE_URL,
  T0,
  TRICKY_TEXT,
  WEIBO_URL,
  seedScenario,
  tempStore,
} from './helpers';

let store: Store;
let cleanup: () => void;
const NOW = T0 + 48 * HOUR;

beforeAll(() => {
  const t = tempStore();
  store = t.store;
  cleanup = t.cleanup;
  seedScenario(store);
});
afterAll(() => cleanup());

function escape(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const GONE_TOPIC = [
  { id: '4900000000000001', url: WEIBO_URL('4900000000000001'), text: TRICKY_TEXT },
  { id: '4900000000000002', url: WEIBO_URL('4900000000000002'), text: '原文：投票结果已更正' },
  { id: '4900000000000004', url: WEIBO_URL('4900000000000004'), text: null },
  { id: 'KC12OUHK000189FH', url: NETEASE_URL, text: '网易文章摘要：表决' },
];

describe('buildReport', () => {
  let report: Report;
  beforeAll(() => {
    report = buildReport(store, { watchId: 'un-vote', baselineId: 'baseline', now: NOW });
  });

  it('computes the topic watch numbers from the store', () => {
    expect(report.generatedAt).toBe(new Date(NOW).toISOString());
    expect(report.watches.map((w) => [w.id, w.isBaseline])).toEqual([
      ['un-vote', false],
      ['baseline', true],
    ]);
    const s = report.watches[0]!.stats;
    expect(s.targets).toBe(5);
    expect(s.byVerdict).toEqual({ alive: 1, unconfirmed: 0, gone: 4, unknown: 0 });
    expect(s.goneByCause).toMatchObject({
      removed_by_platform: 2,
      deleted_by_author: 1,
      gone_unspecified: 1,
    });
    expect(s.deletionRate).toMatchObject({ k: 3, n: 4, rate: 0.75 });
    expect(s.censorshipRate).toMatchObject({ k: 2, n: 4, rate: 0.5 });
    expect(s.goneNeverSeenAlive).toBe(1);
    // p1: created 10 min before first seen, gone at +20 min → 30 min; p2: first seen +1 min, gone +3 h;
    // NetEase: first seen +4 min, gone +26 h; p3 alive, censored at 0. Windows: 20 min, 1 h, 26 h − 4 min.
    // Kaplan–Meier: S = 1 (p3 censored at 0), 2/3, 1/3, 0.
    expect(s.survival).toMatchObject({ n: 4, events: 3, censored: 1 });
    expect(s.survival.median).toBe(3 * HOUR - MIN);
    expect(s.survival.q1).toBe(30 * MIN);
    expect(s.fromCreatedAt).toBe(1);
    expect(s.deletionWindow.median).toBe(HOUR);
    expect(s.survival.deletedWithin1h.value).toBeCloseTo(1 / 3, 12);
    expect(s.survival.deletedWithin24h.value).toBeCloseTo(2 / 3, 12);
  });

  it('compares against the baseline with a labelled one-sided test', () => {
    const c = report.watches[0]!.comparison!;
    expect(c.baselineWatch).toBe('baseline');
    expect(c.sharedTargets).toBe(1);
    expect(c.deletion.baseline).toMatchObject({ k: 1, n: 6 });
    // 3/4 vs 1/6, expected cells below 5 → Fisher: [C(4,3)·C(6,1) + C(4,4)·C(6,0)] / C(10,4) = 25/210
    expect(c.deletion.test).toBe('fisher-exact-one-sided');
    expect(c.deletion.pValue).toBeCloseTo(25 / 210, 10);
    expect(c.deletion.difference).toBeCloseTo(0.75 - 1 / 6, 10);
    // 2/4 vs 0/6, Fisher with 2 successes in 10: P(X >= 2) = C(2,2)·C(8,2) / C(10,4) = 28/210
    expect(c.censorship.pValue).toBeCloseTo(28 / 210, 10);
    expect(report.watches[1]!.comparison).toBeNull();
  });

  it('lists gone targets with windows and last alive text, edits and keyword history', () => {
    const w = report.watches[0]!;
    expect(w.gone.map((g) => [g.id, g.lastAliveText])).toEqual([
      ['4900000000000004', null],
      ['4900000000000001', TRICKY_TEXT],
      ['4900000000000002', '原文：投票结果已更正'],
      ['KC12OUHK000189FH', '网易文章摘要：表决'],
    ]);
    const g1 = w.gone[1]!;
    expect([g1.lastAliveAt, g1.goneAt, g1.windowMs]).toEqual([
      new Date(T0).toISOString(),
      new Date(T0 + 20 * MIN).toISOString(),
      20 * MIN,
    ]);
    expect(w.edits).toHaveLength(1);
    expect(w.edits[0]).toMatchObject({ id: '4900000000000002', diffText: '原文：投票结果{+已更正+}' });
    expect(w.keywords).toEqual([
      expect.objectContaining({
        keyword: '联合国 决议',
        state: 'withheld',
        blocked: true,
        searches: 2,
        byOutcome: { results: 1, withheld: 1 },
        transitions: [{ type: 'search.blocked', at: new Date(T0 + HOUR).toISOString(), reason: 'notice' }],
      }),
    ]);
  });

  it('filters targets by first seen time', () => {
    const r = buildReport(store, {
      watchId: 'un-vote',
      since: T0 + 90_000,
      until: T0 + 3 * MIN + 1,
      now: NOW,
    });
    // First seen at +2 min (alive) and +3 min (gone, never seen alive) only.
    const s = r.watches[0]!.stats;
    expect(s.targets).toBe(2);
    expect(s.deletionRate).toMatchObject({ k: 0, n: 1 });
    expect(r.watches[0]!.gone.map((g) => g.id)).toEqual(['4900000000000004']);
    expect(r.watches[0]!.edits).toHaveLength(0);
    expect(r.filter.since).toBe(new Date(T0 + 90_000).toISOString());
  });

  it('reports every watch when none is named, and rejects unknown ones', () => {
    expect(buildReport(store, { now: NOW }).watches.map((w) => w.id)).toEqual(['baseline', 'un-vote']);
    expect(() => buildReport(store, { watchId: 'nope', now: NOW })).toThrow(UnknownWatchError);
    expect(() => buildReport(store, { baselineId: 'nope', now: NOW })).toThrow(
      expect.objectContaining({ exitCode: 2, option: '--baseline', watchId: 'nope' }),
    );
  });
});

describe('renderers', () => {
  const report = (): Report => buildReport(store, { watchId: 'un-vote', baselineId: 'baseline', now: NOW });

  it('renders Markdown with the numbers and the required statements', () => {
    const md = renderMarkdown(report());
    expect(md.startsWith('# censorwatch report: CCP vote on UN resolution A/77/L.65')).toBe(true);
    expect(md).toContain('## CCP vote on UN resolution A/77/L.65 (`un-vote`)');
    // Key figures: the topic, with the baseline beside it.
    expect(md).toContain('| measure | CCP vote on UN resolution A/77/L.65 | Weather baseline (baseline) |');
    expect(md).toContain('| Deletion rate | 75.0% (3/4; 95% CI 30.1%–95.4%) | 16.7% (1/6;');
    expect(md).toContain(
      '| Censorship rate (removed_by_platform) | 50.0% (2/4; 95% CI 15.0%–85.0%) | 0.0% (0/6;',
    );
    expect(md).toContain('| removed_by_platform | 2 | 2 |');
    expect(md).toContain('| Posts gone | 4 (1 of them never seen alive) |');
    expect(md).toContain(
      "| Deletion rate | 75.0% (3/4; 95% CI 30.1%–95.4%) | 16.7% (1/6; 95% CI 3.0%–56.4%) | +58.3% (95% CI -1.6% to 82.9%) | 4.5× | one-sided Fisher's exact | 0.119 |",
    );
    expect(md).toContain('1 post is in both watches');
    expect(md).toContain("One-sided Fisher's exact test");
    expect(md).toContain('(last alive observation, first gone observation]');
    expect(md).toMatch(/restricted .* and gone_unspecified .* are not counted as censorship/);
    expect(md).toContain('| Deletion windows (width) | median 1 h (IQR');
    // Post text is one escaped line inside its table cell.
    expect(md).toContain('他说 "弃权, 不是反对" 第二行 \\<b\\>\\&amp; 联合国');
    // The proof: notice, window in UTC and Beijing time, evidence bundle command; no link to the dead page.
    expect(md).toContain(CENSORED_NOTICE);
    expect(md).toContain(
      '\\(2023-02-24 08:00:00 UTC, 2023-02-24 08:20:00 UTC\\] · Beijing \\(2023-02-24 16:00 UTC+8, 2023-02-24 16:20 UTC+8\\] · width 20 min',
    );
    expect(md).toContain(
      '`censorwatch evidence --config config.yaml --target weibo:4900000000000001 --out weibo-4900000000000001.zip`',
    );
    expect(md).not.toContain('](https://m.weibo.cn');
    // The topic comes before the baseline.
    expect(md.indexOf('(`un-vote`)')).toBeLessThan(md.indexOf('(`baseline`)'));
  });

  it('renders JSON that round-trips the report', () => {
    const r = report();
    expect(JSON.parse(renderJson(r))).toEqual(JSON.parse(JSON.stringify(r)));
  });

  it('renders one self-contained HTML page with every gone target and its last alive text', () => {
    const html = renderHtml(report());
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<link|<img|<iframe|@import|url\(/i);
    const ownLinks = new Set([...GONE_TOPIC.map((g) => g.url), WEIBO_URL('5000000000000005')]);
    const refs = [...html.matchAll(/\b(?:src|href)\s*=\s*"([^"]*)"/gi)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      if (!ref.startsWith('#')) expect(ownLinks.has(ref)).toBe(true);
    }
    for (const g of GONE_TOPIC) {
      expect(html).toContain(`<a href="${g.url}" rel="noreferrer nofollow">original</a>`);
      expect(html).toContain(`<span class="mono">${g.id}</span>`);
      if (g.text) expect(html).toContain(escape(g.text));
    }
    expect(html).toContain('<html lang="en">');
    expect(html).toContain(`<span lang="zh-CN" class="notice">${CENSORED_NOTICE}</span>`);
    expect(html).toContain('censorwatch evidence --config config.yaml --target weibo:4900000000000001');
    expect(html).toContain('2023-02-24 16:20 UTC+8');
    expect((html.match(/<svg /g) ?? []).length).toBe(4);
    // The raw markup in a post is shown, not interpreted.
    expect(html).not.toContain('<b>&amp;');
    expect(html).toContain('&lt;b&gt;&amp;amp;');
    // Summary first: the overview table comes before the gone-targets table.
    expect(html.indexOf('class="side"')).toBeLessThan(html.indexOf('class="gone"'));
    expect(html).toContain('75.0% (3/4; 95% CI 30.1%–95.4%)');
    expect(html).toContain('<ins>已更正</ins>');
    expect(html).toContain('search.blocked 2023-02-24 09:00:00 UTC (notice)');
    expect(html).toContain(escape('(last alive observation, first gone observation]'));
    expect(html).toContain('are not counted as censorship');
  });

  it('says n/a for a watch without targets rather than dividing by zero', () => {
    store.syncWatches([{ id: 'empty', name: 'Empty watch' }], [], NOW);
    const r = buildReport(store, { watchId: 'empty', now: NOW });
    const md = renderMarkdown(r);
    expect(md).toContain('| Deletion rate | n/a (0/0) |');
    expect(md).toContain('| Time to deletion (Kaplan–Meier) | n/a (no posts seen alive) |');
    expect(md).not.toMatch(/NaN|Infinity/);
    expect(renderHtml(r)).not.toMatch(/NaN|Infinity/);
  });
});

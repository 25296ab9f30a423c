/**
 * The HTML report in real Chromium: it opens offline without console errors, script-like text from
 * posts, authors, watches, keywords, notices and comments stays text, and it prints to PDF.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { renderHtml } from '../../../src/report/html';
import { renderMarkdown } from '../../../src/report/markdown';
import { buildReport } from '../../../src/report/report';
import { CommentStore } from '../../../src/store/comments';
import type { Store } from '../../../src/store/store';
import { HOUR, History, MIN, T0, WEIBO_URL, content, seedScenario, tempStore } from './helpers';

// A simulated run or a Chromium page per test: a generous cap for a loaded 2-core machine.
jest.setTimeout(300_000);

const CHROMIUM = '/usr/bin/chromium';
/** Each payload sets a flag if it ever runs. */
const XSS = {
  text: `<script>window.__xss='text'</script><img src=x onerror="window.__xss='text-img'">`,
  author: `"><svg onload="window.__xss='author'">`,
  watch: `<img src=x onerror="window.__xss='watch'">`,
  comment: `<iframe srcdoc="<script>parent.__xss='comment'</script>"></iframe>`,
  keyword: `</title><script>window.__xss='keyword'</script>`,
  notice: `<a href="javascript:window.__xss='notice'">x</a>`,
};

let store: Store;
let cleanup: () => void;
let dir: string;
let browser: Browser;

function seedXss(s: Store): void {
  s.syncWatches(
    [{ id: 'xss', name: XSS.watch }],
    [{ watchId: 'xss', platform: 'weibo', mode: 'keyword', query: XSS.keyword }],
    T0,
  );
  const h = new History(s);
  const mid = '4700000000000001';
  const p = h.target('weibo', 'post', mid, WEIBO_URL(mid), ['xss'], T0, `keyword:${XSS.keyword}`);
  h.alive(p, T0, content(XSS.text, { author: { id: '2002', name: XSS.author } }));
  h.alive(p, T0 + 10 * MIN, content(`${XSS.text} edited`, { author: { id: '2002', name: XSS.author } }));
  h.final(p, T0 + HOUR, 'removed_by_platform', XSS.notice);
  h.final(p, T0 + HOUR + 2 * MIN, 'removed_by_platform', XSS.notice);
  // Its comment thread, with one comment gone.
  const thread = h.target('weibo', 'thread', mid, WEIBO_URL(mid), ['xss'], T0);
  const comments = new CommentStore(s);
  comments.upsert(
    thread.rowId,
    { id: 'c1', text: XSS.comment, author: XSS.author, createdAt: null, deleted: false },
    T0,
  );
  comments.markGone(thread.rowId, 'c1', T0 + 30 * MIN);
  const [src] = s.listSources('xss');
  s.recordSearchObservation({
    sourceId: src!.id,
    at: T0,
    outcome: 'results',
    results: 1,
    message: null,
    body: null,
    page: null,
  });
  s.recordSearchObservation({
    sourceId: src!.id,
    at: T0 + HOUR,
    outcome: 'withheld',
    results: 0,
    message: null,
    body: null,
    page: null,
  });
}

beforeAll(async () => {
  const t = tempStore();
  store = t.store;
  cleanup = t.cleanup;
  seedScenario(store);
  seedXss(store);
  dir = mkdtempSync(join(tmpdir(), 'censorwatch-html-'));
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  cleanup();
  rmSync(dir, { recursive: true, force: true });
});

async function open(html: string): Promise<{
  errors: string[];
  requests: string[];
  page: Page;
}> {
  const file = join(dir, `report-${Date.now()}-${Math.random().toString(36).slice(2)}.html`);
  writeFileSync(file, html);
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (err) => errors.push(err.message));
  page.on('request', (r) => {
    if (!r.url().startsWith('file:')) requests.push(r.url());
  });
  await page.goto(`file://${file}`, { waitUntil: 'load' });
  return { errors, requests, page };
}

describe('the HTML report in Chromium', () => {
  it('opens with no console errors and no requests, and no payload runs', async () => {
    const html = renderHtml(buildReport(store, { now: T0 + 48 * HOUR }));
    const { errors, requests, page } = await open(html);
    try {
      expect(errors).toEqual([]);
      expect(requests).toEqual([]);
      // Give any injected handler a chance to fire, then check nothing did.
      await page.waitForTimeout(200);
      expect(await page.evaluate('window.__xss ?? null')).toBeNull();
      // The payloads are on the page as text, and no element came from them.
      const text = (await page.evaluate('document.body.innerText')) as string;
      for (const p of [XSS.text, XSS.comment, XSS.notice]) expect(text).toContain(p);
      expect(text).toContain(XSS.watch);
      expect(
        await page.evaluate(`document.querySelectorAll('script, iframe, img, [onerror], [onload]').length`),
      ).toBe(0);
      expect(await page.evaluate(`document.querySelectorAll('a[href^="javascript:"]').length`)).toBe(0);
      expect(await page.title()).toBe('censorwatch report');
      // Chinese post text is marked as Chinese, so Chinese fonts are used.
      expect(await page.evaluate(`document.querySelectorAll('[lang="zh-CN"]').length`)).toBeGreaterThan(5);
    } finally {
      await page.close();
    }
  });

  it('puts comment threads in their own section and shows no duplicated post rows', async () => {
    const r = buildReport(store, { watchId: 'xss', now: T0 + 48 * HOUR });
    const md = renderMarkdown(r);
    const goneSection = md.slice(md.indexOf('### Gone posts'), md.indexOf('### Edits'));
    // One row for the post; its thread (same id) is not a second row with a blank author.
    expect(goneSection.split('\n').filter((l) => l.includes('4700000000000001'))).toHaveLength(1);
    expect(md).toContain('### Comment threads (1)');
    expect(r.watches[0]!.threads[0]!.goneComments).toHaveLength(1);
    const { errors, page } = await open(renderHtml(r));
    try {
      expect(errors).toEqual([]);
      expect(await page.locator('table.gone tbody tr').count()).toBe(1);
      expect(await page.locator('table.threads tbody tr').count()).toBe(1);
      expect(await page.locator('table.edits del, table.edits ins').count()).toBeGreaterThan(0);
    } finally {
      await page.close();
    }
  });

  it('renders the report of the topic and its baseline to a PNG screenshot and a PDF', async () => {
    const html = renderHtml(
      buildReport(store, { watchId: 'un-vote', baselineId: 'baseline', now: T0 + 48 * HOUR }),
    );
    const { errors, page } = await open(html);
    try {
      expect(errors).toEqual([]);
      const png = join(dir, 'report.png');
      const pdf = join(dir, 'report.pdf');
      await page.screenshot({ path: png, fullPage: true });
      await page.emulateMedia({ media: 'print' });
      await page.pdf({ path: pdf, format: 'A4', printBackground: true });
      const image = PNG.sync.read(readFileSync(png));
      expect(image.width).toBe(1200);
      expect(image.height).toBeGreaterThan(900);
      expect(existsSync(pdf)).toBe(true);
      const head = readFileSync(pdf).subarray(0, 5).toString('latin1');
      expect(head).toBe('%PDF-');
      expect(statSync(pdf).size).toBeGreaterThan(10_000);
      // The four charts are drawn, each wider than it is tall.
      const boxes = await page
        .locator('svg.chart')
        .evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((b) => [b.width, b.height]));
      expect(boxes).toHaveLength(4);
      for (const [w, h] of boxes) expect(w!).toBeGreaterThan(h!);
    } finally {
      await page.close();
    }
  });
});

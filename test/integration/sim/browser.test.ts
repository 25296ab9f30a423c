/**
 * The simulator's pages in real Chromium, as a person (or a screenshot) sees them: the Weibo
 * detail page shows the post's author and text, a repost shows its original or the notice that
 * stands in for it, a gone post shows the error box, and every NetEase article template shows its
 * title and paragraphs. The parsers read the same detail page as before the markup was drawn.
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import { parseDetailPage } from '../../../src/platforms/weibo';
import { ManualClock } from '../../../src/domain/clock';
import type { Observation } from '../../../src/domain/glossary';
import type { HttpResponse } from '../../../src/http/types';
import { buildTemplatesNetease, MSG, Simulator, type SimNetease, type SimPost } from '../../../src/sim';
import { startSimulator, type RunningSimulator } from '../../helpers/simulator';

const CHROMIUM = '/usr/bin/chromium';
const START = Date.UTC(2024, 0, 10, 2, 0, 0);

let browser: Browser;
let page: Page;
let run: RunningSimulator;

beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
  page = await browser.newPage();
  // Only the simulator answers: the pages' links to real CDNs would each wait out a DNS failure.
  await page.route('**/*', (route) =>
    route.request().url().startsWith('http://127.0.0.1:') ? route.continue() : route.abort(),
  );
  run = await startSimulator({ start: START });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await run?.stop();
});

/** The visible text of a simulator path, whitespace folded. */
async function visible(path: string): Promise<string> {
  // External styles, scripts and images never load here; the DOM is what the page shows.
  await page.goto(run.base + path, { waitUntil: 'domcontentloaded' });
  return (await page.innerText('body')).replace(/\s+/g, ' ');
}

/** Plain text as the page shows it: emoji and topic markup gone, line breaks as spaces. */
const shown = (plain: string): string =>
  plain
    .replace(/\[[^\]]+\]/g, '')
    .replace(/\s+/g, ' ')
    .trim();

const userName = (uid: string): string => run.scenario.weibo.accounts.find((a) => a.uid === uid)!.name;

// One clock for the file, which only moves forward: the tests run in time order.
describe('the Weibo detail page in a browser', () => {
  const repost = (): SimPost => run.scenario.weibo.posts.find((p) => p.repostOf)!;
  const original = (): SimPost => run.scenario.weibo.posts.find((p) => p.mid === repost().repostOf)!;

  it('shows a repost with its author and its original', async () => {
    run.at(repost().createdAt - START + 100);
    const text = await visible(`/detail/${repost().mid}`);
    expect(text).toContain(userName(repost().uid));
    expect(text).toContain(`@${userName(original().uid)}`);
    expect(text).toContain(shown(original().text).slice(0, 30));
  });

  it('shows the author and the whole text of a live post, long ones included', async () => {
    run.at(3_000);
    const posts = run.scenario.weibo.posts.filter((p) => p.createdAt <= START + 3_000 && !p.repostOf);
    const long = posts.find((p) => p.isLongText)!;
    for (const p of [posts[0]!, long]) {
      const text = await visible(`/detail/${p.mid}`);
      expect(text).toContain(userName(p.uid));
      expect(text).toContain(shown(p.isLongText ? p.longText! : p.text).slice(0, 60));
    }
    // The long post's last paragraph too: the detail page has the whole text, not the 全文 cut.
    expect(await visible(`/detail/${long.mid}`)).toContain(shown(long.longText!).slice(-30));
  });

  it('reads the same for the parser with or without the drawn post', async () => {
    run.at(3_000);
    const p = repost();
    const html = await (await fetch(`${run.base}/detail/${p.mid}`)).text();
    const drawn = /<div id="app" class="m-container-max">([\s\S]*?)<\/div>\n<script/.exec(html);
    expect(drawn?.[1]).toContain('weibo-text');
    const bare = html.replace(drawn![1]!, '');
    const url = `https://m.weibo.cn/detail/${p.mid}`;
    const as = (body: string): HttpResponse => ({
      ok: true,
      url,
      finalUrl: url,
      redirects: [],
      status: 200,
      headers: { 'content-type': 'text/html; charset=utf-8' },
      setCookies: [],
      body: Buffer.from(body),
    });
    const strip = (o: Observation[]): object[] => o.map(({ evidence: _e, ...rest }) => rest);
    const withMarkup = parseDetailPage(as(html), run.clock.now(), p.mid);
    expect(withMarkup.map((o) => o.outcome)).toEqual(['alive', 'alive']);
    expect(strip(withMarkup)).toEqual(strip(parseDetailPage(as(bare), run.clock.now(), p.mid)));
  });

  it('shows the error box for a gone post', async () => {
    const gone = run.scenario.weibo.posts
      .filter((p) => p.fate && p.fate.at < original().fate!.at)
      .sort((x, y) => x.fate!.at - y.fate!.at)[0]!;
    run.at(gone.fate!.at - START + 100);
    expect(await visible(`/detail/${gone.mid}`)).toContain(MSG.ambiguous);
  });

  it('shows the notice that stands in for an original once it is gone', async () => {
    run.at(original().fate!.at - START + 100);
    const text = await visible(`/detail/${repost().mid}`);
    expect(text).toContain(shown(repost().text));
    // The notice names the cause: 该微博因被多人投诉…已被删除 or 抱歉，此微博已被作者删除.
    expect(text).toMatch(/此?微博(因被多人投诉，根据《微博社区公约》，)?已被(作者)?删除/);
    expect(text).not.toContain(shown(original().text).slice(0, 30));
  });
});

describe('NetEase article pages in a browser', () => {
  it('show the title and every paragraph in each template', async () => {
    const templates = buildTemplatesNetease(START);
    const own = await startSimulatorWith(templates);
    own.at(3_000);
    try {
      const kinds = new Set<string>();
      const articles = [...templates.articles, ...run.scenario.netease.articles].filter(
        (a) => !a.fate && !a.pages && a.createdAt <= START + 3_000,
      );
      for (const a of articles) {
        const base = templates.articles.includes(a) ? own.base : run.base;
        await page.goto(await finalPath(base, `/${a.channel}/article/${a.docid}.html`), {
          waitUntil: 'domcontentloaded',
        });
        const text = (await page.innerText('body')).replace(/\s+/g, ' ');
        expect([a.docid, text.includes(a.title)]).toEqual([a.docid, true]);
        for (const para of a.paragraphs) expect([a.docid, text.includes(para)]).toEqual([a.docid, true]);
        kinds.add(a.template ?? 'post2020');
      }
      expect([...kinds].sort()).toEqual(['dy-v2', 'legacy', 'mobile', 'post2020']);
    } finally {
      await own.stop();
    }
  });
});

/** The quick scenario with another NetEase part, on its own port. */
async function startSimulatorWith(netease: SimNetease) {
  const clock = new ManualClock(START);
  const sim = new Simulator({ clock, scenario: { ...run.scenario, netease } });
  const base = await sim.start(0);
  return { base, at: (ms: number) => clock.advanceTo(START + ms), stop: () => sim.stop() };
}

/**
 * Where a www article URL ends up, on the simulator: the other templates redirect to real hosts
 * (m.163.com, dy.163.com, news.163.com), which all map onto the simulator's port.
 */
async function finalPath(base: string, path: string): Promise<string> {
  let url = base + path;
  for (let hop = 0; hop < 3; hop++) {
    const res = await fetch(url, { redirect: 'manual' });
    const location = res.headers.get('location');
    await res.arrayBuffer();
    if (res.status < 300 || res.status >= 400 || !location) return url;
    const next = new URL(location, url);
    url = base + next.pathname + next.search;
  }
  throw new Error(`too many redirects from ${path}`);
}

import { ManualClock } from '../../../src/domain/clock';
import type { HttpResponse } from '../../../src/http/types';
import type { NeteaseArticleContent } from '../../../src/platforms/netease';
import {
  extractArticle,
  NETEASE_PRODUCT_KEY,
  parseArticle,
  parseCommentList,
  parseCommentThreadInfo,
} from '../../../src/platforms/netease';
import { buildScenario, Simulator } from '../../../src/sim';
import { buildTemplatesNetease } from '../../../src/sim/world';
import { POST2020 } from '../../../src/sim/netease/templates';
import { fetchAs, reference as referenceOf, sample as sampleOf } from './helpers';

/**
 * Conformance: the same NetEase parsers over the real reference samples and over what the
 * simulator serves. Whatever the simulator serves must read as the captures do, so a pipeline test
 * against it says something about the real site.
 */
const START = Date.UTC(2024, 0, 10, 2, 0, 0);
const SECOND = 1000;
/** Parsed JSON under test: its shape is what the assertions check. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
const reference = (name: string): Buffer => referenceOf('netease', name);
const THREAD = `/api/v1/products/${NETEASE_PRODUCT_KEY}/threads`;
const sample = (body: Buffer, url = 'https://www.163.com/news/article/KC12OUHK000189FH.html'): HttpResponse =>
  sampleOf(body, url);

/** Structural parts of the post2020 template the parsers rely on. */
const POST2020_PARTS = [
  'html#ne_wrap[data-publishtime][data-category]',
  'link[rel="canonical"]',
  'meta[property="article:published_time"]',
  'div.post_main > div.post_crumb',
  'div.post_main > h1.post_title',
  'div.post_main > div.post_info img[src*="ipLocation"]',
  'div.post_content#content > div.post_top .js-tiejoincount',
  'div.post_content#content > div.post_body',
  'div.post_content#content > div.post_author',
  'div.post_content#content > div.tie-areas.post_comment#post_comment_area > div#tie',
];

describe('NetEase parsers over the reference samples and the simulator alike', () => {
  const refPage = reference('article_news_KC12OUHK000189FH.trimmed.html');
  const ref = parseArticle(sample(refPage), 0, 'KC12OUHK000189FH');
  const refContent = ref.content as NeteaseArticleContent;

  const quick = buildScenario('quick', { start: START, seed: 7 });
  const templates = buildTemplatesNetease(START);
  const clock = new ManualClock(START + 3 * SECOND);
  const sims = {
    quick: new Simulator({ clock, scenario: quick }),
    templates: new Simulator({ clock, scenario: { ...quick, netease: templates } }),
  };
  const bases = { quick: '', templates: '' };
  beforeAll(async () => {
    bases.quick = await sims.quick.start(0);
    bases.templates = await sims.templates.start(0);
  });
  afterAll(async () => {
    await sims.quick.stop();
    await sims.templates.stop();
  });

  it('the reference article is alive in the post2020 template with every field read', () => {
    expect(ref.outcome).toBe('alive');
    expect(refContent.template).toBe('post2020');
    for (const k of [
      'title',
      'createdAt',
      'source',
      'region',
      'editor',
      'productKey',
      'docId',
      'category',
    ] as const)
      expect(refContent[k]).not.toBeNull();
  });

  it('the post2020 template is the capture: every line without a placeholder is one of its lines', () => {
    expect(POST2020.source).toBe(
      'test/fixtures/reference/netease/article_news_KC12OUHK000189FH.trimmed.html',
    );
    const captured = new Set(refPage.toString('utf8').split(/\r?\n/));
    const fixed = POST2020.lines.filter((l) => !l.includes('{{'));
    expect(fixed.length).toBeGreaterThan(150);
    // Only the page's close: the capture writes it on one line after its trimming note
    // (`</div></div></body></html>`); the template splits it around the 网易号 side block.
    expect(fixed.filter((l) => !captured.has(l))).toEqual(['</div>', '</body></html>']);
  });

  it('the simulated post2020 page has the structure of the capture, and reads with the same fields', async () => {
    const { selectOne } = await import('css-select');
    const { parseDocument } = await import('htmlparser2');
    const a = quick.netease.articles.find(
      (x) => !x.account && !x.fate && (x.charset ?? 'utf-8') === 'utf-8',
    )!;
    const res = await fetchAs(bases.quick, `https://www.163.com/${a.channel}/article/${a.docid}.html`);
    const simDoc = parseDocument(res.body.toString('utf8'));
    const refDoc = parseDocument(refPage.toString('utf8'));
    for (const part of POST2020_PARTS) {
      expect([part, selectOne(part, refDoc) !== null]).toEqual([part, true]);
      expect([part, selectOne(part, simDoc) !== null]).toEqual([part, true]);
    }
    const obs = parseArticle(res, 0, a.docid);
    expect(obs.outcome).toBe('alive');
    const c = obs.content as NeteaseArticleContent;
    const fields = (x: NeteaseArticleContent): string[] =>
      Object.entries(x)
        .filter(([, v]) => v !== null && v !== false)
        .map(([k]) => k)
        .sort();
    // The capture is marked noindex (a test article); the simulated pages are not.
    expect(fields(c)).toEqual(fields(refContent).filter((k) => k !== 'noindex'));
    expect(c.title).toBe(a.title);
    expect(c.text.split('\n')[0]).toBe(a.paragraphs[0]);
  });

  it.each(['mobile', 'dy-v2', 'legacy'] as const)(
    'the simulated %s template reads after its redirect with title, text, time and source',
    async (template) => {
      for (const a of templates.articles.filter((x) => x.template === template && !x.fate)) {
        const res = await fetchAs(
          bases.templates,
          `https://www.163.com/${a.channel}/article/${a.docid}.html`,
        );
        expect(res.redirects).toHaveLength(1);
        const obs = parseArticle(res, 0, a.docid);
        expect(obs.outcome).toBe('alive');
        const c = obs.content as NeteaseArticleContent;
        expect(c.template).toBe(template);
        expect(c.title).toBe(a.title);
        expect(c.text.split('\n').filter((l) => l !== '图片来源：网络截图')).toEqual(a.paragraphs);
        expect(c.createdAt).toBe(new Date(a.createdAt - (a.createdAt % 1000)).toISOString());
        expect(c.author?.name).toBe(a.source);
        expect(c.media.length).toBeGreaterThanOrEqual(a.images ?? 0);
      }
    },
  );

  it('every odd page the simulator serves reads as unparseable, as the fixtures do', async () => {
    clock.advanceTo(START + 5 * SECOND);
    for (const a of templates.articles.filter((x) => x.pages)) {
      const res = await fetchAs(bases.templates, `https://www.163.com/${a.channel}/article/${a.docid}.html`);
      expect([a.pages![0]!.kind, parseArticle(res, 0, a.docid).outcome]).toEqual([
        a.pages![0]!.kind,
        'unparseable',
      ]);
    }
  });

  it('comment lists and thread info read alike from the captures and the simulator', async () => {
    const real = parseCommentList(sample(reference('comments_app_hotList_EAUJCTQV05346RBY.json')));
    const realInfo = parseCommentThreadInfo(sample(reference('comment_thread_info_CG212U73008535RB.json')));
    expect(real.ok && realInfo.ok).toBe(true);
    const a = quick.netease.articles.find((x) => (x.comments ?? 0) > 10)!;
    clock.advanceTo(a.createdAt + 2 * 86_400_000);
    const base = bases.quick;
    const list = parseCommentList(
      await fetchAs(
        base,
        `https://comment.api.163.com${THREAD}/${a.docid}/app/comments/hotList?offset=0&limit=10`,
      ),
    );
    const info = parseCommentThreadInfo(
      await fetchAs(base, `https://comment.api.163.com${THREAD}/${a.docid}`),
    );
    if (!real.ok || !list.ok || !realInfo.ok || !info.ok) throw new Error('a comment answer did not parse');
    const keys = (o: object): string[] => Object.keys(o).sort();
    expect(keys(list.value)).toEqual(keys(real.value));
    expect(list.value.threadInfo && keys(list.value.threadInfo)).toEqual(
      real.value.threadInfo && keys(real.value.threadInfo),
    );
    const nonNull = (o: Json): string[] => keys(o).filter((k) => o[k] !== null);
    expect(nonNull(list.value.comments[0])).toEqual(nonNull(real.value.comments[0]));
    expect(keys(info.value)).toEqual(keys(realInfo.value));
    expect(info.value.commentsOpen).toBe(true);
  });

  it('extractArticle agrees with parseArticle on the reference page', () => {
    const a = extractArticle(refPage.toString('utf8'));
    expect(a.paragraphs.join('\n')).toBe(refContent.text);
  });
});

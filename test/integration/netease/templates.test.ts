import { buildTemplatesNetease, NETEASE_PAGE_KINDS } from '../../../src/sim/world';
import type { SimNeteaseArticle } from '../../../src/sim/world';
import { observations, SECOND, START, startPipeline } from './helpers';
import type { Json, Pipeline } from './helpers';

/**
 * The whole pipeline against a simulator that serves the mobile, dy.163.com/v2 and older news
 * templates (each behind a redirect from the www URL) and, for a while, pages that state no
 * absence: maintenance, a script-only challenge, a cut-off page and an unknown template.
 */
describe('NetEase templates and pages that state no absence, through the whole pipeline', () => {
  const netease = buildTemplatesNetease(START);
  let p: Pipeline;
  beforeAll(async () => {
    // The odd pages are served to direct checks: listings must not stand in for them here.
    p = await startPipeline({ netease, listingChecks: false });
    await p.runUntil(20 * SECOND);
  });
  afterAll(async () => {
    await p.close();
  });

  const byTemplate = (t: string): SimNeteaseArticle[] =>
    netease.articles.filter((a) => (a.template ?? 'post2020') === t && !a.fate);
  const events = (type: string, docid: string): Json[] =>
    p.store.listEvents().filter((e) => e.type === type && e.platform === 'netease' && e.nativeId === docid);

  it('finds every article by keyword or 网易号', () => {
    const found = p.store
      .listTargets({ platform: 'netease' })
      .filter((t) => t.kind === 'post')
      .map((t) => t.id)
      .sort();
    expect(found).toEqual(netease.articles.map((a) => a.docid).sort());
  });

  it.each(['mobile', 'dy-v2', 'legacy'])(
    '%s: alive, read in its template after the redirect, never edited, never gone',
    (template) => {
      const articles = byTemplate(template);
      expect(articles.length).toBeGreaterThan(0);
      for (const a of articles) {
        const t = p.target(a.docid);
        expect(t.state.verdict).toBe('alive');
        const direct = observations(p, a.docid).filter((o) => o.endpoint === 'netease.article');
        expect(direct.length).toBeGreaterThanOrEqual(3);
        for (const o of direct) expect(o.outcome).toBe('alive');
        const content = JSON.parse(direct.find((o) => o.content)!.content as string) as Json;
        expect(content.template).toBe(template);
        expect(content.title).toBe(a.title);
        expect(content.text.split('\n')[0]).toBe(a.paragraphs[0]);
        expect(new Set(direct.map((o) => o.content_hash)).size).toBe(1);
        expect(events('post.edited', a.docid)).toHaveLength(0);
        expect(events('post.gone', a.docid)).toHaveLength(0);
      }
    },
  );

  it("legacy: the share bar's comment count changed between checks, the content did not", () => {
    for (const a of byTemplate('legacy')) {
      const direct = observations(p, a.docid).filter((o) => o.endpoint === 'netease.article');
      // Different bodies (the count moved with every comment) under one content hash.
      expect(new Set(direct.map((o) => o.body_hash)).size).toBeGreaterThan(1);
      expect(new Set(direct.map((o) => o.content_hash)).size).toBe(1);
      expect(p.target(a.docid).state.editCount ?? 0).toBe(0);
    }
  });

  it('a removed mobile-template article is still found gone (HTTP 404)', () => {
    const a = netease.articles.find((x) => x.fate)!;
    expect(p.target(a.docid).state.verdict).toBe('gone');
    expect(events('post.gone', a.docid)).toHaveLength(1);
  });

  it.each([...NETEASE_PAGE_KINDS])(
    '%s: unparseable with the body kept while served, alive before and after, never gone',
    (kind) => {
      const a = netease.articles.find((x) => x.pages?.some((w) => w.kind === kind))!;
      const w = a.pages![0]!;
      const obs = observations(p, a.docid).filter((o) => o.endpoint === 'netease.article');
      const inWindow = obs.filter((o) => o.at >= w.from && o.at < w.until);
      expect(inWindow.length).toBeGreaterThan(0);
      for (const o of inWindow) {
        expect(o.outcome).toBe('unparseable');
        expect(o.body_kept).toBe(1);
        expect(o.http_status).toBe(200);
      }
      expect(obs.some((o) => o.at < w.from && o.outcome === 'alive')).toBe(true);
      expect(obs.some((o) => o.at >= w.until && o.outcome === 'alive')).toBe(true);
      expect(obs.every((o) => o.outcome === 'alive' || o.outcome === 'unparseable')).toBe(true);
      const t = p.target(a.docid);
      expect(t.state.verdict).toBe('alive');
      expect(events('post.gone', a.docid)).toHaveLength(0);
      expect(events('post.edited', a.docid)).toHaveLength(0);
    },
  );

  it('agrees with the ground truth on every article', () => {
    for (const row of p.truth()) expect(p.target(row.id).state.verdict).toBe(row.verdict);
  });
});

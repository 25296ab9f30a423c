import { request } from 'undici';
import iconv from 'iconv-lite';
import { bodyBlocks, buildScenario } from '../../../src/sim';
import type { SimNetease, SimNeteaseArticle } from '../../../src/sim';
import { SECOND, START, startPipeline } from './helpers';
import type { Json, Pipeline } from './helpers';

/** An article's plain text as the parser should read it: paragraphs and picture captions. */
function textOf(paragraphs: readonly string[], images = 0): string {
  return bodyBlocks(paragraphs, images)
    .filter((b): b is string => b !== null)
    .join('\n');
}

describe('NetEase edits', () => {
  let p: Pipeline;
  beforeAll(async () => {
    p = await startPipeline();
    await p.runUntil(15 * SECOND);
  });
  afterAll(async () => {
    await p.close();
  });

  it.each([
    ['a news article', (a: SimNeteaseArticle) => a.edits !== undefined && !a.account],
    ['a 网易号 article', (a: SimNeteaseArticle) => a.edits !== undefined && a.account !== undefined],
  ])('%s: one post.edited event whose diff adds the new paragraph', (_name, pick) => {
    const a = p.scenario.netease.articles.find(pick)!;
    const edit = a.edits![0]!;
    const added = edit.paragraphs[edit.paragraphs.length - 1]!;
    const events = p.store
      .listEvents()
      .filter((e) => e.type === 'post.edited' && e.nativeId === a.docid && e.platform === 'netease');
    expect(events).toHaveLength(1);
    const d: Json = events[0]!.detail;
    expect(d.before).toBe(textOf(a.paragraphs, a.images));
    expect(d.after).toBe(textOf(edit.paragraphs, a.images));
    expect(d.diffText).toContain(`{+`);
    expect(d.diffText).toContain(added);
    expect(events[0]!.at).toBeGreaterThanOrEqual(edit.at);
    const t = p.target(a.docid);
    expect(t.state.editCount).toBe(1);
    expect(p.truth().find((r) => r.id === a.docid)?.editCount).toBe(1);
  });

  it('sees no edit in articles that were not edited', () => {
    const edited = new Set(
      p.store
        .listEvents()
        .filter((e) => e.type === 'post.edited' && e.platform === 'netease')
        .map((e) => e.nativeId),
    );
    const expected = p.scenario.netease.articles.filter((a) => a.edits).map((a) => a.docid);
    expect([...edited].sort()).toEqual(expected.sort());
  });
});

describe('GBK article pages', () => {
  const base = buildScenario('quick', { start: START, seed: 7 }).netease;
  const original = base.articles.find((a) => !a.fate && !a.edits && !a.account)!;
  const twin = (docid: string, charset: 'utf-8' | 'gbk'): SimNeteaseArticle => ({
    ...original,
    docid,
    charset,
    keywords: [],
    images: 2,
    title: '联合国大会表决：122票赞成、5票反对、18票弃权——“决议”全文·附录',
  });
  const netease: SimNetease = {
    accounts: [],
    articles: [twin('I1IPRUH0000189U8', 'utf-8'), twin('I1IPRUH0000189G8', 'gbk')],
  };
  let p: Pipeline;
  beforeAll(async () => {
    p = await startPipeline({
      netease,
      discover: false,
      articles: netease.articles.map((a) => `https://www.163.com/news/article/${a.docid}.html`),
    });
    await p.runUntil(4 * SECOND);
  });
  afterAll(async () => {
    await p.close();
  });

  it('serves the GBK page as GBK bytes, declared in Content-Type and <meta charset>', async () => {
    const res = await request(`${p.base}/news/article/I1IPRUH0000189G8.html`);
    const bytes = Buffer.from(await res.body.arrayBuffer());
    expect(res.headers['content-type']).toBe('text/html; charset=GBK');
    expect(bytes.subarray(0, 400).toString('latin1')).toContain('<meta charset="gbk">');
    expect(bytes.toString('utf8')).not.toContain(original.paragraphs[0]);
    expect(iconv.decode(bytes, 'gbk')).toContain(original.paragraphs[0]);
  });

  it('parses to the same content as the UTF-8 page', () => {
    const [utf8, gbk] = netease.articles.map((a) => p.store.lastContent(p.target(a.docid).rowId) as Json);
    expect(utf8.title).toBe(netease.articles[0]!.title);
    expect(utf8.text).toBe(textOf(original.paragraphs, 2));
    expect(utf8.media).toHaveLength(2);
    const same = (c: Json): Json => ({
      title: c.title,
      text: c.text,
      createdAt: c.createdAt,
      source: c.source,
      region: c.region,
      editor: c.editor,
      mediaCount: c.media.length,
    });
    expect(same(gbk)).toEqual(same(utf8));
    for (const a of netease.articles) expect(p.target(a.docid).state.verdict).toBe('alive');
  });
});

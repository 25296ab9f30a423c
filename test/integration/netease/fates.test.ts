import { bodyBlocks, NETEASE_REMOVALS } from '../../../src/sim';
import type { NeteaseRemoval, SimNeteaseArticle } from '../../../src/sim';
import { observations, SECOND, startPipeline } from './helpers';
import type { Json, Pipeline } from './helpers';

/** What the last observation of a removed article shows, per removal form. */
const EVIDENCE: Record<NeteaseRemoval, (o: Json, a: SimNeteaseArticle) => void> = {
  http404: (o) => {
    expect(o.http_status).toBe(404);
    expect(o.message).toBe('HTTP 404');
  },
  http410: (o) => {
    expect(o.http_status).toBe(410);
    expect(o.message).toBe('HTTP 410');
  },
  redirect_channel: (o, a) => {
    expect(o.http_status).toBe(200);
    expect(o.final_url).toBe(`https://www.163.com/${a.channel}/`);
    expect(o.message).toContain('redirected to');
  },
  redirect_home: (o) => {
    expect(o.http_status).toBe(200);
    expect(o.final_url).toBe('https://www.163.com/index.html');
  },
  notice_deleted: (o) => {
    expect(o.http_status).toBe(200);
    expect(o.message).toContain('该文章已被删除');
  },
  soft404_notice: (o) => {
    expect(o.http_status).toBe(200);
    expect(o.message).toContain('页面不存在');
  },
};

describe('NetEase fates through the whole pipeline (quick scenario, no faults)', () => {
  let p: Pipeline;
  beforeAll(async () => {
    p = await startPipeline();
    await p.runUntil(20 * SECOND);
  });
  afterAll(async () => {
    await p.close();
  });

  it('finds every article of the keyword and the 网易号, and only those', () => {
    const found = p.store
      .listTargets({ platform: 'netease' })
      .filter((t) => t.kind === 'post')
      .map((t) => t.id)
      .sort();
    expect(found).toEqual(p.scenario.netease.articles.map((a) => a.docid).sort());
    expect(p.truth().map((r) => r.id)).toEqual(found);
  });

  it('covers every removal form', () => {
    const forms = new Set(p.scenario.netease.articles.flatMap((a) => (a.fate ? [a.fate.removal] : [])));
    expect([...forms].sort()).toEqual([...NETEASE_REMOVALS].sort());
  });

  it.each([...NETEASE_REMOVALS])('%s: gone, cause gone_unspecified, with its evidence', (removal) => {
    const a = p.scenario.netease.articles.find((x) => x.fate?.removal === removal)!;
    const t = p.target(a.docid);
    expect(t.state.verdict).toBe('gone');
    expect(t.state.cause).toBe('gone_unspecified');
    // The deletion window ends at the first gone observation, at or after the removal.
    expect(t.state.goneAt).toBeGreaterThanOrEqual(a.fate!.at);
    expect(t.state.lastAliveAt).toBeLessThan(a.fate!.at);
    const finals = observations(p, a.docid).filter((o) => o.outcome === 'gone_unspecified');
    expect(finals.length).toBeGreaterThanOrEqual(2);
    EVIDENCE[removal](finals[finals.length - 1], a);
    const gone = p.store
      .listEvents()
      .filter((e) => e.type === 'post.gone' && e.nativeId === a.docid && e.platform === 'netease');
    expect(gone).toHaveLength(1);
    expect(gone[0]!.cause).toBe('gone_unspecified');
  });

  it('keeps the articles that stay up alive, and agrees with the ground truth on every article', () => {
    for (const row of p.truth()) {
      const t = p.target(row.id);
      expect({ id: row.id, verdict: t.state.verdict, cause: t.state.cause }).toEqual({
        id: row.id,
        verdict: row.verdict,
        cause: row.cause,
      });
    }
    expect(p.truth().filter((r) => r.verdict === 'alive').length).toBeGreaterThanOrEqual(4);
  });

  it('reads alive articles fully: title, text, publish time, source, region and the 网易号', () => {
    const news = p.scenario.netease.articles.find((a) => !a.fate && !a.edits && !a.account)!;
    const c: Json = p.store.lastContent(p.target(news.docid).rowId);
    expect(c.title).toBe(news.title);
    expect(c.text).toBe(
      bodyBlocks(news.paragraphs, news.images ?? 0)
        .filter((b) => b !== null)
        .join('\n'),
    );
    expect(c.media).toHaveLength(news.images ?? 0);
    expect(Date.parse(c.createdAt)).toBe(Math.floor(news.createdAt / 1000) * 1000);
    expect(c.source).toBe(news.source);
    expect(c.region).toBe(news.region);
    expect(c.docId).toBe(news.docid);
    const dy = p.scenario.netease.articles.find((a) => a.account && !a.fate)!;
    const account = p.scenario.netease.accounts[0]!;
    const t = p.target(dy.docid);
    expect(t.url).toBe(`https://www.163.com/dy/article/${dy.docid}.html`);
    expect(t.authorId).toBe(account.wemediaId);
    expect(t.authorName).toBe(account.name);
  });
});

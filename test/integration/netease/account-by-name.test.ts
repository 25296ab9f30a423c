import { startPipeline, SECOND, type Pipeline } from './helpers';

/**
 * A 网易号 configured by its display name alone (as researchers first know it: 张佳栋看世界) is
 * found through the site search and one of its articles, then followed through list.do.
 */
describe('a NetEase account configured by name', () => {
  let p: Pipeline;
  afterEach(async () => p?.close());

  it('resolves through search and lists the account’s articles', async () => {
    p = await startPipeline();
    const account = p.scenario.netease!.accounts[0]!;
    const adapter = p.engine['parts'].adapters.netease!;
    p.clock.advanceTo(p.clock.now() + 15 * SECOND);
    const r = await adapter.discover({ mode: 'account', query: account.name });
    expect(r.outcome).toBe('results');
    const own = p.scenario.netease!.articles.filter((a) => a.account === account.tid).map((a) => a.docid);
    expect(r.observations.length).toBeGreaterThan(0);
    expect(r.observations.map((o) => o.target.id).filter((id) => !own.includes(id))).toEqual([]);
  });

  it('a name no article claims stays unparseable, naming the forms that work', async () => {
    p = await startPipeline();
    const adapter = p.engine['parts'].adapters.netease!;
    const r = await adapter.discover({ mode: 'account', query: '没有这个账号' });
    expect(['unparseable', 'empty']).toContain(r.outcome);
    if (r.outcome === 'unparseable') expect(r.message).toContain('dy/media/T');
  });
});

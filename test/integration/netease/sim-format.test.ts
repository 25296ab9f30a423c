import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { parse } from 'yaml';
import { ManualClock } from '../../../src/domain/clock';
import { buildScenario, Simulator, UN_VOTE_NETEASE_ACCOUNT, UN_VOTE_NETEASE_KEYWORD } from '../../../src/sim';
import { NETEASE_PRODUCT_KEY, parseNeteaseAccount } from '../../../src/platforms/netease';
import { SECOND, START } from './helpers';
import type { Json } from './helpers';

const REFERENCE = join(__dirname, '../../fixtures/reference/netease');
const THREAD = `/api/v1/products/${NETEASE_PRODUCT_KEY}/threads`;

async function get(base: string, path: string): Promise<{ status: number; type: string; text: string }> {
  const res = await request(base + path);
  return { status: res.statusCode, type: String(res.headers['content-type']), text: await res.body.text() };
}

describe('simulated NetEase endpoints', () => {
  const scenario = buildScenario('quick', { start: START, seed: 7 });
  const clock = new ManualClock(START + 3 * SECOND);
  const sim = new Simulator({ clock, scenario });
  let base = '';
  const account = scenario.netease.accounts[0]!;
  const own = scenario.netease.articles.filter((a) => a.account === account.tid);
  beforeAll(async () => {
    base = await sim.start(0);
  });
  afterAll(async () => {
    await sim.stop();
  });

  it('pages list.do newest first, with data.list null past the end', async () => {
    const page = (n: number, size: number): Promise<Json> =>
      get(base, `/v2/article/list.do?pageNo=${n}&wemediaId=${account.wemediaId}&size=${size}`).then((r) =>
        JSON.parse(r.text),
      );
    const first: Json = await page(1, 2);
    expect(first.data.list.map((i: Json) => i.docid)).toEqual(
      [...own]
        .sort((a, b) => b.createdAt - a.createdAt)
        .map((a) => a.docid)
        .slice(0, 2),
    );
    expect(Object.keys(first.data.list[0]).sort()).toEqual(['docid', 'imgsrc', 'ptime', 'source', 'title']);
    expect(first.data.list[0].ptime).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect((await page(2, 2)).data.list).toHaveLength(1);
    expect((await page(3, 2)).data.list).toBeNull();
  });

  it('serves the 网易号 home page with data-wemediaid and its article list', async () => {
    const r = await get(base, `/dy/media/${account.tid}.html`);
    expect(r.status).toBe(200);
    expect(r.text).toContain(`data-wemediaid="${account.wemediaId}"`);
    expect(r.text).toMatch(/class="content_left tab_wrap js-list-tab-box"/);
    for (const a of own) expect(r.text).toContain(`https://www.163.com/dy/article/${a.docid}.html`);
  });

  it('answers thread info with the fields of the real capture, and pages comment lists', async () => {
    const a = scenario.netease.articles.find((x) => (x.comments ?? 0) > 10)!;
    clock.advanceTo(a.createdAt + 2 * 86_400_000);
    try {
      const info: Json = JSON.parse((await get(base, `${THREAD}/${a.docid}`)).text);
      const real: Json = JSON.parse(
        readFileSync(join(REFERENCE, 'comment_thread_info_CG212U73008535RB.json'), 'utf8'),
      );
      expect(Object.keys(info).sort()).toEqual(Object.keys(real).sort());
      expect(Object.keys(info.status).sort()).toEqual(Object.keys(real.status).sort());
      expect(info.tcount).toBe(a.comments);
      const list: Json = JSON.parse(
        (await get(base, `${THREAD}/${a.docid}/comments/newList?offset=0&limit=5`)).text,
      );
      expect(list.newListSize).toBe(a.comments);
      expect(list.commentIds).toHaveLength(5);
      for (const chain of list.commentIds as string[])
        for (const id of chain.split(',')) expect(list.comments[id].postId).toBe(`${a.docid}_${id}`);
      const end: Json = JSON.parse(
        (await get(base, `${THREAD}/${a.docid}/comments/newList?offset=${a.comments}&limit=5`)).text,
      );
      expect(end).toEqual({ commentIds: [], comments: {}, newListSize: a.comments });
      const bad = await get(base, `${THREAD}/${a.docid}/comments/newList?offset=-1&limit=5`);
      expect(JSON.parse(bad.text)).toEqual({ code: '42212', message: 'Illegal pagination parameters' });
      const jsonp = await get(
        base,
        `${THREAD}/${a.docid}/app/comments/hotList?offset=0&limit=3&callback=hotList`,
      );
      expect(jsonp.text).toMatch(/^hotList\(\{.*"threadInfo":\{.*\}\);$/s);
    } finally {
      clock.advanceTo(START + 3 * SECOND);
    }
  });

  it('lists only articles that are up in the keyword search', async () => {
    clock.advanceTo(START + 10 * SECOND);
    try {
      const r = await get(base, `/search?keyword=${encodeURIComponent('quick-topic')}`);
      const up = scenario.netease.articles.filter((a) => a.keywords.includes('quick-topic') && !a.fate);
      const gone = scenario.netease.articles.filter((a) => a.keywords.includes('quick-topic') && a.fate);
      expect(r.text).toContain('class="keyword_list"');
      for (const a of up) expect(r.text).toContain(a.docid);
      for (const a of gone) expect(r.text).not.toContain(a.docid);
    } finally {
      clock.advanceTo(START + 3 * SECOND);
    }
  });
});

describe('/__sim/config for NetEase', () => {
  it('remaps the NetEase hosts and watches the un-vote 网易号 and keyword in a form the adapter resolves', async () => {
    const scenario = buildScenario('un-vote', { start: Date.UTC(2023, 3, 26, 16), seed: 1 });
    const sim = new Simulator({ clock: new ManualClock(scenario.start), scenario });
    const base = await sim.start(0);
    try {
      const doc: Json = parse((await get(base, '/__sim/config')).text);
      for (const h of ['www.163.com', 'dy.163.com', 'comment.api.163.com'])
        expect(doc.platforms.netease.hosts[h]).toBe(base);
      const w = doc.watches[0];
      expect(w.netease.keywords).toEqual([UN_VOTE_NETEASE_KEYWORD]);
      expect(w.netease.accounts).toHaveLength(1);
      const acct = scenario.netease.accounts[0]!;
      expect(acct.name).toBe(UN_VOTE_NETEASE_ACCOUNT);
      expect(parseNeteaseAccount(w.netease.accounts[0])).toEqual({ kind: 'tid', tid: acct.tid });
      const own = scenario.netease.articles.filter((a) => a.account === acct.tid);
      expect(own).toHaveLength(15);
      expect(own.filter((a) => a.fate)).toHaveLength(5);
      expect(own.filter((a) => a.edits)).toHaveLength(1);
      const news = scenario.netease.articles.filter((a) => !a.account);
      expect(news).toHaveLength(10);
      expect(news.filter((a) => a.charset === 'gbk')).toHaveLength(3);
    } finally {
      await sim.stop();
    }
  });
});

import { request } from 'undici';
import { midToBid } from '../../../src/platforms/weibo/ids';
import { MSG, QUICK_KEYWORDS, Simulator } from '../../../src/sim';
import { find, postCards, searchPath, startSim, SECOND } from './helpers';
import type { Harness, Json } from './helpers';

const SHORT_FORMS = /^(刚刚|\d+分钟前|\d+小时前|昨天 \d{2}:\d{2}|\d{2}-\d{2}|\d{4}-\d{2}-\d{2})$/;
const T = QUICK_KEYWORDS.topic;

describe('simulated m.weibo.cn keyword search', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startSim('quick');
  });
  afterEach(async () => {
    await h.sim.stop();
  });

  it('answers "no content" before any post exists and past the last page', async () => {
    const before = await h.get(searchPath(T));
    expect(before.status).toBe(200);
    expect(before.json()).toEqual({ ok: 0, msg: '这里还没有内容', data: { cards: [] } });
    h.at(3.5 * SECOND);
    expect((await h.get(searchPath(T, 3))).json()).toEqual({
      ok: 0,
      msg: '这里还没有内容',
      data: { cards: [] },
    });
  });

  it('pages 10 posts at a time, newest first, with card_type 11 groups and the next page number', async () => {
    h.at(3.5 * SECOND);
    const expected = h.scenario.weibo.posts.filter((p) => p.keywords.includes(T));
    const p1 = (await h.get(searchPath(T, 1))).json();
    const p2 = (await h.get(searchPath(T, 2))).json();
    expect(p1.ok).toBe(1);
    expect(p1.data.cardlistInfo.page).toBe(2);
    expect(p1.data.cardlistInfo.total).toBe(expected.length);
    expect(p2.data.cardlistInfo.page).toBeNull();
    expect(
      p1.data.cards.some(
        (c: Json) => c.card_type === 11 && c.card_group.every((g: Json) => g.card_type === 9),
      ),
    ).toBe(true);
    const cards = [...postCards(p1), ...postCards(p2)];
    expect(postCards(p1)).toHaveLength(10);
    expect(cards.map((c) => c.mblog.mid).sort()).toEqual(expected.map((p) => p.mid).sort());
    const times = cards.map((c) => h.scenario.weibo.posts.find((p) => p.mid === c.mblog.mid)!.createdAt);
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('writes mblogs like the reference cards: string ids, bid, numeric user id, short created_at, HTML text', async () => {
    h.at(3.5 * SECOND);
    const cards = postCards((await h.get(searchPath(T))).json());
    for (const c of cards) {
      const m = c.mblog;
      expect(typeof m.id).toBe('string');
      expect(m.mid).toBe(m.id);
      expect(m.bid).toBe(midToBid(m.mid));
      expect(c.scheme).toContain(`/status/${m.bid}`);
      expect(typeof m.user.id).toBe('number');
      expect(m.created_at).toMatch(SHORT_FORMS);
      expect(typeof m.reposts_count).toBe('number');
      expect(m.edit_config).toEqual({ edited: false });
      expect(m.visible).toEqual({ type: 0, list_id: 0 });
    }
    expect(cards[cards.length - 1].mblog.created_at).toBe('刚刚');
  });

  it('truncates long texts with a 全文 link and embeds the original of a repost', async () => {
    h.at(3.5 * SECOND);
    const cards = [
      ...postCards((await h.get(searchPath(T, 1))).json()),
      ...postCards((await h.get(searchPath(T, 2))).json()),
    ];
    const long = find(h.scenario, (p) => p.isLongText === true);
    const lm = cards.find((c) => c.mblog.mid === long.mid).mblog;
    expect(lm.isLongText).toBe(true);
    expect(lm.text).toContain(`<a href="/status/${long.mid}">全文</a>`);
    expect(lm.text.length).toBeLessThan(long.longText!.length);
    const repost = find(h.scenario, (p) => p.repostOf !== undefined);
    const rm = cards.find((c) => c.mblog.mid === repost.mid).mblog;
    expect(rm.retweeted_status.mid).toBe(repost.repostOf);
    expect(rm.retweeted_status.user).not.toBeNull();
    expect(typeof rm.retweeted_status.user.id).toBe('number');
  });

  it('accepts the decoded containerid form and any search type', async () => {
    h.at(3.5 * SECOND);
    const encoded = postCards((await h.get(searchPath(T, 1, 61))).json()).map((c) => c.mblog.mid);
    const decoded = (
      await h.get(
        `/api/container/getIndex?containerid=100103type=1&q=${encodeURIComponent(T)}&page_type=searchall&page=1`,
      )
    ).json();
    expect(postCards(decoded).map((c) => c.mblog.mid)).toEqual(encoded);
  });

  it('drops gone posts and shows state 8 / state 7 placeholders in reposts of them', async () => {
    h.at(6.2 * SECOND);
    const removed = find(
      h.scenario,
      (p) => p.fate?.cause === 'removed_by_platform' && p.fate.reveal === 'ambiguous',
    );
    const deleted = find(
      h.scenario,
      (p) => p.fate?.cause === 'deleted_by_author' && p.fate.reveal === 'ambiguous',
    );
    const all = async (): Promise<Json[]> => [
      ...postCards((await h.get(searchPath(T, 1))).json()),
      ...postCards((await h.get(searchPath(T, 2))).json()),
    ];
    let cards = await all();
    expect(cards.map((c) => c.mblog.mid)).not.toContain(removed.mid);
    const r1 = cards.find((c) => c.mblog.retweeted_status?.mid === removed.mid).mblog.retweeted_status;
    expect(r1).toMatchObject({ state: 8, user: null, deleted: '1', visible: { type: 0 }, text: MSG.removed });
    h.at(8.5 * SECOND);
    cards = await all();
    const r2 = cards.find((c) => c.mblog.retweeted_status?.mid === deleted.mid).mblog.retweeted_status;
    expect(r2).toMatchObject({ state: 7, user: null, visible: { type: 0, list_id: 0 } });
    expect(r2.text).toContain('抱歉，此微博已被作者删除。查看帮助：');
  });

  it('withholds a blocked keyword with the legal notice and lifts the block when it ends', async () => {
    h.at(10 * SECOND);
    const blocked = (await h.get(searchPath(T))).json();
    expect(blocked.ok).toBe(1);
    expect(blocked.data.cards).toEqual([
      { card_type: 4, desc: '根据相关法律法规和政策，搜索结果未予显示。', show_type: 0 },
    ]);
    expect(blocked.data.cardlistInfo.page).toBeNull();
    h.at(12 * SECOND);
    const open = (await h.get(searchPath(T))).json();
    expect(postCards(open).length).toBeGreaterThan(0);
    expect(JSON.stringify(open)).not.toContain('未予显示');
  });
});

describe('partial search blocks', () => {
  it('shows the partial notice together with the results', async () => {
    const h = await startSim('quick');
    try {
      const scenario = {
        ...h.scenario,
        weibo: {
          ...h.scenario.weibo,
          searchBlocks: [{ keyword: QUICK_KEYWORDS.baseline, from: h.scenario.start, partial: true }],
        },
      };
      const sim = new Simulator({ clock: h.clock, scenario });
      const base = await sim.start();
      try {
        h.at(3 * SECOND);
        const body = (await (await request(base + searchPath(QUICK_KEYWORDS.baseline))).body.json()) as Json;
        expect(body.data.cards[0]).toEqual({
          card_type: 4,
          desc: '根据相关法律法规和政策，部分搜索结果未予显示。',
          show_type: 0,
        });
        expect(postCards(body)).toHaveLength(6);
      } finally {
        await sim.stop();
      }
    } finally {
      await h.sim.stop();
    }
  });
});

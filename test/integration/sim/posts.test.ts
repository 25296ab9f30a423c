import { bidToMid, midToBid } from '../../../src/platforms/weibo/ids';
import { MSG, fullCreatedAt } from '../../../src/sim';
import { bannedAccount, find, HOUR, postCards, SECOND, startSim } from './helpers';
import type { Harness, Json } from './helpers';

const FULL_FORM =
  /^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{2} \d{2}:\d{2}:\d{2} \+0800 \d{4}$/;
const AMBIGUOUS = { ok: 0, errno: '20101', msg: '微博不存在或暂无查看权限!' };

describe('simulated post checks (statuses/show, extend, detail pages)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startSim('quick');
  });
  afterEach(async () => {
    await h.sim.stop();
  });
  const show = async (id: string): Promise<Json> => (await h.get(`/statuses/show?id=${id}`)).json();

  it('shows an alive post by mid and by bid with the full China-time created_at', async () => {
    const p = find(
      h.scenario,
      (x) => x.fate === undefined && x.repostOf === undefined && !x.edits && !x.isLongText,
    );
    h.at(3.5 * SECOND);
    const byMid = await show(p.mid);
    const byBid = await show(midToBid(p.mid));
    expect(byMid.ok).toBe(1);
    expect(byBid).toEqual(byMid);
    expect(byMid.data.mid).toBe(p.mid);
    expect(byMid.data.created_at).toMatch(FULL_FORM);
    expect(byMid.data.created_at).toBe(fullCreatedAt(p.createdAt));
    expect(bidToMid(byMid.data.bid)).toBe(p.mid);
  });

  it('answers the ambiguous 20101 for a post before it exists and for an unknown id', async () => {
    const p = find(h.scenario, (x) => x.createdAt > h.scenario.start + 0.5 * SECOND);
    expect(await show(p.mid)).toEqual(AMBIGUOUS);
    expect(await show('4999999999999999')).toEqual(AMBIGUOUS);
  });

  it('shows the current text after an edit, with edit_count', async () => {
    const p = find(h.scenario, (x) => x.edits !== undefined && x.fate === undefined);
    const edit = p.edits![0]!;
    h.clock.advanceTo(edit.at - 1);
    const before = (await show(p.mid)).data;
    expect(before.edit_config).toEqual({ edited: false });
    expect(before.edit_count).toBeUndefined();
    h.clock.advanceTo(edit.at);
    const after = (await show(p.mid)).data;
    expect(after.edit_count).toBe(1);
    expect(after.edit_config).toEqual({ edited: true });
    expect(after.text).not.toBe(before.text);
    expect(after.raw_text ?? after.text).toContain(edit.text.split('\n')[0]!.slice(-6));
  });

  it('states each cause of a gone post as research says m.weibo.cn does', async () => {
    const s = h.scenario;
    const msg = (cause: string): string =>
      find(s, (x) => x.fate?.cause === cause && x.fate.reveal === 'message').mid;
    const amb = (cause: string): string =>
      find(s, (x) => x.fate?.cause === cause && x.fate.reveal === 'ambiguous').mid;
    const ban = bannedAccount(s);
    const bannedPost = find(s, (x) => x.uid === ban.uid).mid;
    h.at(12.5 * SECOND);
    expect(await show(msg('removed_by_platform'))).toEqual({
      ok: 0,
      errno: '20101',
      msg: '该微博因被多人投诉，根据《微博社区公约》，已被删除。',
    });
    expect(await show(msg('deleted_by_author'))).toEqual({
      ok: 0,
      errno: '20101',
      msg: '抱歉，此微博已被作者删除。查看帮助：http://t.cn/Rfd3rQV',
    });
    expect(await show(msg('restricted'))).toEqual({
      ok: 0,
      errno: '20112',
      msg: '抱歉，由于作者设置，你暂时没有这条微博的查看权限哦。',
    });
    expect(await show(bannedPost)).toEqual({
      ok: 0,
      errno: '20003',
      msg: '该账号因被投诉违反《微博社区公约》的相关规定，现已无法查看。',
    });
    expect(await show(amb('gone_unspecified'))).toEqual(AMBIGUOUS);
    expect(await show(amb('removed_by_platform'))).toEqual(AMBIGUOUS);
    expect(await show(amb('deleted_by_author'))).toEqual(AMBIGUOUS);
  });

  it('makes a post go at its fate time exactly', async () => {
    const p = find(h.scenario, (x) => x.fate?.cause === 'removed_by_platform' && x.fate.reveal === 'message');
    h.clock.advanceTo(p.fate!.at - 1);
    expect((await show(p.mid)).ok).toBe(1);
    h.clock.advanceTo(p.fate!.at);
    expect((await show(p.mid)).msg).toBe(MSG.removed);
  });

  it('serves the long text at statuses/extend and the H5 no-permission page once gone', async () => {
    const p = find(h.scenario, (x) => x.isLongText === true);
    h.at(3.5 * SECOND);
    const body = (await h.get(`/statuses/extend?id=${p.mid}`)).json();
    expect(body.ok).toBe(1);
    expect(body.data.ok).toBe(1);
    expect(body.data.longTextContent).toContain('<br />');
    expect(body.data.longTextContent.length).toBeGreaterThan((await show(p.mid)).data.text.length - 40);
    for (const k of ['reposts_count', 'comments_count', 'attitudes_count'])
      expect(typeof body.data[k]).toBe('number');
    const gone = find(h.scenario, (x) => x.fate !== undefined && x.fate.at < h.scenario.start + 6 * SECOND);
    h.at(7 * SECOND);
    const page = await h.get(`/statuses/extend?id=${gone.mid}`);
    expect(page.type).toContain('text/html');
    expect(page.text).toContain('暂无查看权限');
  });

  it('embeds the status in the detail page as $render_data, by mid and by bid', async () => {
    const p = find(h.scenario, (x) => x.repostOf !== undefined);
    h.at(3.5 * SECOND);
    for (const path of [`/detail/${p.mid}`, `/status/${midToBid(p.mid)}`]) {
      const page = await h.get(path);
      expect(page.status).toBe(200);
      expect(page.type).toContain('text/html');
      // The extraction MediaCrawler uses: the array literal assigned to $render_data, before [0].
      const m = /var \$render_data = (\[[\s\S]*?\])\[0\] \|\| \{\};/.exec(page.text);
      expect(m).not.toBeNull();
      const data = JSON.parse(m![1]!);
      expect(data[0].status.mid).toBe(p.mid);
      expect(data[0].status.created_at).toMatch(FULL_FORM);
      expect(data[0].status.retweeted_status.mid).toBe(p.repostOf);
      expect(Object.keys(data[0]).slice(0, 2)).toEqual(['status', 'call']);
    }
  });

  it('serves the H5 error page for a gone or not yet created post', async () => {
    const p = find(h.scenario, (x) => x.fate?.reveal === 'message');
    for (const when of [0, 12.5 * SECOND]) {
      h.at(when);
      const page = await h.get(`/detail/${p.mid}`);
      expect(page.text).toContain('<title>微博-出错了</title>');
      expect(page.text).toContain('<p class="h5-4con">微博不存在或暂无查看权限!</p>');
      expect(page.text).not.toContain('$render_data');
    }
  });
});

describe('simulated profiles and timelines', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startSim('un-vote');
  });
  afterEach(async () => {
    await h.sim.stop();
  });

  it('serves the profile by containerid=100505{uid} and by type=uid, with the weibo tab', async () => {
    const a = h.scenario.weibo.accounts[0]!;
    const a1 = (await h.get(`/api/container/getIndex?containerid=100505${a.uid}`)).json();
    const a2 = (await h.get(`/api/container/getIndex?type=uid&value=${a.uid}`)).json();
    expect(a1.ok).toBe(1);
    expect(a1.data.userInfo.id).toBe(Number(a.uid));
    expect(a1.data.userInfo.screen_name).toBe(a.name);
    expect(a2.data.userInfo.id).toBe(Number(a.uid));
    const tab = a1.data.tabsInfo.tabs.find((t: Json) => t.tab_type === 'weibo');
    expect(tab.containerid).toBe(`107603${a.uid}`);
    expect((await h.get('/api/container/getIndex?containerid=1005050000000001')).json()).toEqual({
      ok: 0,
      msg: '这里还没有内容',
      data: { cards: [] },
    });
  });

  it('pages a timeline with since_id until it ends, newest first, without duplicates', async () => {
    const ban = bannedAccount(h.scenario);
    const visibleAt = (uid: string, now: number): string[] =>
      h.scenario.weibo.posts
        .filter((p) => p.uid === uid && p.createdAt <= now && !(p.fate && p.fate.at <= now))
        .sort((a, b) => b.createdAt - a.createdAt)
        .map((p) => p.mid);
    // The account and moment with the longest timeline, so that paging is exercised.
    let best = { uid: '', now: 0, n: 0 };
    for (const a of h.scenario.weibo.accounts) {
      if (a.uid === ban.uid) continue;
      for (let t = 0; t <= 96; t += 6) {
        const n = visibleAt(a.uid, h.scenario.start + t * HOUR).length;
        if (n > best.n) best = { uid: a.uid, now: h.scenario.start + t * HOUR, n };
      }
    }
    const { uid, now } = best;
    h.clock.advanceTo(now);
    const expected = visibleAt(uid, now);
    expect(expected.length).toBeGreaterThan(10);
    const seen: string[] = [];
    let since: string | undefined;
    for (let i = 0; i < 20; i++) {
      const body = (
        await h.get(`/api/container/getIndex?containerid=107603${uid}${since ? `&since_id=${since}` : ''}`)
      ).json();
      expect(body.ok).toBe(1);
      expect(body.data.cardlistInfo.total).toBe(expected.length);
      seen.push(...postCards(body).map((c) => c.mblog.mid));
      if (body.data.cardlistInfo.since_id === undefined) break;
      expect(typeof body.data.cardlistInfo.since_id).toBe('number');
      since = String(body.data.cardlistInfo.since_id);
    }
    expect(seen).toEqual(expected);
  });

  it('answers "no content" for a banned account, its profile and its timeline', async () => {
    const ban = bannedAccount(h.scenario);
    h.clock.advanceTo(ban.banAt - 1);
    expect((await h.get(`/api/container/getIndex?containerid=107603${ban.uid}`)).json().ok).toBe(1);
    h.clock.advanceTo(ban.banAt);
    for (const c of [`107603${ban.uid}`, `100505${ban.uid}`]) {
      expect((await h.get(`/api/container/getIndex?containerid=${c}`)).json()).toEqual({
        ok: 0,
        msg: '这里还没有内容',
        data: { cards: [] },
      });
    }
  });
});

describe('simulator housekeeping endpoints', () => {
  it('reports its clock and answers unknown paths with a 404 page', async () => {
    const h = await startSim('quick');
    try {
      h.at(1234);
      expect((await h.get('/__sim/clock')).json()).toEqual({ now: h.scenario.start + 1234 });
      const nf = await h.get('/nope/nothing');
      expect(nf.status).toBe(404);
      expect(nf.type).toContain('text/html');
      const home = await h.get('/');
      expect(home.status).toBe(200);
    } finally {
      await h.sim.stop();
    }
  });
});

import { parseAjaxStatusShow, parseMymblogPage } from '../../../src/platforms/weibo/ajax';
import { midToBid } from '../../../src/platforms/weibo/ids';
import { fullCreatedAt, MSG } from '../../../src/sim';
import { bannedAccount, find, SECOND, startSim } from './helpers';
import type { Harness, Json } from './helpers';

/** An HttpResponse of a simulator answer, for the crawler's own parsers. */
function asResponse(url: string, status: number, text: string) {
  return {
    ok: true as const,
    url,
    finalUrl: url,
    redirects: [],
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    setCookies: [],
    body: Buffer.from(text, 'utf8'),
  };
}

describe('simulated weibo.com/ajax (statuses/show, longtext, mymblog)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startSim('quick');
  });
  afterEach(async () => {
    await h.sim.stop();
  });
  const ajaxShow = async (id: string): Promise<Json> => (await h.get(`/ajax/statuses/show?id=${id}`)).json();

  it('shows an alive post as the ajax status: top-level ok:1, numeric id, string idstr/mid, mblogid, text_raw', async () => {
    const p = find(
      h.scenario,
      (x) => x.fate === undefined && x.repostOf === undefined && !x.edits && !x.isLongText,
    );
    h.at(3.5 * SECOND);
    const body = await ajaxShow(p.mid);
    expect(body.ok).toBe(1);
    expect(body.data).toBeUndefined();
    expect(body.id).toBe(Number(p.mid));
    expect(body.idstr).toBe(p.mid);
    expect(body.mid).toBe(p.mid);
    expect(body.mblogid).toBe(midToBid(p.mid));
    expect(body.created_at).toBe(fullCreatedAt(p.createdAt));
    expect(body.text_raw).toBe(p.text);
    expect(body.user.idstr).toBe(p.uid);
    expect(body.user.profile_url).toBe(`/u/${p.uid}`);
    expect(body.region_name).toMatch(/^发布于 /);
    expect(body.pics).toBeUndefined();
    expect(Object.keys(body.pic_infos).sort()).toEqual([...body.pic_ids].sort());
    // By bid too, as weibo.com accepts either.
    expect(await ajaxShow(midToBid(p.mid))).toEqual(body);
    const [o] = parseAjaxStatusShow(
      asResponse('https://weibo.com/ajax/statuses/show', 200, JSON.stringify(body)),
      h.clock.now(),
      p.mid,
    );
    expect(o).toMatchObject({ outcome: 'alive', content: { text: p.text } });
  });

  it('shows the edited text after an edit, with edit_count', async () => {
    const p = find(h.scenario, (x) => x.edits !== undefined && x.fate === undefined);
    const edit = p.edits![0]!;
    h.clock.advanceTo(edit.at);
    const body = await ajaxShow(p.mid);
    expect(body.text_raw).toBe(edit.text);
    expect(body.edit_count).toBe(1);
  });

  it('states each cause as m.weibo.cn does, in the ajax error forms', async () => {
    const s = h.scenario;
    const msg = (cause: string): string =>
      find(s, (x) => x.fate?.cause === cause && x.fate.reveal === 'message').mid;
    const amb = find(s, (x) => x.fate?.reveal === 'ambiguous').mid;
    const bannedPost = find(s, (x) => x.uid === bannedAccount(s).uid).mid;
    h.at(12.5 * SECOND);
    const cases: Array<[string, string, string]> = [
      [msg('removed_by_platform'), MSG.removed, 'removed_by_platform'],
      [msg('deleted_by_author'), MSG.deletedByAuthor, 'deleted_by_author'],
      [msg('restricted'), MSG.restricted, 'restricted'],
      [bannedPost, MSG.accountBanned, 'account_gone'],
      [amb, MSG.ambiguous, 'gone_unspecified'],
    ];
    const forms = new Set<string>();
    for (const [mid, text, outcome] of cases) {
      const body = await ajaxShow(mid);
      expect(body.ok).toBe(0);
      expect(body.message ?? body.msg).toBe(text);
      forms.add(
        body.message !== undefined ? `message/${typeof body.error_code}` : `msg/${typeof body.errno}`,
      );
      const [o] = parseAjaxStatusShow(
        asResponse('https://weibo.com/ajax/statuses/show', 200, JSON.stringify(body)),
        h.clock.now(),
        mid,
      );
      expect(o?.outcome).toBe(outcome);
    }
    // Both reported forms are served.
    expect([...forms].sort()).toEqual(['message/number', 'msg/string']);
  });

  it('serves the plain long text at ajax/statuses/longtext by mblogid; a short post has data:{}', async () => {
    const long = find(h.scenario, (x) => x.isLongText === true);
    const short = find(h.scenario, (x) => x.fate === undefined && !x.isLongText);
    h.at(3.5 * SECOND);
    const status = await ajaxShow(long.mid);
    expect(status.isLongText).toBe(true);
    expect(status.continue_tag).toMatchObject({ title: '全文' });
    const body = (await h.get(`/ajax/statuses/longtext?id=${midToBid(long.mid)}`)).json();
    expect(body).toMatchObject({ ok: 1, data: { longTextContent: long.longText ?? long.text } });
    expect((await h.get(`/ajax/statuses/longtext?id=${midToBid(short.mid)}`)).json()).toMatchObject({
      ok: 1,
      data: {},
    });
  });

  it('pages an account through mymblog by since_id; a banned account lists nothing', async () => {
    const uid = h.scenario.weibo.accounts.find(
      (a) =>
        h.scenario.weibo.posts.filter((p) => p.uid === a.uid).length > 0 &&
        a.banAt === undefined &&
        a.closeAt === undefined,
    )!.uid;
    h.at(12.5 * SECOND);
    const seen: string[] = [];
    let path = `/ajax/statuses/mymblog?uid=${uid}&page=1&feature=0`;
    for (let page = 1; page < 20; page++) {
      const body = (await h.get(path)).json();
      expect(body.ok).toBe(1);
      const r = parseMymblogPage(
        asResponse(`https://weibo.com${path}`, 200, JSON.stringify(body)),
        h.clock.now(),
      );
      seen.push(...r.observations.filter((o) => o.endpoint === 'web.mymblog').map((o) => o.target.id));
      if (body.data.since_id === '') break;
      expect(body.data.since_id).toMatch(/^\d+kp\d+$/);
      path = `/ajax/statuses/mymblog?uid=${uid}&page=${page + 1}&feature=0&since_id=${body.data.since_id}`;
    }
    const alive = h.scenario.weibo.posts
      .filter((p) => p.uid === uid && p.createdAt <= h.clock.now() && !(p.fate && p.fate.at <= h.clock.now()))
      .map((p) => p.mid);
    expect(alive.length).toBeGreaterThan(0);
    expect(seen.sort()).toEqual(alive.sort());
    const banned = bannedAccount(h.scenario);
    h.clock.advanceTo(banned.banAt);
    const body = (await h.get(`/ajax/statuses/mymblog?uid=${banned.uid}&page=1&feature=0`)).json();
    expect(body.data).toMatchObject({ list: [], since_id: '' });
  });
});

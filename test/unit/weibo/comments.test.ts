import { ManualClock } from '../../../src/domain/clock';
import type { FetchResult } from '../../../src/http/types';
import {
  checkWeiboThread,
  HOTFLOW_ENDPOINT,
  parseHotflow,
  type HotflowResult,
} from '../../../src/platforms/weibo/comments';
import { hotflowUrl } from '../../../src/platforms/weibo/urls';
import { AT_2019, response, sample, sampleJson } from './helpers';

const MID = '4383183661430868';
const HOTFLOW = sample('m_comments_hotflow_2019_first3.json');

function page(r: HotflowResult) {
  if (r.kind !== 'page') throw new Error(`expected a page, got ${r.outcome}: ${r.message}`);
  return r.page;
}

describe('parseHotflow on the reference sample (m.weibo.cn comments/hotflow, 2019)', () => {
  const p = page(
    parseHotflow(response(HOTFLOW, { contentType: 'application/json; charset=utf-8' }), AT_2019),
  );

  it('lists the top-level comments in order, ids as strings, sub-replies left out', () => {
    expect(p.comments.map((c) => c.id)).toEqual(['4383183984547669', '4383184256927204', '4383183980195874']);
    // 4383191449773449 is a reply shown under the first comment, not a comment of the thread list.
    expect(p.comments.map((c) => c.id)).not.toContain('4383191449773449');
  });

  it('turns the text to plain text with emoji as their names, and keeps the screen name', () => {
    expect(p.comments[0]).toEqual({
      id: '4383183984547669',
      text: '宝宝陪你一起搬陪你一起吃[羞嗒嗒]',
      author: '护舒宝',
      location: null,
      createdAt: '2019-06-14T12:39:20.000Z',
      deleted: false,
    });
    expect(p.comments.map((c) => c.author)).toEqual(['护舒宝', '世间本空', '飘柔Rejoice']);
    expect(p.comments[2]!.text).toBe('飘飘祝热巴吃好喝好！');
  });

  it('reads the next-page cursor and the total', () => {
    expect(p.maxId).toBe('314345666829623');
    expect(p.total).toBe(133519);
  });

  it('reads the location from `source` when the comment has one', () => {
    const json = sampleJson<{ ok: number; data: { data: Record<string, unknown>[] } }>(
      'm_comments_hotflow_2019_first3.json',
    );
    json.data.data[0]!['source'] = '来自上海';
    expect(page(parseHotflow(response(json), AT_2019)).comments[0]!.location).toBe('上海');
  });

  it('ends on max_id 0 and accepts an empty list', () => {
    const last = page(
      parseHotflow(response({ ok: 1, data: { data: [], max_id: 0, total_number: 0 } }), AT_2019),
    );
    expect(last).toEqual({ comments: [], maxId: null, total: 0 });
  });

  it('classifies errors like every m.weibo.cn JSON answer', () => {
    expect(parseHotflow(response('', { status: 418, contentType: 'text/plain' }), AT_2019)).toMatchObject({
      kind: 'outcome',
      outcome: 'rate_limited',
    });
    expect(
      parseHotflow(response({ ok: 0, errno: '20101', msg: '微博不存在或暂无查看权限!' }), AT_2019),
    ).toMatchObject({ kind: 'outcome', outcome: 'gone_unspecified' });
    expect(
      parseHotflow(response({ ok: -100, url: 'https://passport.weibo.com/sso/signin' }), AT_2019),
    ).toMatchObject({ kind: 'outcome', outcome: 'login_required' });
    expect(parseHotflow(response({ ok: 1, data: { data: 'x' } }), AT_2019)).toMatchObject({
      kind: 'outcome',
      outcome: 'unparseable',
    });
  });
});

describe('checkWeiboThread', () => {
  const clock = new ManualClock(AT_2019);
  const target = { platform: 'weibo', kind: 'thread', id: MID } as const;
  const comment = (id: string, sec: number) => ({
    id,
    created_at: `Sun Jun 16 11:${String(sec).padStart(2, '0')}:00 +0800 2019`,
    text: `评论${id}`,
    user: { id: 1, screen_name: `用户${id}` },
    source: '',
  });
  /** Three pages of two comments each, chained by max_id. */
  const pages: Record<string, object> = {
    '': { ok: 1, data: { data: [comment('6', 59), comment('5', 58)], max_id: 4, total_number: 6 } },
    '4': { ok: 1, data: { data: [comment('4', 57), comment('3', 56)], max_id: 2, total_number: 6 } },
    '2': { ok: 1, data: { data: [comment('2', 55), comment('1', 54)], max_id: 0, total_number: 6 } },
  };
  function server(fail?: string) {
    const asked: { url: string; referer: string }[] = [];
    const get = async (url: string, referer: string): Promise<FetchResult> => {
      asked.push({ url, referer });
      const maxId = new URL(url).searchParams.get('max_id') ?? '';
      if (maxId === fail) return { ok: false, url, code: 'ECONNRESET', message: 'reset' };
      return response(pages[maxId]!, { url });
    };
    return { get, asked };
  }

  it('follows max_id to the last page: the list is complete', async () => {
    const s = server();
    const obs = await checkWeiboThread(target, s.get, clock, 3);
    expect(s.asked.map((a) => a.url)).toEqual([hotflowUrl(MID), hotflowUrl(MID, '4'), hotflowUrl(MID, '2')]);
    expect(s.asked[0]!.url).toBe(`https://m.weibo.cn/comments/hotflow?id=${MID}&mid=${MID}&max_id_type=0`);
    expect(s.asked.every((a) => a.referer === `https://m.weibo.cn/detail/${MID}`)).toBe(true);
    expect(obs.outcome).toBe('alive');
    expect(obs.endpoint).toBe(HOTFLOW_ENDPOINT);
    expect(obs.comments?.complete).toBe(true);
    expect(obs.comments?.items.map((c) => c.id)).toEqual(['6', '5', '4', '3', '2', '1']);
    expect(obs.content?.counts.comments).toBe(6);
  });

  it('stops at the page cap: the list is cut', async () => {
    const s = server();
    const obs = await checkWeiboThread(target, s.get, clock, 2);
    expect(s.asked).toHaveLength(2);
    expect(obs.comments).toEqual(expect.objectContaining({ complete: false }));
    expect(obs.comments?.items).toHaveLength(4);
  });

  it('a later page that fails ends the list early, as cut; a first page that fails is the outcome', async () => {
    const cut = await checkWeiboThread(target, server('2').get, clock, 3);
    expect(cut.outcome).toBe('alive');
    expect(cut.comments?.complete).toBe(false);
    expect(cut.comments?.items).toHaveLength(4);
    // Two pages read: both kept as evidence.
    expect(JSON.parse(cut.evidence!.body.toString('utf8')).pages).toHaveLength(2);

    const failed = await checkWeiboThread(target, server('').get, clock, 3);
    expect(failed).toMatchObject({ outcome: 'network_error', message: 'ECONNRESET' });
    expect(failed.comments).toBeUndefined();
  });
});

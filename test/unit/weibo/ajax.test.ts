import {
  parseAjaxLongText,
  parseAjaxStatusShow,
  parseMymblogCursor,
  parseMymblogPage,
} from '../../../src/platforms/weibo/ajax';
import { classifyJsonResponse } from '../../../src/platforms/weibo/classify';
import { midToBid } from '../../../src/platforms/weibo/ids';
import { normalizeAjaxStatus, normalizeMblog } from '../../../src/platforms/weibo/normalize';
import {
  AJAX_NOT_FOUND_MESSAGE_FORM,
  AJAX_NOT_FOUND_MSG_FORM,
  ajaxShowSample,
  ajaxStatusSample,
} from './ajax-samples';
import { AT_2019, response } from './helpers';

const MID = '4607741009594608';
const SHOW_URL = `https://weibo.com/ajax/statuses/show?id=${MID}`;
const show = (body: object | string, status = 200) => response(body, { url: SHOW_URL, status });
const mymblog = (body: object, page = 1) =>
  response(body, { url: `https://weibo.com/ajax/statuses/mymblog?uid=1645372340&page=${page}&feature=0` });

describe('weibo.com ajax/statuses/show', () => {
  test('the status at the top level (ok:1 inside, id a number) → alive, ids as strings, text from text_raw', () => {
    const [o, ...rest] = parseAjaxStatusShow(show(ajaxShowSample()), AT_2019, MID);
    expect(rest).toEqual([]);
    expect(o).toMatchObject({
      target: { platform: 'weibo', kind: 'post', id: MID },
      endpoint: 'web.statuses.show',
      outcome: 'alive',
      url: `https://m.weibo.cn/detail/${MID}`,
      evidence: { url: SHOW_URL, status: 200 },
    });
    const c = o!.content!;
    // text_raw keeps the link the HTML shows as 网页链接.
    expect(c.text).toBe(
      '//@南山林雪萍 :虽然欧洲版的“南泥湾计划”来的有点晚，但还是来了。[doge] http://t.cn/A6abcd12',
    );
    expect(c.html).toContain('<a href=/n/南山林雪萍>');
    expect(c.author).toEqual({ id: '1645372340', name: '于三羊鲜声' });
    expect(c.createdAt).toBe('2021-02-23T04:28:47.000Z');
    expect(c.region).toBe('安徽');
    expect(c.counts).toEqual({ reposts: 3, comments: 12, likes: 10_000 });
    // pic_ids order, largest size, whatever order pic_infos has.
    expect(c.media).toEqual([
      'https://wx3.sinaimg.cn/large/621263b4ly1gnwyx2kpjfj20u01hcjwb.jpg',
      'https://wx1.sinaimg.cn/large/621263b4ly1gnwyx2n0m4j20u01hcdkg.jpg',
    ]);
    expect(c.truncated).toBe(false);
  });

  test('the mblogid is the bid of the mid', () => {
    expect(midToBid(MID)).toBe('K3fnuEfZK');
  });

  test('isLongText with continue_tag → truncated, so the long text is fetched', () => {
    const [o] = parseAjaxStatusShow(
      show(ajaxShowSample({ isLongText: true, continue_tag: { title: '全文', cleaned: true } })),
      AT_2019,
      MID,
    );
    expect(o?.content?.truncated).toBe(true);
  });

  test.each([
    ['message + numeric error_code', AJAX_NOT_FOUND_MESSAGE_FORM, 'gone_unspecified'],
    ['msg + string errno', AJAX_NOT_FOUND_MSG_FORM, 'gone_unspecified'],
    ['only a numeric error_code', { ok: 0, error_code: 20112 }, 'restricted'],
    ['only a string errno', { ok: '0', errno: '20003' }, 'account_gone'],
    [
      'a stated cause wins over the generic code',
      { ok: 0, message: '抱歉，此微博已被作者删除。查看帮助：http://t.cn/Rfd3rQV', error_code: '20101' },
      'deleted_by_author',
    ],
    [
      'removal after complaints, msg form',
      { ok: 0, errno: 20101, msg: '该微博因被多人投诉，根据《微博社区公约》，已被删除。' },
      'removed_by_platform',
    ],
  ])('a missing post, %s', (_name, body, outcome) => {
    const obs = parseAjaxStatusShow(show(body), AT_2019, MID);
    expect(obs).toHaveLength(1);
    expect(obs[0]).toMatchObject({ endpoint: 'web.statuses.show', outcome, target: { id: MID } });
  });

  test('ok:-100 with a login.php url → login_required, naming the url', () => {
    const [o] = parseAjaxStatusShow(
      show({ ok: -100, url: 'https://weibo.com/login.php?url=https%3A%2F%2Fweibo.com%2Fajax' }),
      AT_2019,
      MID,
    );
    expect(o).toMatchObject({ outcome: 'login_required' });
    expect(o?.message).toContain('login.php');
  });

  test('an m.weibo.cn-style data wrapper is not the ajax shape → unparseable, not alive', () => {
    const [o] = parseAjaxStatusShow(show({ ok: 1, data: ajaxStatusSample() }), AT_2019, MID);
    expect(o).toMatchObject({
      outcome: 'unparseable',
      message: 'ajax/statuses/show: no status at the top level',
    });
  });

  test('a repost of a deleted original → the original observed through its placeholder', () => {
    const body = ajaxShowSample({
      retweeted_status: {
        id: 4607700000000001,
        idstr: '4607700000000001',
        mid: '4607700000000001',
        mblogid: midToBid('4607700000000001'),
        text: '抱歉，此微博已被作者删除。查看帮助：<a href="http://t.cn/Rfd3rQV">网页链接</a>',
        state: 7,
        deleted: '1',
        user: null,
      },
    });
    const obs = parseAjaxStatusShow(show(body), AT_2019, MID);
    expect(obs.map((o) => [o.target.id, o.endpoint, o.outcome])).toEqual([
      [MID, 'web.statuses.show', 'alive'],
      ['4607700000000001', 'web.repost-embed', 'deleted_by_author'],
    ]);
    expect(obs[0]?.content?.repostOf).toBe('4607700000000001');
  });
});

describe('the classifier on both ajax error forms', () => {
  test.each([
    [AJAX_NOT_FOUND_MESSAGE_FORM, '该微博不存在 (errno 20101)'],
    [AJAX_NOT_FOUND_MSG_FORM, '该微博不存在 (errno 20101)'],
  ])('%j → gone_unspecified with the message and code', (body, message) => {
    const c = classifyJsonResponse(show(body));
    expect(c).toMatchObject({ kind: 'outcome', outcome: 'gone_unspecified', message });
  });

  test('ok:1 with the status at the top level is data', () => {
    const c = classifyJsonResponse(show(ajaxShowSample()));
    expect(c.kind).toBe('json');
  });
});

describe('normalizeAjaxStatus', () => {
  test('plain text from text_raw; without it, the same text as the m.weibo.cn normalizer', () => {
    const withRaw = ajaxStatusSample();
    expect(normalizeAjaxStatus(withRaw, AT_2019)?.text).toBe(withRaw['text_raw']);
    const { text_raw: _dropped, ...noRaw } = withRaw;
    expect(normalizeAjaxStatus(noRaw, AT_2019)).toEqual(normalizeMblog(noRaw, AT_2019));
    expect(normalizeAjaxStatus(noRaw, AT_2019)?.text).toContain('网页链接');
  });

  test('zero-width and trailing spaces of text_raw are trimmed', () => {
    const c = normalizeAjaxStatus(ajaxStatusSample({ text_raw: '第一行  \n\u200b第二行\u200b ' }), AT_2019);
    expect(c?.text).toBe('第一行\n第二行');
  });
});

describe('weibo.com ajax/statuses/longtext', () => {
  const lt = (body: object) =>
    response(body, { url: 'https://weibo.com/ajax/statuses/longtext?id=K3fnuEfZK' });

  test('{ok:1,data:{longTextContent}} → the long text', () => {
    const r = parseAjaxLongText(
      lt({ ok: 1, http_code: 200, data: { longTextContent: '全文\n第二段', url_struct: [] } }),
    );
    expect(r).toEqual({ kind: 'long-text', text: '全文\n第二段' });
  });

  test('data:{} (the post is not long) → unparseable', () => {
    expect(parseAjaxLongText(lt({ ok: 1, data: {} }))).toMatchObject({
      kind: 'outcome',
      outcome: 'unparseable',
    });
  });

  test('a refusal is classified like statuses/show', () => {
    expect(parseAjaxLongText(lt(AJAX_NOT_FOUND_MESSAGE_FORM))).toMatchObject({
      kind: 'outcome',
      outcome: 'gone_unspecified',
    });
  });
});

describe('weibo.com ajax/statuses/mymblog', () => {
  const second = ajaxStatusSample({
    id: 4607700000000002,
    idstr: '4607700000000002',
    mid: '4607700000000002',
    mblogid: midToBid('4607700000000002'),
    isLongText: true,
  });

  test('data.list → one alive observation per post, partial, cursor <next page>:<since_id>', () => {
    const r = parseMymblogPage(
      mymblog({
        ok: 1,
        data: { since_id: '4607600000000000kp2', list: [ajaxStatusSample(), second], total: 2300 },
      }),
      AT_2019,
    );
    expect(r.outcome).toBe('results');
    expect(r.observations.map((o) => [o.target.id, o.endpoint, o.outcome])).toEqual([
      [MID, 'web.mymblog', 'alive'],
      ['4607700000000002', 'web.mymblog', 'alive'],
    ]);
    // weibo.com writes texts its own way: a listing proves life and never counts as an edit.
    expect(r.observations.every((o) => o.content?.truncated === true)).toBe(true);
    expect(r.nextCursor).toBe('2:4607600000000000kp2');
    expect(parseMymblogCursor(r.nextCursor ?? undefined)).toEqual({
      page: 2,
      sinceId: '4607600000000000kp2',
    });
  });

  test('the page number in the cursor follows the page asked for', () => {
    const r = parseMymblogPage(mymblog({ ok: 1, data: { since_id: 77, list: [second] } }, 4), AT_2019);
    expect(r.nextCursor).toBe('5:77');
  });

  test.each([
    [
      'an empty since_id (last page)',
      { ok: 1, data: { since_id: '', list: [ajaxStatusSample()] } },
      'results',
    ],
    ['an empty list', { ok: 1, data: { since_id: '123', list: [], total: 0 } }, 'empty'],
    ['这里还没有内容', { ok: 0, msg: '这里还没有内容', data: { list: [] } }, 'empty'],
  ])('%s: no next page', (_name, body, outcome) => {
    const r = parseMymblogPage(mymblog(body), AT_2019);
    expect(r.outcome).toBe(outcome);
    expect(r.nextCursor).toBeNull();
  });

  test('a login wall → login_required; a page without data.list → unparseable', () => {
    expect(parseMymblogPage(mymblog({ ok: -100, url: 'https://weibo.com/login.php' }), AT_2019).outcome).toBe(
      'login_required',
    );
    expect(parseMymblogPage(mymblog({ ok: 1, data: { cards: [] } }), AT_2019)).toMatchObject({
      outcome: 'unparseable',
      message: 'ajax/statuses/mymblog: data.list missing',
    });
  });

  test('a cursor that is not one of ours starts at page 1', () => {
    expect(parseMymblogCursor(undefined)).toEqual({ page: 1, sinceId: null });
    expect(parseMymblogCursor('4607600000000000')).toEqual({ page: 1, sinceId: null });
    expect(parseMymblogCursor('3:')).toEqual({ page: 3, sinceId: null });
  });
});

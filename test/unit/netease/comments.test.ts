import { parseCommentList, parseCommentThreadInfo } from '../../../src/platforms/netease';
import { reference, response } from './support';

const JSON_HEADERS = { 'content-type': 'application/json;charset=UTF-8' };
const hotListBody = reference('comments_app_hotList_EAUJCTQV05346RBY.json');
const hotListUrl =
  'https://comment.api.163.com/api/v1/products/a2869674571f77b5a0867c3d71db5856/threads/EAUJCTQV05346RBY/app/comments/hotList?offset=0&limit=10';

function listOf(body: Buffer | string) {
  const parsed = parseCommentList(response({ url: hotListUrl, headers: JSON_HEADERS, body }));
  if (!parsed.ok) throw new Error(`expected a parsed list, got ${parsed.outcome}: ${parsed.message}`);
  return parsed.value;
}

/** Every object under `v` that has a `nickname` or `location`, i.e. every kept user. */
function userObjects(v: unknown, out: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (Array.isArray(v)) v.forEach((x) => userObjects(x, out));
  else if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('nickname' in o || 'location' in o) out.push(o);
    Object.values(o).forEach((x) => userObjects(x, out));
  }
  return out;
}

describe('parseCommentList on the reference app hotList (2019, dy article)', () => {
  const list = listOf(hotListBody);

  it('keeps the display chains, reply chains split root first', () => {
    expect(list.chains).toHaveLength(10);
    expect(list.chains[0]).toEqual(['56415914']);
    expect(list.chains[1]).toEqual(['56415914', '56426719']);
    expect(list.chains[9]).toEqual(['56916031', '57034022']);
  });

  it('returns every comment once, in order of first appearance', () => {
    expect(list.comments).toHaveLength(12);
    expect(list.comments.slice(0, 3).map((c) => c.commentId)).toEqual(['56415914', '56426719', '56645923']);
    expect(new Set(list.comments.map((c) => c.commentId)).size).toBe(12);
  });

  it('reads comment fields, time in UTC', () => {
    const c = list.comments[0];
    expect(c).toMatchObject({
      commentId: '56415914',
      postId: 'EAUJCTQV05346RBY_56415914',
      content: '真不知道这哥们帅在哪',
      createdAt: '2019-03-23T01:29:44.000Z',
      vote: 324,
      against: 0,
      buildLevel: 1,
      anonymous: false,
      isDel: false,
      source: 'ph',
      ip: '117.136.*.*',
      deviceName: 'iPhone XR',
      user: { nickname: '有态度网友0g39Xd', location: '黑龙江省', userId: '269262541' },
    });
  });

  it('keeps the location of anonymous comments but no nickname or user number', () => {
    const anon = list.comments.find((c) => c.commentId === '56426719');
    expect(anon?.anonymous).toBe(true);
    expect(anon?.user).toEqual({ nickname: null, location: '河南省洛阳市', userId: null, avatar: null });
  });

  it('keeps the app threadInfo', () => {
    expect(list.threadInfo).toEqual({
      audioLock: '1',
      againstLock: '0',
      isTagOff: '0',
      hideAd: false,
      url: 'http://dy.163.com/v2/article/detail/EAUJCTQV05346RBY.html',
    });
    expect(list.newListSize).toBeNull();
  });

  it('no user.id survives anywhere in the output', () => {
    const out = JSON.stringify(list);
    expect(out).not.toContain('redacted');
    const users = userObjects(list);
    expect(users).toHaveLength(12);
    for (const u of users) expect(Object.keys(u)).not.toContain('id');
  });

  it('drops a real-looking user.id (base64 of an e-mail) too', () => {
    const leaked = 'eWQudGVzdC11c2VyQDE2My5jb20='; // base64("yd.test-user@163.com")
    const body = hotListBody
      .toString('utf8')
      .replaceAll('<redacted: base64 of account e-mail in original>', leaked);
    expect(body).toContain(leaked);
    const out = JSON.stringify(listOf(body));
    expect(out).not.toContain(leaked);
    expect(out).not.toContain('yd.test-user');
  });
});

describe('parseCommentList: wrappers, paging end and errors', () => {
  it('parses the JSONP form like plain JSON', () => {
    const list = listOf(`getData(${hotListBody.toString('utf8')});`);
    expect(list.comments).toHaveLength(12);
  });

  it('an offset past the end is an empty page with newListSize', () => {
    const list = listOf('{"commentIds":[],"comments":{},"newListSize":9037}');
    expect(list.comments).toEqual([]);
    expect(list.chains).toEqual([]);
    expect(list.newListSize).toBe(9037);
  });

  it('a NetEase error object is unparseable with its code and message', () => {
    const parsed = parseCommentList(
      response({
        headers: JSON_HEADERS,
        body: 'hotList({"code":"42212","message":"Illegal pagination parameters"})',
      }),
    );
    expect(parsed).toEqual({
      ok: false,
      outcome: 'unparseable',
      message: 'NetEase error 42212: Illegal pagination parameters',
    });
  });

  it('HTTP 503 is a server error and HTML is unparseable', () => {
    expect(parseCommentList(response({ status: 503 }))).toMatchObject({ ok: false, outcome: 'server_error' });
    expect(parseCommentList(response({ body: '<html></html>' }))).toMatchObject({
      ok: false,
      outcome: 'unparseable',
    });
  });
});

describe('parseCommentThreadInfo', () => {
  it('parses the reference thread info (2017 video thread)', () => {
    const parsed = parseCommentThreadInfo(
      response({ headers: JSON_HEADERS, body: reference('comment_thread_info_CG212U73008535RB.json') }),
    );
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value).toEqual({
      docId: 'CG212U73008535RB',
      url: 'http://v.163.com/paike/VCEQEEGG7/VCG212U73.html',
      title: '实拍最惨车祸，看完后司机们要注意了',
      boardId: 'video_bbs',
      channelId: '0001',
      createdAt: '2017-04-01T16:43:03.000Z',
      modifiedAt: '2017-04-01T16:43:03.000Z',
      isAudit: false,
      needCheck: null,
      vote: 0,
      against: 0,
      tcount: 0,
      rcount: 0,
      cmtVote: 0,
      cmtAgainst: 0,
      participation: 0,
      status: { app: 'on', web: 'on', audio: 'off', against: 'on', joincount: 'on', label: 'on' },
      commentsOpen: true,
    });
  });

  it('reports comments closed when status.web is off', () => {
    const body = JSON.stringify({
      docId: 'CG212U73008535RB',
      tcount: 12,
      rcount: 30,
      cmtVote: 4,
      cmtAgainst: 1,
      status: { app: 'on', web: 'off' },
    });
    const parsed = parseCommentThreadInfo(response({ headers: JSON_HEADERS, body }));
    expect(parsed).toMatchObject({ ok: true, value: { commentsOpen: false, tcount: 12, participation: 35 } });
  });
});

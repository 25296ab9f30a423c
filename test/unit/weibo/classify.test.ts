import { isFinalOutcome, isTransientOutcome } from '../../../src/domain/glossary';
import {
  classifyHtmlPage,
  classifyJsonResponse,
  classifyMessage,
  type JsonClassification,
} from '../../../src/platforms/weibo/classify';
import { response, sampleJson } from './helpers';

function outcomeOf(c: JsonClassification): string {
  return c.kind === 'json' ? 'json' : c.outcome;
}

describe('research §3.1: post-level placeholders and messages', () => {
  test.each([
    [
      'deleted by author (with help link)',
      '抱歉，此微博已被作者删除。查看帮助：http://t.cn/Rfd3rQV',
      'deleted_by_author',
    ],
    [
      'removed after complaints (社区公约)',
      '该微博因被多人投诉，根据《微博社区公约》，已被删除。',
      'removed_by_platform',
    ],
    [
      'removed after reports (older 社区管理规定 form)',
      '该微博因被多人举报，根据《微博社区管理规定》，已被删除。查看帮助：http://t.cn/Rfd14WY',
      'removed_by_platform',
    ],
    ['deleted, actor not stated', '抱歉，此微博已被删除。', 'gone_unspecified'],
    ['2011 web UI, traditional: has been deleted', '該微博已被刪除', 'gone_unspecified'],
    ['2011 web UI, traditional: deleted by the original author', '此微博已被原作者刪除', 'deleted_by_author'],
    [
      'visibility restricted by author',
      '抱歉，由于作者设置，你暂时没有这条微博的查看权限哦。查看帮助：http://t.cn/RfdBWwP',
      'restricted',
    ],
    [
      'author shows only the last half year',
      '抱歉，作者已设置仅展示半年内微博，此微博已不可见。',
      'restricted',
    ],
    ['author privacy setting (detail page)', '由于作者隐私设置，你没有权限查看此微博', 'restricted'],
    ['blogger setting', '由于博主设置，目前内容暂不可见。', 'restricted'],
    ['blogger setting, other form', '根据博主设置，此内容无法访问', 'restricted'],
    ['not found or no permission (ambiguous)', '微博不存在或暂无查看权限!', 'gone_unspecified'],
    ['admin-"encrypted" (2012)', '您的微博已被管理员加密。此微博不适宜对外公开。', 'removed_by_platform'],
  ])('%s: %s → %s', (_name, msg, expected) => {
    expect(classifyMessage(msg)).toBe(expected);
  });

  test.each([
    ['generic H5 error', '出错了，未知错误'],
    ['app-only content', '打开微博客户端，查看全文'],
    ['app-only login', '在微博客户端登录查看完整内容'],
    ['marketing review (pending, not a removal)', '博文涉及营销推广正在审核中，暂时无法传播'],
    ['marketing not filed', '该微博包含营销推广内容且未备案'],
  ])('%s: %s → not a cause (null)', (_name, msg) => {
    expect(classifyMessage(msg)).toBeNull();
  });
});

describe('research §3.2: account-level messages', () => {
  test.each([
    [
      'banned (law + community pact)',
      '该账号因被投诉违反法律法规和《微博社区公约》的相关规定，现已无法查看。',
    ],
    ['banned (community pact)', '该账号因被投诉违反《微博社区公约》的相关规定，现已无法查看。'],
    ['closed by the user', '该账号因用户自行申请关闭，现已无法查看。'],
    ['frozen: abnormal behaviour', '该账号行为异常，存在安全风险，用户验证之前暂时不能查看。'],
    ['frozen: risky content', '该账号内容存在风险，用户验证之前暂时不能查看。'],
    ['user does not exist', '用户不存在'],
    ["the author's account locked", '该账号已被锁定'],
  ])('%s → account_gone', (_name, msg) => {
    expect(classifyMessage(msg)).toBe('account_gone');
  });
  // The reader's own account, or one the message does not name (the old open API's 20034 "User is
  // locked" is the requesting user's): the session cannot see, which says nothing of the post.
  test.each([
    ['帐号处于锁定状态'],
    ['您的帐号处于锁定状态，请解锁后再试'],
    ['你的账号已被锁定，请前往解锁'],
    ['當前帳號已被封禁，無法查看'],
    ['你的账号行为异常，暂时无法访问'],
    ['账号已被封禁'],
  ])("%s, of the reader's account → login_required, never final", (msg) => {
    expect(classifyMessage(msg)).toBe('login_required');
    expect(classifyMessage(msg, 20003)).toBe('login_required');
  });
  test('请登录后再搜索 → login_required', () => {
    expect(classifyMessage('请登录后再搜索')).toBe('login_required');
  });
  test('old API 20003 (用户不存在) by code alone → account_gone', () => {
    expect(classifyMessage(null, 20003)).toBe('account_gone');
  });
  test('这里还没有内容 is not a cause (it is an empty listing)', () => {
    expect(classifyMessage('这里还没有内容')).toBeNull();
  });
});

describe('research §3.3: error codes', () => {
  test.each([
    ['m.weibo.cn 20101', '20101', 'gone_unspecified'],
    ['m.weibo.cn 100005', '100005', 'rate_limited'],
    ['m.weibo.cn 100001 服务器走丢了', '100001', 'server_error'],
    ['m.weibo.cn -100', '-100', 'login_required'],
    ['old API 20112 permission denied', '20112', 'restricted'],
    ['old API 20132 content unavailable', '20132', 'gone_unspecified'],
    ['old API 20135 source deleted', '20135', 'gone_unspecified'],
    ['old API 20003 user does not exist', '20003', 'account_gone'],
  ])('%s (errno %s, no message) → %s', (_name, code, expected) => {
    expect(classifyMessage(undefined, code)).toBe(expected);
    expect(classifyMessage('', Number(code))).toBe(expected);
  });
  test.each([
    ['20101 with its text', { ok: 0, errno: '20101', msg: '微博不存在或暂无查看权限!' }, 'gone_unspecified'],
    ['100001 with its text', { ok: 0, errno: '100001', msg: '服务器走丢了' }, 'server_error'],
    [
      '20130 comment privacy text (who may comment, not who may see)',
      { ok: 0, errno: '20130', msg: '由于作者隐私设置，你没有权限评论此微博' },
      'unparseable',
    ],
    ['token check failure', { ok: 0, msg: 'token校验失败' }, 'login_required'],
    [
      'weibo.com/ajax form: message + error_code number',
      { ok: 0, message: '该微博不存在', error_code: 20101 },
      'gone_unspecified',
    ],
    [
      'third-party form: msg + errno string',
      { ok: 0, errno: '20101', msg: '该微博不存在' },
      'gone_unspecified',
    ],
    [
      'unknown code 20205 (blacklist, comments) stays unparseable',
      { ok: 0, errno: '20205', msg: '在黑名单中，无法进行评论' },
      'unparseable',
    ],
    ['100010 no content stays unparseable', { ok: 0, errno: '100010', msg: '' }, 'unparseable'],
  ])('%s → %s', (_name, body, expected) => {
    expect(outcomeOf(classifyJsonResponse(response(body)))).toBe(expected);
  });
});

describe('research §3.4: error bodies quoted in issues (error_bodies_quoted_in_issues.json)', () => {
  type Case = { case: string; http_status: number | null; body: Record<string, unknown>; request: string };
  const cases = sampleJson<{ cases: Case[] }>('error_bodies_quoted_in_issues.json').cases;
  const expected: Record<string, string> = {
    'm.weibo.cn risk-control captcha (scene=limit)': 'captcha',
    'm.weibo.cn geetest challenge': 'captcha',
    'weibo.com ajax needs login/visitor cookie': 'login_required',
    'm.weibo.cn rate limit': 'rate_limited',
    'm.weibo.cn empty container (no content / needs cookie / account gone)': 'unparseable',
  };
  test('every case in the file has an expectation here', () => {
    expect(cases.map((c) => c.case).sort()).toEqual(Object.keys(expected).sort());
  });
  test.each(cases.map((c) => [c.case, c] as const))('%s', (name, c) => {
    const res = response(c.body, {
      status: c.http_status ?? 200,
      url: c.request.replace(/^GET /, '').split(' ')[0],
    });
    const got = classifyJsonResponse(res);
    expect(outcomeOf(got)).toBe(expected[name]);
    // The platform's words or the wall's URL are kept as the message.
    if (got.kind === 'outcome' && name.includes('rate limit')) expect(got.message).toContain('请求过于频繁');
    if (got.kind === 'outcome' && name.includes('captcha'))
      expect(got.message).toContain('m.weibo.cn/captcha');
  });
  test('the 100005 body with a full-width comma (Tlaster/WeiPo#148) → rate_limited', () => {
    expect(
      outcomeOf(
        classifyJsonResponse(
          response({ ok: 0, errno: '100005', msg: '请求过于频繁，歇歇吧' }, { status: 403 }),
        ),
      ),
    ).toBe('rate_limited');
  });
  test('403 with only the message (no errno) → rate_limited', () => {
    expect(
      outcomeOf(classifyJsonResponse(response({ ok: 0, msg: '请求过于频繁,歇歇吧' }, { status: 403 }))),
    ).toBe('rate_limited');
  });
});

describe('research §3.4: HTTP statuses and redirects', () => {
  test.each([
    ['418 (Weibo 429 equivalent)', 418, 'rate_limited'],
    ['432 No Reason Phrase (2025 block)', 432, 'rate_limited'],
    ['429', 429, 'rate_limited'],
    ['500', 500, 'server_error'],
    ['502', 502, 'server_error'],
    ['503', 503, 'server_error'],
    ['404', 404, 'gone_unspecified'],
    ['410', 410, 'gone_unspecified'],
  ])('HTTP %s → %s', (_name, status, expected) => {
    expect(outcomeOf(classifyJsonResponse(response('', { status })))).toBe(expected);
  });

  test('418 wins even over a body that looks like data', () => {
    expect(outcomeOf(classifyJsonResponse(response({ ok: 1, data: {} }, { status: 418 })))).toBe(
      'rate_limited',
    );
  });

  test('redirect to passport.weibo.com/visitor → login_required naming visitor cookies', () => {
    const c = classifyJsonResponse(
      response('<html><title>Sina Visitor System</title></html>', {
        redirects: [
          'https://passport.weibo.com/visitor/visitor?entry=miniblog&a=enter&url=https%3A%2F%2Fm.weibo.cn%2F',
        ],
        finalUrl:
          'https://passport.weibo.com/visitor/visitor?entry=miniblog&a=enter&url=https%3A%2F%2Fm.weibo.cn%2F',
      }),
    );
    expect(c).toMatchObject({ kind: 'outcome', outcome: 'login_required' });
    if (c.kind === 'outcome') expect(c.message).toMatch(/visitor cookies/);
  });
  test('redirect to visitor.passport.weibo.cn (m.weibo.cn visitor flow) → login_required', () => {
    const c = classifyJsonResponse(
      response('', {
        redirects: ['https://visitor.passport.weibo.cn/visitor/visitor?entry=sinawap'],
        finalUrl: 'https://visitor.passport.weibo.cn/visitor/visitor?entry=sinawap',
      }),
    );
    expect(c).toMatchObject({ outcome: 'login_required' });
    if (c.kind === 'outcome') expect(c.message).toMatch(/visitor cookies/);
  });
  test('an unfollowed 302 whose Location is the visitor system → login_required', () => {
    const c = classifyJsonResponse(
      response('', {
        status: 302,
        headers: { location: 'https://passport.weibo.com/visitor/visitor?a=enter' },
      }),
    );
    expect(c).toMatchObject({ outcome: 'login_required' });
  });
  test.each([
    ['login.sina.com.cn', 'https://login.sina.com.cn/sso/login.php?url=x'],
    [
      'passport.weibo.cn/signin',
      'https://passport.weibo.cn/signin/login?entry=mweibo&r=https%3A%2F%2Fm.weibo.cn%2F',
    ],
  ])('redirect to %s → login_required', (_name, url) => {
    const c = classifyJsonResponse(response('<html>login</html>', { redirects: [url], finalUrl: url }));
    expect(c).toMatchObject({ outcome: 'login_required' });
    if (c.kind === 'outcome') expect(c.message).toMatch(/login/);
  });
  test('an unfollowed 302 to an ordinary page → unparseable, naming the Location', () => {
    const c = classifyJsonResponse(
      response('', { status: 302, headers: { location: 'https://m.weibo.cn/' } }),
    );
    expect(c).toMatchObject({ outcome: 'unparseable' });
    if (c.kind === 'outcome') expect(c.message).toContain('https://m.weibo.cn/');
  });
  test('ok:-100 without a url → login_required (cookies expired)', () => {
    expect(outcomeOf(classifyJsonResponse(response({ ok: -100, msg: '' })))).toBe('login_required');
  });
});

describe('HTML where JSON was expected', () => {
  test('微博不存在或暂无查看权限! page (title 微博-出错了) → gone_unspecified', () => {
    const html =
      '<html><head><title>微博-出错了</title></head><body><div class="h5-4box"><p class="h5-4con">微博不存在或暂无查看权限!</p></div></body></html>';
    expect(outcomeOf(classifyJsonResponse(response(html)))).toBe('gone_unspecified');
  });
  test('你的行为有些异常 → captcha', () => {
    expect(
      outcomeOf(
        classifyJsonResponse(response('<html><body><p>你的行为有些异常，请输入验证码</p></body></html>')),
      ),
    ).toBe('captcha');
  });
  test('Sina Visitor System page served without a redirect → login_required', () => {
    expect(
      outcomeOf(
        classifyJsonResponse(response('<html><head><title>Sina Visitor System</title></head></html>')),
      ),
    ).toBe('login_required');
  });
  test('出错了，未知错误 (MediaCrawler #914) → unparseable', () => {
    const c = classifyJsonResponse(
      response(
        '<html><title>微博-出错了</title><div class="h5-4box"><p class="h5-4con">出错了，未知错误</p></div></html>',
      ),
    );
    expect(c).toMatchObject({ outcome: 'unparseable' });
    if (c.kind === 'outcome') expect(c.message).toContain('出错了');
  });
  test.each([
    ['an error box with a deletion notice', '<p class="h5-4con">抱歉，此微博已被作者删除。</p>'],
    ['an error box with a privacy notice', '<p class="h5-4con">由于作者隐私设置，你没有权限查看此微博</p>'],
    ['a random page', '<html><body>hello</body></html>'],
    ['a truncated JSON body', '{"ok":1,"data":{"text":"cut'],
    ['an empty body', ''],
  ])('%s is never a final cause', (_name, body) => {
    const c = classifyJsonResponse(response(body));
    expect(c.kind).toBe('outcome');
    if (c.kind === 'outcome') {
      expect(isFinalOutcome(c.outcome)).toBe(false);
      expect(isTransientOutcome(c.outcome)).toBe(true);
    }
  });
  test('on the detail page (HTML expected) the error box is the platform speaking', () => {
    expect(
      classifyHtmlPage('<p class="h5-4con">由于作者隐私设置，你没有权限查看此微博</p>', 'html').outcome,
    ).toBe('restricted');
  });
});

describe('robust matching', () => {
  test.each([
    ['msg', { ok: 0, msg: '抱歉，此微博已被作者删除。' }],
    ['message', { ok: 0, message: '抱歉，此微博已被作者删除。' }],
    ['half-width punctuation', { ok: 0, msg: '抱歉,此微博已被作者删除.' }],
    ['no punctuation at all', { ok: 0, msg: '抱歉此微博已被作者删除' }],
    [
      'trailing help link as HTML',
      { ok: 0, msg: '抱歉，此微博已被作者删除。查看帮助：<a href="http://t.cn/Rfd3rQV">网页链接</a>' },
    ],
    ['ok as a string', { ok: '0', msg: '抱歉，此微博已被作者删除。' }],
  ])('%s → deleted_by_author', (_name, body) => {
    expect(outcomeOf(classifyJsonResponse(response(body)))).toBe('deleted_by_author');
  });
  test.each([
    ['errno string', { ok: 0, errno: '20112' }],
    ['errno number', { ok: 0, errno: 20112 }],
    ['error_code string', { ok: 0, error_code: '20112' }],
    ['error_code number', { ok: 0, error_code: 20112 }],
  ])('%s 20112 → restricted', (_name, body) => {
    expect(outcomeOf(classifyJsonResponse(response(body)))).toBe('restricted');
  });
  test('the specific message wins over a generic code: errno 20101 + 已被作者删除 → deleted_by_author', () => {
    expect(
      outcomeOf(classifyJsonResponse(response({ ok: 0, errno: '20101', msg: '抱歉，此微博已被作者删除。' }))),
    ).toBe('deleted_by_author');
  });
  test('the specific message wins over a generic status: HTTP 404 + 因被多人投诉 → removed_by_platform', () => {
    expect(
      outcomeOf(
        classifyJsonResponse(
          response({ ok: 0, msg: '该微博因被多人投诉，根据《微博社区公约》，已被删除。' }, { status: 404 }),
        ),
      ),
    ).toBe('removed_by_platform');
  });
  test('微博不存在或暂无查看权限 is never removed_by_platform, with or without errno', () => {
    expect(classifyMessage('微博不存在或暂无查看权限！')).toBe('gone_unspecified');
    expect(classifyMessage('微博不存在或暂无查看权限!', '20101')).toBe('gone_unspecified');
    expect(classifyMessage('微博不存在或暂无查看权限', 20112)).toBe('gone_unspecified');
  });
  test('an unknown ok:0 message → unparseable, message and body kept', () => {
    const c = classifyJsonResponse(response({ ok: 0, msg: '一个新的错误' }));
    expect(c).toMatchObject({
      kind: 'outcome',
      outcome: 'unparseable',
      value: { ok: 0, msg: '一个新的错误' },
    });
    if (c.kind === 'outcome') expect(c.message).toContain('一个新的错误');
  });
  test('ok:1 on 200 is data', () => {
    expect(classifyJsonResponse(response({ ok: 1, data: { x: 1 } }))).toEqual({
      kind: 'json',
      value: { ok: 1, data: { x: 1 } },
    });
  });
  test('a body with a BOM still parses', () => {
    expect(outcomeOf(classifyJsonResponse(response(Buffer.from('\uFEFF{"ok":1,"data":{}}', 'utf8'))))).toBe(
      'json',
    );
  });
});

describe('a deletion said of a comment, a reply, a picture or a video, its cause in between', () => {
  test.each([
    ['该评论已被作者删除', 20101],
    ['此评论已被博主删除', null],
    ['该回复已被作者删除', null],
    ['该评论因违反社区公约已被删除', 20101],
    ['该评论已被多人投诉，已被删除', null],
    ['该图片已被作者删除', null],
    ['视频已被作者删除', null],
  ])('%s states nothing about the post (code %s)', (msg, errno) => {
    expect(classifyMessage(msg, errno)).toBeNull();
  });
  test("the post's own deletion naming its comments is still the post's", () => {
    expect(classifyMessage('该微博已被作者删除，评论不可见')).toBe('deleted_by_author');
  });
});

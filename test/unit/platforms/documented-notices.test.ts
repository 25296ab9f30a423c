/**
 * Every notice and error code research/weibo.md documents (§3.1–3.3), matched by meaning: as
 * written, in traditional characters, with its code as a string or a number, through `msg` or
 * `message`, `errno` or `error_code`, and behind a trailing help link, each to its documented cause.
 * Texts about commenting, posting or marketing review state no absence and match nothing.
 */
import { classifyJsonResponse, classifyMessage } from '../../../src/platforms/weibo/classify';
import { toTraditional as trad } from './traditional';

type Case = readonly [text: string, errno: string | null, cause: string | null];

const DOCUMENTED: readonly Case[] = [
  // §3.1 post-level placeholders and messages
  ['抱歉，此微博已被作者删除。查看帮助：http://t.cn/Rfd3rQV', null, 'deleted_by_author'],
  ['此微博已被原作者刪除', null, 'deleted_by_author'],
  ['该微博因被多人投诉，根据《微博社区公约》，已被删除。', null, 'removed_by_platform'],
  [
    '该微博因被多人举报，根据《微博社区管理规定》，已被删除。查看帮助：http://t.cn/Rfd14WY',
    null,
    'removed_by_platform',
  ],
  ['…已被管理员加密。此微博不适宜对外公开。', null, 'removed_by_platform'],
  ['抱歉，此微博已被删除。', null, 'gone_unspecified'],
  ['抱歉，由于作者设置，你暂时没有这条微博的查看权限哦。查看帮助：http://t.cn/RfdBWwP', null, 'restricted'],
  ['抱歉，作者已设置仅展示半年内微博，此微博已不可见。', null, 'restricted'],
  ['由于作者隐私设置，你没有权限查看此微博', null, 'restricted'],
  ['由于博主设置，目前内容暂不可见。', null, 'restricted'],
  ['根据博主设置，此内容无法访问', null, 'restricted'],
  ['微博不存在或暂无查看权限!', '20101', 'gone_unspecified'],
  // §3.2 account-level messages
  ['该账号因被投诉违反法律法规和《微博社区公约》的相关规定，现已无法查看。', null, 'account_gone'],
  ['该账号因被投诉违反《微博社区公约》的相关规定，现已无法查看。', null, 'account_gone'],
  ['该账号因用户自行申请关闭，现已无法查看。', null, 'account_gone'],
  ['该账号行为异常，存在安全风险，用户验证之前暂时不能查看。', null, 'account_gone'],
  ['该账号内容存在风险，用户验证之前暂时不能查看。', null, 'account_gone'],
  ['用户不存在', '20003', 'account_gone'],
  // Listed in third-party code as "account locked", naming no one: the reader's (the old open API's
  // 20034 "User is locked" is the requesting user's) as likely as the author's, so never final.
  ['帐号处于锁定状态', null, 'login_required'],
  // §3.3 codes
  ['不存在的微博', '20101', 'gone_unspecified'],
  ['', '20101', 'gone_unspecified'],
  ['由于作者隐私设置，你没有权限查看此微博', '20112', 'restricted'],
  ['', '20112', 'restricted'],
  ['抱歉，该内容暂时无法查看。如需帮助，请联系客服', '20132', 'gone_unspecified'],
  ['源微博已被删除', '20135', 'gone_unspecified'],
  ['由于作者设置了可见性，你没有权限转发此微博', '20120', 'restricted'],
  ['请求过于频繁,歇歇吧', '100005', 'rate_limited'],
  ['请求过于频繁，歇歇吧', '100005', 'rate_limited'],
  ['服务器走丢了', '100001', 'server_error'],
  ['token校验失败', null, 'login_required'],
  // Documented texts that state no absence
  ['由于作者隐私设置，你没有权限评论此微博', '20130', null],
  ['', '20130', null],
  ['在黑名单中，无法进行评论', '20205', null],
  ['抱歉，根据相关法律法规的要求，此内容无法发布。', null, null],
  ['该微博包含营销推广内容且未备案', null, null],
  ['博文涉及营销推广正在审核中，暂时无法传播', null, null],
  ['出错了，未知错误', null, null],
  ['打开微博客户端，查看全文', null, null],
  ['这里还没有内容', null, null],
];

describe('research/weibo.md §3: each documented notice and code, by meaning', () => {
  test.each(DOCUMENTED)('%s (errno %s) → %s', (text, errno, cause) => {
    expect(classifyMessage(text, errno)).toBe(cause);
    expect(classifyMessage(trad(text), errno)).toBe(cause);
    if (errno !== null) expect(classifyMessage(text, Number(errno))).toBe(cause);
    if (text !== '') expect(classifyMessage(`${text}查看帮助：http://t.cn/RfdHELP`, errno)).toBe(cause);
  });

  test.each(DOCUMENTED.filter(([, , cause]) => cause !== null && cause !== 'rate_limited'))(
    'the envelope forms say the same: %s (errno %s)',
    (text, errno, cause) => {
      const forms: Record<string, unknown>[] = [
        { ok: 0, msg: text, ...(errno ? { errno } : {}) },
        { ok: 0, message: text, ...(errno ? { error_code: Number(errno) } : {}) },
      ];
      for (const body of forms) {
        const c = classifyJsonResponse({
          ok: true,
          url: 'https://m.weibo.cn/statuses/show?id=1',
          finalUrl: 'https://m.weibo.cn/statuses/show?id=1',
          redirects: [],
          status: 200,
          headers: { 'content-type': 'application/json' },
          setCookies: [],
          body: Buffer.from(JSON.stringify(body), 'utf8'),
        });
        expect(c.kind === 'outcome' ? c.outcome : 'json').toBe(cause);
      }
    },
  );
});

/**
 * What a NetEase page says about itself when it carries no article: the notices that state an
 * absence (the only wording that may make a target gone), blocking and challenge wording, and the
 * pages that say nothing about absence (maintenance, script-only challenges), which stay
 * `unparseable` whatever their size.
 */
import type { Outcome } from '../../domain/glossary';

/** A statement a page makes, with the words it used. */
export interface Stated {
  readonly outcome: Exclude<Outcome, 'alive'>;
  readonly message: string;
}

/** An app-only or members-only wall: 仅在网易新闻客户端可见, 仅限APP内可见, 仅会员可见, 付费后可见. */
const APP_OR_PAID =
  /仅(?:在|限)?[^。！!，,]{0,10}(?:客户端|app|会员|vip|付费|订阅|购买)[^。！!，,]{0,6}(?:可见|可看|查看|阅读)|(?:付费|购买|订阅|开通会员)后(?:可见|可看|查看|阅读)/i;

/**
 * Wording checked in order, first match wins. Blocking comes first: a challenge page that also
 * says 页面不存在 somewhere is still a challenge. Only the last four rules state an absence; the
 * generic forms are research §4.5's (该文章已删除, 页面不存在, 404 Not Found, 文章不存在). Each names
 * its subject (文章, 页面, 内容…): a bare 已被删除 is said of anything (a comment, someone's post).
 */
const PAGE_WORDING: readonly { readonly re: RegExp; readonly outcome: Exclude<Outcome, 'alive'> }[] = [
  { re: /验证码|安全验证|人机验证|滑块验证|captcha|geetest/i, outcome: 'captcha' },
  { re: /访问(?:过于)?频繁|请求(?:过于)?频繁|too many requests/i, outcome: 'rate_limited' },
  { re: /作者(?:本人)?(?:已|已经)?(?:自行)?删除|已被作者删除/, outcome: 'deleted_by_author' },
  {
    re: /(?:违反|违规|相关法律法规|相关规定|不良信息|被举报|已被屏蔽)[^。！!]{0,30}(?:删除|屏蔽|下线|无法查看|不予显示)|(?:删除|屏蔽|下线)[^。！!]{0,12}(?:违反|违规|相关法律法规|相关规定)/,
    outcome: 'removed_by_platform',
  },
  // Shown only in the app or to paying members (该内容仅在网易新闻客户端可见, 仅VIP可见): the article is
  // there for those readers, so the page is a wall, not a restriction by its author.
  { re: APP_OR_PAID, outcome: 'unparseable' },
  {
    re: /仅(?![^。！!，,]{0,12}(?:客户端|app|会员|vip|付费|订阅|购买))[^。！!]{0,12}可见|作者设置/i,
    outcome: 'restricted',
  },
  {
    re: /(?:文章|内容|页面|新闻|网页|稿件|资讯)(?:已经?被?删除|已下线|不存在)|404 Not Found|页面没有找到|找不到(?:该|此|您)(?:要访问的)?(?:页面|文章|内容)|(?:文章|内容)(?:正在)?审核中/i,
    outcome: 'gone_unspecified',
  },
];

/** Above this much plain (non-link) text a page is content, not a notice, and its wording proves nothing (an article may quote 已被删除). */
export const NOTICE_MAX_CHARS = 500;

/** Besides the sentence that states it, a notice page says little more than this many characters. */
export const NOTICE_REST_MAX_CHARS = 150;

/**
 * What may open the clause a notice states absence in, before the matched words: a status line
 * (404), a courtesy (抱歉), the page's own subject (该文章, 您访问的页面) and a because (因, 由于).
 * Anything else makes the words someone's report about something else (相关帖文已被删除, 平台称该博主
 * 因违规…), which is an article's text, not a notice about this page.
 */
const OPENER = new RegExp(
  '^(?:404|错误|出错了|出错啦|提示|温馨提示|error|oops|sorry)?' +
    '(?:(?:很|非常|十分)?抱歉|对不起)?' +
    '(?:该|此|本|当前|这篇|这条|这个|(?:您|你)(?:所|要|正在)?(?:访问|查看|浏览|打开|请求|寻找|找)的)?' +
    '(?:文章|内容|页面|新闻|网页|稿件|资讯|链接|网址|作品)?' +
    '(?:因为|由于|因)?(?:涉嫌)?' +
    '(?:已经被|已被|已经|已|被)?$',
  'i',
);

/** True when the text before a match, within its sentence, is only what a notice opens with. */
function opensNotice(before: string): boolean {
  return OPENER.test(before.replace(/[\s\p{P}\p{S}]/gu, ''));
}

/**
 * What may follow the matched words before their clause ends: nothing but more absence wording
 * (页面不存在或已被删除), a particle (了, 啦) or the site's name. Anything else makes the words part of
 * a sentence about something else (该文章已被删除的消息引发热议, 内容不存在违规).
 */
const CLOSER = new RegExp(
  '^(?:(?:或者?|或是|且|并且)?(?:已经?被?(?:作者)?(?:删除|移除|下线|屏蔽)|已?过期|已?失效|已?更改|已?调整|链接错误|地址错误|网址错误|网址有误))*' +
    '(?:了|啦|哦|喔|呢|啊|呀)?(?:网易(?:新闻|号)?|163(?:com)?)?$',
  'i',
);

/** Where a clause ends: its sentence's end or a comma, semicolon or colon. */
const CLAUSE_END = /[，,、；;：:。！!？?\n]/;

/** True when the clause after a match says nothing more (see {@link CLOSER}) and does not end as a question. */
function closesNotice(text: string, from: number): boolean {
  const rest = text.slice(from);
  const end = CLAUSE_END.exec(rest);
  const clause = end ? rest.slice(0, end.index) : rest;
  if (end && (end[0] === '？' || end[0] === '?')) return false;
  return CLOSER.test(clause.replace(/[\s\p{P}\p{S}]/gu, ''));
}

/** Quotation marks: words inside them are quoted, not stated by the page. */
const QUOTED = /[“「『"][^”」』"]*$/;

/**
 * The statement a short page's visible, non-link text makes, or null. Link texts are headlines and
 * navigation, never a notice about this page, so the caller leaves them out. The statement must be
 * what the page is about: not inside quotation marks, and with little other text around it, so an
 * article (in a template the parser does not know) that quotes 该文章已被删除 is not a notice.
 */
export function statedByWording(visibleText: string): Stated | null {
  if (visibleText.length > NOTICE_MAX_CHARS) return null;
  for (const w of PAGE_WORDING) {
    const m = w.re.exec(visibleText);
    if (!m) continue;
    if (QUOTED.test(visibleText.slice(0, m.index))) return null;
    const start = Math.max(
      ...['。', '！', '!', '？', '?', '\n'].map((p) => visibleText.lastIndexOf(p, m.index)),
    );
    const ends = ['。', '！', '!', '？', '?', '\n']
      .map((p) => visibleText.indexOf(p, m.index + m[0].length))
      .filter((i) => i >= 0);
    const end = ends.length > 0 ? Math.min(...ends) + 1 : visibleText.length;
    const sentence = visibleText.slice(start + 1, end).trim();
    const rest = visibleText.length - sentence.length;
    const blocking = w.outcome === 'captcha' || w.outcome === 'rate_limited';
    if (!blocking && rest > NOTICE_REST_MAX_CHARS) return null;
    if (!blocking && !opensNotice(visibleText.slice(start + 1, m.index))) continue;
    if (!blocking && !closesNotice(visibleText, m.index + m[0].length)) continue;
    return {
      outcome: w.outcome,
      message: w.outcome === 'unparseable' ? `app-only or members-only page: ${sentence}` : sentence,
    };
  }
  return null;
}

/** Maintenance wording: a page that says the site is down says nothing about the article. */
const MAINTENANCE = /系统维护|维护中|系统升级|升级维护|暂停服务|服务暂不可用|under maintenance/i;

/** The maintenance notice on a page, or null. */
export function maintenanceNotice(visibleText: string): string | null {
  if (visibleText.length > NOTICE_MAX_CHARS) return null;
  const m = MAINTENANCE.exec(visibleText);
  return m ? visibleText.slice(Math.max(0, m.index - 20), m.index + m[0].length + 40).trim() : null;
}

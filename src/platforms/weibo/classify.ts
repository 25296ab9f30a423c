import { decodeHTML } from 'entities';
import iconv from 'iconv-lite';
import { isFinalOutcome, type Outcome } from '../../domain/glossary';
import type { HttpResponse } from '../../http/types';
import { visitedUrls } from '../../http/response';
import { readsAsUtf8 } from '../utf8';
import { isJsonObject, type JsonObject } from './normalize';
import { shownText } from './visible';

/** Every outcome except `alive`: what an unavailable, blocked or odd answer means. */
export type UnavailableOutcome = Exclude<Outcome, 'alive'>;

/** A response classified as not carrying usable data. */
export interface Unavailable {
  readonly kind: 'outcome';
  readonly outcome: UnavailableOutcome;
  /** The platform's own words where it gave any, else the reason (e.g. `HTTP 418`). */
  readonly message: string;
  /** The decoded JSON body, when there was one, so callers can look further (e.g. `ok:0` with empty cards). */
  readonly value?: JsonObject;
}

/** A JSON endpoint's answer: the decoded envelope, or why there is none. */
export type JsonClassification = { readonly kind: 'json'; readonly value: JsonObject } | Unavailable;

// Traditional and variant forms (帐 for 账) of the characters the rules look for, seen in older and HK/TW front ends.
const TRADITIONAL: Readonly<Record<string, string>> = {
  刪: '删',
  當: '当',
  該: '该',
  帳: '账',
  帐: '账',
  號: '号',
  無: '无',
  權: '权',
  設: '设',
  僅: '仅',
  顯: '显',
  隱: '隐',
  舉: '举',
  報: '报',
  訴: '诉',
  規: '规',
  則: '则',
  過: '过',
  於: '于',
  頻: '频',
  為: '为',
  異: '异',
  鎖: '锁',
  態: '态',
  閉: '闭',
  請: '请',
  戶: '户',
  關: '关',
  據: '据',
  護: '护',
  險: '险',
  證: '证',
  內: '内',
  業: '业',
  錯: '错',
  誤: '误',
  後: '后',
  見: '见',
  對: '对',
  開: '开',
  適: '适',
  違: '违',
  現: '现',
  暫: '暂',
  這: '这',
  裡: '里',
  沒: '没',
  條: '条',
  驗: '验',
  風: '风',
  時: '时',
  經: '经',
  發: '发',
  與: '与',
  區: '区',
  約: '约',
  訪: '访',
  審: '审',
  傳: '传',
  備: '备',
  營: '营',
  銷: '销',
  員: '员',
  評: '评',
  論: '论',
  轉: '转',
  務: '务',
  維: '维',
  錄: '录',
  問: '问',
  碼: '码',
  敗: '败',
  處: '处',
  丟: '丢',
  統: '统',
  註: '注',
  絲: '丝',
  復: '复',
  覆: '复',
  圖: '图',
  視: '视',
  話: '话',
  題: '题',
  專: '专',
  欄: '栏',
  進: '进',
  許: '许',
  結: '结',
  廣: '广',
  凍: '冻',
  賬: '账',
  級: '级',
  頁: '页',
  網: '网',
  絡: '络',
  試: '试',
  啟: '启',
  啓: '启',
  閱: '阅',
  讀: '读',
  佈: '布',
  實: '实',
  係: '系',
  繫: '系',
  纔: '才',
  獲: '获',
  嚴: '严',
  範: '范',
  聯: '联',
};

/**
 * Text folded for matching: NFKC (full-width ASCII punctuation becomes half-width), traditional
 * characters mapped, and all whitespace, punctuation and symbols removed.
 */
export function foldText(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u4e00-\u9fff]/g, (ch) => TRADITIONAL[ch] ?? ch)
    .replace(/[\s\p{P}\p{S}\u200b]/gu, '');
}

/**
 * A message reduced to what the rules match on: help links cut off, NFKC-folded (full-width ASCII
 * punctuation becomes half-width), traditional characters mapped, and all whitespace, punctuation
 * and symbols removed, so `请求过于频繁,歇歇吧` and `请求过于频繁，歇歇吧` compare equal.
 */
export function messageKey(message: string): string {
  // A notice sent HTML-escaped (&#x8BE5;&#x5FAE;&#x535A;…) says what it says once decoded.
  const text = message.includes('&') ? decodeHTML(message) : message;
  return foldText(text.replace(/查看帮助[\s\S]*$/, '').replace(/https?:\/\/\S+/g, ''));
}

type Rule = readonly [UnavailableOutcome, RegExp];

/**
 * Message rules, first match wins. Throttling and walls come first (they say nothing about the
 * post); account-level texts before post-level ones, because the account bans also cite the
 * 社区公约; the generic "deleted" / "not found" texts last, so a specific cause always wins.
 */
const MESSAGE_RULES: readonly Rule[] = [
  ['rate_limited', /请求过于频繁|访问过于频繁|操作过于频繁|歇歇吧|outofratelimit/i],
  ['captcha', /行为有些异常|验证码|请完成验证|geetest/i],
  [
    'login_required',
    /SinaVisitorSystem|请先登录|请登录后|登录后查看|登录后才能|需要登录|未登录|token校验失败/i,
  ],
  // The reader's own account locked, banned or flagged (你的账号已被锁定, 当前账号已被封禁, a bare
  // 帐号处于锁定状态, the old open API's "User is locked"): the session cannot see, whatever the
  // post's state. Before the author's account texts, which name their subject 该账号.
  ['login_required', /(?:你|您|当前|我)的?账号|^账号(?:处于锁定|已被锁定|已被封|行为异常)/],
  ['server_error', /服务器走丢了|系统繁忙|服务器错误|服务暂时不可用/],
  [
    'account_gone',
    /该账号因被投诉|账号因被投诉|用户自行申请关闭|账号行为异常|账号内容存在风险|用户不存在|userdoesnotexist|账号处于锁定|账号已被锁定|账号已注销|账号已被封|该账号.{0,40}(无法查看|不能查看)/i,
  ],
  [
    'removed_by_platform',
    /被多人(投诉|举报)|社区(公约|管理规定).{0,20}删除|管理员加密|不适宜对外公开|相关法律法规.{0,20}删除/,
  ],
  ['deleted_by_author', /作者删除|博主删除|已被原作者删除/],
  [
    'restricted',
    /由于作者设置|作者已设置|仅展示半年内|半年内微博|隐私设置|由于博主设置|根据博主设置|博主设置|没有这条微博的查看权限|设置了可见性|仅自己可见|仅好友可见|仅粉丝可见/,
  ],
  [
    'gone_unspecified',
    /微博不存在或暂无查看权限|该微博不存在|不存在的微博|微博不存在|targetweibodoesnotexist|此微博已被删除|该微博已被删除|源微博已被删除|已被删除|内容暂时无法查看|暂无查看权限/i,
  ],
];

/**
 * A deletion or a hiding said of something other than a post (a comment, a reply, a picture, a
 * private message): 该评论已被删除 or 该评论仅自己可见 on the post's or the thread's endpoint says
 * nothing about the post, nor do 该评论已被作者删除 or 该评论因违反社区公约已被删除 with their cause
 * between subject and verb.
 */
const OTHER_SUBJECT =
  /(?:评论|回复|图片|照片|视频|附件|私信|留言|话题|超话|专栏|文章).{0,24}(?:删除|可见|无法查看|不能查看)/;

/**
 * A refusal to let the reader comment (在黑名单中，无法进行评论; 由于作者隐私设置，你没有权限评论此微博,
 * errno 20130), or comments switched off or limited by the author (由于博主设置，该微博评论已关闭;
 * 由于博主设置，仅粉丝可评论): it says who may comment, not whether the post can be seen.
 */
const COMMENT_PERMISSION =
  /(?:没有|无)权限评论|无法(?:进行)?评论|不能评论|不允许评论|可评论|评论(?:区|功能)?(?:已经?|已被|被)?(?:关闭|关掉)|关闭(?:了)?评论/;

/**
 * Reposting switched off by the author (由于博主设置，该微博不支持转发; research §5, CDT: "repost
 * button removed"): the post is still shown. A refusal that names visibility (errno 20120's
 * 由于作者设置了可见性，你没有权限转发此微博) does speak of who may see it, and is not this.
 */
const REPOST_PERMISSION = /(?:不支持|不允许|禁止|无法|不能|暂不支持)转发/;

function aboutSomethingElse(key: string): boolean {
  return (
    (OTHER_SUBJECT.test(key) && !/微博|博文/.test(key)) ||
    COMMENT_PERMISSION.test(key) ||
    (REPOST_PERMISSION.test(key) && !/可见/.test(key))
  );
}

/**
 * Codes from m.weibo.cn `errno` and the old open API `error_code` whose meaning is known (research
 * §3.3). 20130 (no permission to comment) and 20205 (blacklisted from commenting) are left out:
 * they are about who may comment, not about whether anything can be seen.
 */
const ERRNO_RULES: Readonly<Record<string, UnavailableOutcome>> = {
  '20101': 'gone_unspecified',
  '20132': 'gone_unspecified',
  '20135': 'gone_unspecified',
  '20112': 'restricted',
  '20120': 'restricted',
  '20003': 'account_gone',
  '100005': 'rate_limited',
  '10022': 'rate_limited',
  '10023': 'rate_limited',
  '10024': 'rate_limited',
  '100001': 'server_error',
  '-100': 'login_required',
};

/**
 * What a platform message (and optional error code) says about a post.
 *
 * Matches meaning, not exact text: full- or half-width punctuation, trailing 查看帮助 links and
 * traditional characters are all accepted. A recognized message wins over the code, so
 * `errno 20101` with 已被作者删除 is `deleted_by_author`. A message whose deletion is said of a
 * comment, a reply or a picture (该评论已被删除) states nothing final about the post, with any code.
 *
 * @returns the outcome, or null when neither the message nor the code is recognized
 */
export function classifyMessage(
  message: string | null | undefined,
  errno?: string | number | null,
): UnavailableOutcome | null {
  const key = message ? messageKey(message) : '';
  // A message about a comment or a picture makes neither it nor the code a statement about the post.
  const elsewhere = aboutSomethingElse(key);
  if (key !== '') {
    for (const [outcome, re] of MESSAGE_RULES) {
      if (!re.test(key)) continue;
      return elsewhere && isFinalOutcome(outcome) ? null : outcome;
    }
  }
  if (errno != null) {
    const byCode = ERRNO_RULES[String(errno).trim()] ?? null;
    return elsewhere && byCode !== null && isFinalOutcome(byCode) ? null : byCode;
  }
  return null;
}

/** The message of an error envelope: `msg` (m.weibo.cn) or `message` (weibo.com/ajax), else `error`. */
export function envelopeMessage(v: JsonObject): string | null {
  for (const k of ['msg', 'message', 'error']) {
    const m = v[k];
    if (typeof m === 'string' && m.trim() !== '') return m.trim();
  }
  return null;
}

/** The error code of an envelope: `errno` or `error_code`, string or number, as a string. */
export function envelopeErrno(v: JsonObject): string | null {
  for (const k of ['errno', 'error_code']) {
    const e = v[k];
    if ((typeof e === 'string' && e.trim() !== '') || (typeof e === 'number' && Number.isFinite(e)))
      return String(e).trim();
  }
  return null;
}

function outcome(o: UnavailableOutcome, message: string, value?: JsonObject): Unavailable {
  return value === undefined
    ? { kind: 'outcome', outcome: o, message }
    : { kind: 'outcome', outcome: o, message, value };
}

const VISITOR_MESSAGE =
  'redirected to the Sina Visitor System: visitor cookies are needed (fetch them with the browser, or configure a cookie)';

/** A wall a request can be redirected to: the visitor system (cookies missing) or a login page. */
export type SessionWall = 'visitor' | 'login';

/** Weibo's own front ends, whose /newlogin and /login pages are login walls. */
const SITE_HOSTS: ReadonlySet<string> = new Set([
  'weibo.com',
  'www.weibo.com',
  'm.weibo.cn',
  'weibo.cn',
  's.weibo.com',
]);

/** Which wall a URL is: the visitor system, a login page, or neither (captchas are neither). */
export function wallOfUrl(url: string): SessionWall | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  const host = u.hostname.toLowerCase();
  const path = u.pathname.toLowerCase();
  if (path.includes('captcha') || path.includes('geetest')) return null;
  if (host === 'visitor.passport.weibo.cn' || (host === 'passport.weibo.com' && path.startsWith('/visitor')))
    return 'visitor';
  if (host === 'login.sina.com.cn' || host.endsWith('.login.sina.com.cn')) return 'login';
  if ((host === 'passport.weibo.cn' || host === 'passport.weibo.com') && /signin|login|\/sso\//.test(path))
    return 'login';
  if (path.endsWith('/login.php') || path.startsWith('/signin')) return 'login';
  // weibo.com sends logged-out visitors to /newlogin (the desktop login page) with the page they wanted in `url`.
  if (SITE_HOSTS.has(host) && /^\/(?:newlogin|login)\/?$/.test(path)) return 'login';
  return null;
}

/**
 * What a URL the request was sent to says by itself: a visitor-system or login redirect, or a captcha.
 *
 * @returns the outcome, or null for an ordinary URL
 */
export function classifyUrl(url: string): Unavailable | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  const where = `${u.hostname.toLowerCase()}${u.pathname}`;
  const wall = wallOfUrl(url);
  if (wall === 'visitor') return outcome('login_required', `${VISITOR_MESSAGE} (${where})`);
  if (wall === 'login')
    return outcome('login_required', `redirected to login (${where}): a logged-in cookie is needed`);
  const path = u.pathname.toLowerCase();
  if (path.includes('captcha') || path.includes('geetest')) {
    return outcome('captcha', `captcha required (${where}${u.search})`);
  }
  return null;
}

/** Redirects and the final URL: the walls a response was sent through before it answered. */
function classifyNavigation(res: HttpResponse): Unavailable | null {
  // An unparseable Location is reported by the status fallback below.
  for (const u of visitedUrls(res)) {
    const c = classifyUrl(u);
    if (c) return c;
  }
  return null;
}

/** Status codes that mean "slow down" whatever the body says. */
const RATE_LIMIT_STATUSES = new Set([418, 429, 432]);

/**
 * Text of a body, without a byte-order mark: UTF-8, as Weibo answers, or GB18030 (the superset of
 * GBK) for bytes that are not UTF-8, since a Chinese page that is not UTF-8 is GBK; decoded as UTF-8
 * its notice would be kept as mojibake, and the notice is the proof.
 */
export function bodyText(body: Buffer): string {
  // A stray bad byte in a UTF-8 body is one bad character, not a reason to read it all as GBK.
  const text = readsAsUtf8(body) ? body.toString('utf8') : iconv.decode(body, 'gb18030');
  return text.replace(/^\uFEFF/, '');
}

/**
 * The last few bodies parsed and their text and JSON value, so the rules reading one response
 * (the session's wall check, then the parser) parse it once between them. A few, not a WeakMap by
 * body: the body lives on in the observation's evidence until the result is recorded, and a
 * WeakMap kept its whole parsed tree alive with it, for the garbage collector to copy again and
 * again; a response's readers run within a few other responses of each other.
 */
const RECENT_BODIES = 8;
const recentBodies: (Buffer | undefined)[] = new Array<Buffer | undefined>(RECENT_BODIES);
const recentParsed: (ParsedBody | undefined)[] = new Array<ParsedBody | undefined>(RECENT_BODIES);
let nextRecent = 0;

/** A body's UTF-8 text and its JSON value (undefined when it is not JSON). */
export interface ParsedBody {
  readonly text: string;
  readonly json: unknown;
}

/**
 * The text and JSON of a response body, parsed on the first call for that Buffer and shared by
 * the calls that follow soon after (the session's wall check and the parser read the same
 * answer). Callers must not modify `json`.
 */
export function parsedBody(body: Buffer): ParsedBody {
  for (let i = 0; i < RECENT_BODIES; i++) if (recentBodies[i] === body) return recentParsed[i]!;
  const text = bodyText(body);
  const p: ParsedBody = { text, json: tryParseJson(text) ?? tryParseJson(jsonpPayload(text) ?? '') };
  recentBodies[nextRecent] = body;
  recentParsed[nextRecent] = p;
  nextRecent = (nextRecent + 1) % RECENT_BODIES;
  return p;
}

/** The argument of a JSONP call (`cb({…})`), or null: the same envelope in a callback says the same. */
function jsonpPayload(text: string): string | null {
  const m = /^\s*[\w$.]+\s*\(([\s\S]*)\)\s*;?\s*$/.exec(text);
  return m?.[1] ?? null;
}

/** JSON value of a text, or undefined when it is not JSON. */
export function tryParseJson(text: string): unknown {
  const t = text.trim();
  if (t === '' || (t[0] !== '{' && t[0] !== '[')) return undefined;
  try {
    return JSON.parse(t) as unknown;
  } catch {
    return undefined;
  }
}

function htmlTitle(html: string): string | null {
  const m = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html);
  const t = m?.[1]?.replace(/\s+/g, ' ').trim();
  return t ? t : null;
}

/**
 * The page without its scripts, styles, templates and comments (an unclosed one runs to the end, as in a
 * cut-off page). A post's own text sits in `$render_data` inside a script, so a notice quoted by a
 * live post is never read as the page's own statement.
 */
export function pageWithoutScripts(html: string): string {
  return (
    html
      .replace(/<script\b[\s\S]*?(?:<\/script\s*>|$)/gi, ' ')
      .replace(/<style\b[\s\S]*?(?:<\/style\s*>|$)/gi, ' ')
      // A <template> is never rendered: markup kept for a script to use, not words the page says.
      .replace(/<template\b[\s\S]*?(?:<\/template\s*>|$)/gi, ' ')
      .replace(/<!--[\s\S]*?(?:-->|$)/g, ' ')
  );
}

/** The visible text of a page: no scripts, no tags. */
function visibleText(html: string): string {
  return pageWithoutScripts(html)
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The text of the H5 error box (`h5-4con`), where m.weibo.cn pages state why a post cannot be shown. */
export function htmlErrorBoxText(html: string): string | null {
  const m = /class=["'][^"']*\bh5-4con\b[^"']*["'][^>]*>([\s\S]*?)<\/(?:p|div|span)>/i.exec(
    pageWithoutScripts(html),
  );
  const raw = m?.[1]?.replace(/<[^>]+>/g, '');
  // The box's words as the page shows them: an escaped notice (&#x6B64;&#x5FAE;&#x535A;…) is the notice.
  const t = (raw?.includes('&') ? decodeHTML(raw) : raw)?.replace(/\s+/g, ' ').trim();
  return t ? t : null;
}

/**
 * True for a page that opened `<html>` or `<body>` and never closed it: served pages end with
 * `</html>`, so the rest of a cut-off one, which might have said anything, never arrived.
 */
export function isCutOffPage(html: string): boolean {
  const tail = html.slice(-4096);
  if (/<\/(?:html|body)\s*>/i.test(tail)) return false;
  return /<(?:html|body)\b/i.test(html);
}

/**
 * True when every place a page says `phrase` is inside quotation marks or in a question: someone
 * asking about the notice (网友提问：“微博不存在或暂无查看权限!”是什么意思？), not the page stating it.
 */
function quotedOrAsked(visible: string, phrase: string): boolean {
  const text = visible.normalize('NFKC');
  let from = 0;
  for (;;) {
    const at = text.indexOf(phrase, from);
    if (at < 0) return true;
    from = at + phrase.length;
    const before = text.slice(0, at);
    const count = (re: RegExp): number => (before.match(re) ?? []).length;
    const opened = count(/[“「『]/g) > count(/[”」』]/g) || count(/"/g) % 2 === 1;
    const rest = text.slice(from);
    const end = /[。.!！?？\n]/.exec(rest.replace(/^[!！.。\s]+/, ''));
    const asked = end !== null && (end[0] === '?' || end[0] === '？');
    if (!opened && !asked) return false;
  }
}

/**
 * True when a page shows `words` to its reader, not only inside a hidden element: a page rendered
 * by script may ship its error box hidden, to reveal it only when its data says the post is gone.
 */
function shownOnPage(html: string, words: string): boolean {
  return foldText(shownText(html)).includes(foldText(words));
}

/** Most folded visible text a not-found page carries besides its notice (title, a back link): more is content. */
const NOTICE_PAGE_MAX_CHARS = 120;

/** Words of a maintenance page: it says the site is down for work, nothing about any post. */
const MAINTENANCE = /系统维护|维护中|停机维护|升级维护|系统升级|服务升级|undermaintenance|maintenance/i;

/** A maintenance page, named as such; null for any other page. */
function maintenancePage(html: string, visible: string = visibleText(html)): Unavailable | null {
  const title = htmlTitle(html);
  if (!MAINTENANCE.test(foldText(visible)) && !(title !== null && MAINTENANCE.test(foldText(title))))
    return null;
  return outcome('unparseable', `maintenance page: ${title ?? visible.slice(0, 80)}`);
}

/** A page that is only scripts (a JavaScript challenge), named as such; null for any other page. */
function scriptOnlyPage(html: string, visible: string = visibleText(html)): Unavailable | null {
  if (visible !== '' || !/<script\b/i.test(html)) return null;
  return outcome('unparseable', 'script-only page (a JavaScript challenge?)');
}

/**
 * A page that positively says something other than absence (maintenance, a script challenge):
 * it is `unparseable` whatever the status, a 404 included.
 */
function otherStatementPage(text: string): Unavailable | null {
  if (text.trim() === '' || looksLikeJson(text)) return null;
  const visible = visibleText(text);
  return maintenancePage(text, visible) ?? scriptOnlyPage(text, visible) ?? loginWallPage(text, visible);
}

/**
 * A login wall served with an error status: a page asking to log in (请先登录, the visitor system)
 * that states no absence of its own says the session is missing, not that the post is gone.
 */
function loginWallPage(html: string, visible: string): Unavailable | null {
  const wall = /Sina Visitor System/i.test(html) ? 'login_required' : classifyMessage(visible);
  return wall === 'login_required' ? outcome('login_required', `login page: ${visible.slice(0, 80)}`) : null;
}

/**
 * What an HTML page says when an endpoint answered with HTML instead of data.
 *
 * Only the page's own words count (scripts and comments are left out). Where JSON was expected
 * (`expect: 'json'`) only the known wall pages and the documented 微博不存在或暂无查看权限 page
 * count; anything else is `unparseable`, never a final cause, because a stray page says nothing
 * reliable about the post. On the detail page (`expect: 'html'`) the error box text is the
 * platform's own statement and is classified like any message. A maintenance page and a page that
 * is only scripts (a JavaScript challenge) are `unparseable`, named as such.
 */
export function classifyHtmlPage(html: string, expect: 'json' | 'html'): Unavailable {
  if (/Sina Visitor System/i.test(html)) return outcome('login_required', VISITOR_MESSAGE);
  const visible = visibleText(html);
  const folded = foldText(visible);
  if (folded.includes('行为有些异常')) return outcome('captcha', '你的行为有些异常 (captcha page)');
  const maintenance = maintenancePage(html, visible);
  if (maintenance) return maintenance;
  // A page cut off before its end may have gone on to say anything: its notice is no statement.
  const cut = isCutOffPage(html);
  const box = htmlErrorBoxText(html);
  if (box) {
    const c = classifyMessage(box);
    if (
      c &&
      (expect === 'html' ||
        c === 'gone_unspecified' ||
        c === 'rate_limited' ||
        c === 'captcha' ||
        c === 'login_required')
    ) {
      if (cut && isFinalOutcome(c)) return outcome('unparseable', `page cut off before its end: ${box}`);
      if (isFinalOutcome(c) && !shownOnPage(html, box))
        return outcome('unparseable', `notice only in a hidden element: ${box}`);
      return outcome(c, box);
    }
  }
  // Outside the error box the phrase counts only in the text of a notice-sized page (a page with a
  // post's text may quote it), never in its <title> alone.
  const bodyVisible = visibleText(html.replace(/<title\b[\s\S]*?(?:<\/title\s*>|$)/gi, ' '));
  const said = foldText(bodyVisible);
  if (
    said.includes('微博不存在或暂无查看权限') &&
    (box !== null ||
      (folded.length <= NOTICE_PAGE_MAX_CHARS && !quotedOrAsked(bodyVisible, '微博不存在或暂无查看权限')))
  )
    return cut
      ? outcome('unparseable', `page cut off before its end: ${box ?? '微博不存在或暂无查看权限'}`)
      : !shownOnPage(html, '微博不存在或暂无查看权限')
        ? outcome('unparseable', `notice only in a hidden element: ${box ?? '微博不存在或暂无查看权限'}`)
        : outcome('gone_unspecified', box ?? '微博不存在或暂无查看权限');
  const challenge = scriptOnlyPage(html, visible);
  if (challenge) return challenge;
  const what = box ?? htmlTitle(html) ?? 'no title';
  return outcome(
    'unparseable',
    expect === 'json' ? `HTML where JSON was expected: ${what}` : `unrecognized page: ${what}`,
  );
}

/** Hostname of a URL, `www.` dropped (www.weibo.com is weibo.com); null when it is not a URL. */
function hostOf(url: string): string | null {
  try {
    return new URL(url).hostname.toLowerCase().replace(/^www\./, '');
  } catch {
    return null;
  }
}

/**
 * True when the answer came from the host the request was sent to. Only there does a 404 or 410
 * speak for the target: one from a CDN, a mirror or a page redirected to elsewhere does not.
 */
export function answeredByOwnHost(res: Pick<HttpResponse, 'url' | 'finalUrl'>): boolean {
  const asked = hostOf(res.url);
  return asked !== null && hostOf(res.finalUrl || res.url) === asked;
}

/** A status code that says something by itself, once the body had nothing more specific. */
function classifyStatus(res: HttpResponse): Unavailable | null {
  const { status } = res;
  if (RATE_LIMIT_STATUSES.has(status)) return outcome('rate_limited', `HTTP ${status}`);
  if (status >= 500) return outcome('server_error', `HTTP ${status}`);
  if (status === 404 || status === 410) {
    const other = otherStatementPage(bodyText(res.body));
    if (other) return outcome(other.outcome, `${other.message} (HTTP ${status})`);
    if (answeredByOwnHost(res)) return outcome('gone_unspecified', `HTTP ${status}`);
    return outcome('unparseable', `HTTP ${status} from ${res.finalUrl}, not the host asked (${res.url})`);
  }
  // Weibo's 403s are anti-bot answers (missing Referer, throttling); none says anything about the post.
  if (status === 403) return outcome('rate_limited', 'HTTP 403');
  if (status === 401) return outcome('login_required', 'HTTP 401');
  if (status >= 300 && status < 400)
    return outcome('unparseable', `HTTP ${status} redirect to ${res.headers['location'] ?? '(no Location)'}`);
  if (status >= 400) return outcome('unparseable', `HTTP ${status}`);
  return null;
}

/** True for a body that starts like JSON: one that then fails to parse was cut off or garbled. */
function looksLikeJson(text: string): boolean {
  const t = text.trimStart();
  return t.startsWith('{') || t.startsWith('[');
}

function describe(msg: string | null, errno: string | null, status: number): string {
  const extra = [errno !== null ? `errno ${errno}` : null, status !== 200 ? `HTTP ${status}` : null].filter(
    Boolean,
  );
  const head = msg ?? (extra.length > 0 ? '' : 'no message');
  return extra.length > 0 ? `${head}${head ? ' ' : ''}(${extra.join(', ')})` : head;
}

/** Weibo's own domains: an answer from anywhere else is not Weibo's statement. */
const WEIBO_DOMAINS = ['weibo.com', 'weibo.cn', 'sina.com.cn', 'sina.cn'];

function onWeibo(url: string): boolean {
  const h = hostOf(url);
  return h !== null && WEIBO_DOMAINS.some((d) => h === d || h.endsWith(`.${d}`));
}

/**
 * A final outcome only where Weibo made the statement: not in the body of a redirect (a 3xx says
 * "look elsewhere", whatever its body), and not in an answer from a host off Weibo's domains that
 * is not the host asked (a CDN, a mirror, a captive portal), which cannot speak for a post.
 */
export function believedStatement<T extends JsonClassification | Unavailable>(
  res: HttpResponse,
  c: T,
): T | Unavailable {
  if (c.kind !== 'outcome' || !isFinalOutcome(c.outcome)) return c;
  if (res.status >= 300 && res.status < 400)
    return outcome('unparseable', `${c.message}, in the body of an HTTP ${res.status} redirect`, c.value);
  if (!speaksForWeibo(res))
    return outcome(
      'unparseable',
      `${c.message}, answered by ${res.finalUrl}, not Weibo (${res.url})`,
      c.value,
    );
  return c;
}

/** True when the answer came from the host asked or from one of Weibo's own domains. */
export function speaksForWeibo(res: Pick<HttpResponse, 'url' | 'finalUrl'>): boolean {
  return answeredByOwnHost(res) || onWeibo(res.finalUrl || res.url);
}

/**
 * Classifies the answer of a JSON endpoint (m.weibo.cn or weibo.com/ajax).
 *
 * Order: redirects to walls (visitor system, login, captcha); 418/429/432; the body's own message
 * or code (a specific message wins over a generic code or status); `ok:-100` by its `url`; then the
 * status (5xx, 404/410, 403); HTML where JSON was expected by {@link classifyHtmlPage}. An envelope
 * with `ok:1` (or no `ok` and no error code) on a 2xx is data. A final outcome stands only when
 * Weibo said it (see {@link believedStatement}). Never throws.
 */
export function classifyJsonResponse(res: HttpResponse): JsonClassification {
  return believedStatement(res, classifyJsonAnswer(res));
}

function classifyJsonAnswer(res: HttpResponse): JsonClassification {
  const nav = classifyNavigation(res);
  if (nav) return nav;
  if (RATE_LIMIT_STATUSES.has(res.status)) return outcome('rate_limited', `HTTP ${res.status}`);
  const { text, json: parsed } = parsedBody(res.body);
  const success = res.status >= 200 && res.status < 300;

  if (parsed === undefined) {
    // A body that starts as JSON and does not parse was cut off: whatever it began to say is not a statement.
    if (looksLikeJson(text))
      return (
        (success ? null : classifyStatus(res)) ??
        outcome('unparseable', `truncated or malformed JSON (HTTP ${res.status}, ${res.body.length} bytes)`)
      );
    if (success) {
      return text.trim() === ''
        ? outcome('unparseable', `empty body (HTTP ${res.status})`)
        : classifyHtmlPage(text, 'json');
    }
    // A documented wall or not-found page beats a bare status; any other page falls back to the status.
    const page = text.trim() === '' ? null : classifyHtmlPage(text, 'json');
    if (page && page.outcome !== 'unparseable') return page;
    return classifyStatus(res) ?? outcome('unparseable', `HTTP ${res.status}: not JSON`);
  }
  if (!isJsonObject(parsed)) {
    return classifyStatus(res) ?? outcome('unparseable', 'JSON body is not an object');
  }

  const ok = parsed['ok'] === undefined ? undefined : Number(parsed['ok']);
  const msg = envelopeMessage(parsed);
  const errno = envelopeErrno(parsed);
  if (success && (ok === 1 || (ok === undefined && errno === null && msg === null)))
    return { kind: 'json', value: parsed };
  // A body that says ok:1 contradicts a not-found status; neither is believed.
  if (ok === 1 && (res.status === 404 || res.status === 410))
    return outcome('unparseable', `ok:1 body with HTTP ${res.status}`, parsed);

  if (ok === -100 || errno === '-100') {
    const url = typeof parsed['url'] === 'string' ? parsed['url'] : '';
    const byUrl = url ? classifyUrl(url) : null;
    if (byUrl) return outcome(byUrl.outcome, `ok:-100 → ${url}`, parsed);
    return outcome('login_required', `ok:-100: cookies expired or missing${url ? ` (${url})` : ''}`, parsed);
  }

  const byMessage = classifyMessage(msg, errno);
  if (byMessage) return outcome(byMessage, describe(msg, errno, res.status), parsed);
  const byStatus = classifyStatus(res);
  if (byStatus) return outcome(byStatus.outcome, describe(msg, errno, res.status), parsed);
  return outcome(
    'unparseable',
    `unrecognized answer ok:${String(parsed['ok'])} ${describe(msg, errno, res.status)}`.trim(),
    parsed,
  );
}

/**
 * Classifies the answer of an HTML page endpoint (the detail page): walls and statuses as for JSON,
 * then hands a 2xx body back as text for the page parser.
 */
export function classifyHtmlResponse(
  res: HttpResponse,
): { readonly kind: 'html'; readonly text: string } | Unavailable {
  const c = classifyHtmlAnswer(res);
  return c.kind === 'html' ? c : believedStatement(res, c);
}

function classifyHtmlAnswer(
  res: HttpResponse,
): { readonly kind: 'html'; readonly text: string } | Unavailable {
  const nav = classifyNavigation(res);
  if (nav) return nav;
  if (RATE_LIMIT_STATUSES.has(res.status)) return outcome('rate_limited', `HTTP ${res.status}`);
  const text = bodyText(res.body);
  if (res.status >= 200 && res.status < 300) return { kind: 'html', text };
  // An API-shaped refusal at the page URL says what it says (a rate limit, a login wall) whatever its status.
  if (parsedBody(res.body).json !== undefined) {
    const json = classifyJsonResponse(res);
    if (json.kind === 'outcome') return json;
  }
  const page = text.trim() === '' ? null : classifyHtmlPage(text, 'html');
  if (page && page.outcome !== 'unparseable') return page;
  return classifyStatus(res) ?? outcome('unparseable', `HTTP ${res.status}`);
}

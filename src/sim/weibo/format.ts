/**
 * Weibo's wire formats as the simulator writes them: times in China time, text HTML, error
 * bodies, placeholders and HTML pages, following the reference samples in
 * test/fixtures/reference/weibo and the research notes.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** China Standard Time is UTC+8 all year (no daylight saving). */
const CHINA_OFFSET = 8 * HOUR;

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** The full `created_at` form of detail endpoints: `Sat Jun 15 11:44:46 +0800 2019`. */
export function fullCreatedAt(ms: number): string {
  const d = new Date(ms + CHINA_OFFSET);
  return (
    `${WEEKDAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${pad2(d.getUTCDate())} ` +
    `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())} +0800 ${d.getUTCFullYear()}`
  );
}

/**
 * The short `created_at` forms of list items, relative to `now`: 刚刚, N分钟前, N小时前 (same
 * day), 昨天 HH:MM, MM-DD (same year), YYYY-MM-DD.
 */
export function shortCreatedAt(ms: number, now: number): string {
  const diff = Math.max(0, now - ms);
  if (diff < 60_000) return '刚刚';
  if (diff < HOUR) return `${Math.floor(diff / 60_000)}分钟前`;
  const day = Math.floor((ms + CHINA_OFFSET) / DAY);
  const today = Math.floor((now + CHINA_OFFSET) / DAY);
  if (day === today) return `${Math.floor(diff / HOUR)}小时前`;
  const d = new Date(ms + CHINA_OFFSET);
  if (day === today - 1) return `昨天 ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`;
  const md = `${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
  return d.getUTCFullYear() === new Date(now + CHINA_OFFSET).getUTCFullYear()
    ? md
    : `${d.getUTCFullYear()}-${md}`;
}

const EMOJI_FILES: Readonly<Record<string, string>> = {
  思考: 'default/d_sikao-75c7e0e3a7.png',
  允悲: 'default/d_yunbei-a14a649db8.png',
  哈哈: 'default/d_haha-0ca8c2a1c5.png',
  太开心: 'default/d_taikaixin-b7e8e6c1a4.png',
  偷笑: 'default/d_touxiao-15afb1c739.png',
  doge: 'others/d_doge-861403219c.png',
};

/** Escapes text for HTML element content. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

function topicLink(topic: string): string {
  const q = encodeURIComponent(`#${topic}#`);
  return (
    `<a  href="https://m.weibo.cn/search?containerid=231522type%3D1%26t%3D10%26q%3D${q}&isnewpage=1" data-hide="">` +
    `<span class="surl-text">#${topic}#</span></a>`
  );
}

function emojiIcon(name: string): string {
  const file = EMOJI_FILES[name] ?? 'default/d_xiaoku-f2bd11b506.png';
  return `<span class="url-icon"><img alt=[${name}] src="//h5.sinaimg.cn/m/emoticon/icon/${file}" style="width:1em; height:1em;" /></span>`;
}

/**
 * Renders a scenario's plain text as m.weibo.cn text HTML: `#topic#` links, `[emoji]` icons,
 * `@name` mentions and `<br />` line breaks, as in the reference timeline cards.
 */
export function renderText(plain: string): string {
  return escapeHtml(plain)
    .replace(/#([^#\n]{1,40})#/g, (_m, t: string) => topicLink(t))
    .replace(/\[([^[\]\s]{1,8})\]/g, (_m, e: string) => emojiIcon(e))
    .replace(/@([\w\u4e00-\u9fa5-]{2,30})/g, (_m, n: string) => `<a href='/n/${n}'>@${n}</a>`)
    .replace(/\n/g, '<br />');
}

/** Characters of a long post shown before the 全文 link. */
export const TRUNCATE_AT = 90;

/** A long post's list/detail text: its opening plus the 全文 link, as in the reference repost sample. */
export function truncatedText(plain: string, mid: string): string {
  const chars = Array.from(plain);
  return `${renderText(chars.slice(0, TRUNCATE_AT).join(''))} ...<a href="/status/${mid}">全文</a>`;
}

/** Weibo's textLength counts a CJK character as 2 and ASCII as 1. */
export function textLength(plain: string): number {
  let n = 0;
  for (const ch of plain) n += ch.charCodeAt(0) < 0x80 ? 1 : 2;
  return n;
}

/** Messages of m.weibo.cn JSON answers and pages. */
export const MSG = {
  ambiguous: '微博不存在或暂无查看权限!',
  deletedByAuthor: '抱歉，此微博已被作者删除。查看帮助：http://t.cn/Rfd3rQV',
  removed: '该微博因被多人投诉，根据《微博社区公约》，已被删除。',
  restricted: '抱歉，由于作者设置，你暂时没有这条微博的查看权限哦。',
  accountBanned: '该账号因被投诉违反《微博社区公约》的相关规定，现已无法查看。',
  accountClosed: '该账号因用户自行申请关闭，现已无法查看。',
  noContent: '这里还没有内容',
  searchWithheld: '根据相关法律法规和政策，搜索结果未予显示。',
  searchPartlyWithheld: '根据相关法律法规和政策，部分搜索结果未予显示。',
  unknownError: '出错了，未知错误',
} as const;

/** `{ok:0, errno, msg}` as m.weibo.cn writes refusals (errno a string). */
export function errorBody(errno: string, msg: string): { ok: 0; errno: string; msg: string } {
  return { ok: 0, errno, msg };
}

/** m.weibo.cn's answer when it wants a captcha solved first (ok -100 pointing at the captcha page). */
export const CAPTCHA_BODY = {
  ok: -100,
  errno: '-100',
  msg: '',
  url: 'https://m.weibo.cn/captcha?scene=limit&referer=/',
  extra: '',
} as const;

/** The empty-container answer of getIndex (timeline past its end, unknown or banned account). */
export const NO_CONTENT_BODY = { ok: 0, msg: MSG.noContent, data: { cards: [] } } as const;

const PLACEHOLDER_HELP_LINK =
  "<a href='http://t.cn/Rfd3rQV' data-hide=''><span class='url-icon'><img style='width: 1rem;height: 1rem' " +
  "src='//h5.sinaimg.cn/upload/2015/09/25/3/timeline_card_small_web_default.png'></span> <span class='surl-text'>网页链接</span></a>";

/** Which placeholder stands in a repost for a gone original. */
export type PlaceholderKind = 'deleted_by_author' | 'removed_by_platform' | 'restricted' | 'deleted_unstated';

/**
 * The `retweeted_status` placeholder for a gone original, shaped like the stablog samples:
 * state 7 (author deletion) and state 8 (removal after complaints) name the cause; the
 * restricted one says so in its text; `deleted_unstated` (抱歉，此微博已被删除。) names no actor.
 */
export function placeholder(
  kind: PlaceholderKind,
  mid: string,
  bid: string,
  createdAt: string,
): Record<string, unknown> {
  const base = {
    visible: { type: kind === 'restricted' ? 1 : 0, list_id: 0 },
    created_at: createdAt,
    id: mid,
    idstr: mid,
    mid,
  };
  switch (kind) {
    case 'deleted_by_author':
      return {
        ...base,
        text: `抱歉，此微博已被作者删除。查看帮助：${PLACEHOLDER_HELP_LINK}`,
        state: 7,
        deleted: '1',
        weibo_position: 2,
        show_attitude_bar: 0,
        retweeted: 1,
        user: null,
        bid,
        source: '',
      };
    case 'removed_by_platform':
      return {
        ...base,
        text: MSG.removed,
        state: 8,
        deleted: '1',
        weibo_position: 2,
        show_attitude_bar: 0,
        retweeted: 1,
        user: null,
        bid,
        source: '',
      };
    case 'restricted':
      return {
        ...base,
        text: `${MSG.restricted}查看帮助：http://t.cn/RfdBWwP`,
        retweeted: 1,
        user: null,
        bid,
        source: '',
      };
    case 'deleted_unstated':
      return {
        ...base,
        text: `抱歉，此微博已被删除。查看帮助：${PLACEHOLDER_HELP_LINK}`,
        deleted: '1',
        weibo_position: 2,
        show_attitude_bar: 0,
        retweeted: 1,
        user: null,
        bid,
        source: '',
      };
  }
}

import { decodeHTML } from 'entities';
import type { Author, Content, Counts } from '../../domain/glossary';

/** A decoded JSON object. */
export type JsonObject = Record<string, unknown>;

/** True for a plain JSON object (not null, not an array). */
export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A string, or a non-negative safe integer as its decimal string; null otherwise. A larger number
 * has already lost digits in JSON.parse, so it would name some other post.
 */
export function asIdString(v: unknown): string | null {
  if (typeof v === 'string') return v.trim() === '' ? null : v.trim();
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return String(v);
  if (typeof v === 'bigint') return v.toString();
  return null;
}

/**
 * The post id of an mblog as a string. `mid` first: m.weibo.cn and weibo.com/ajax both send it as a
 * string. Then `id` (a string on m.weibo.cn, a number on weibo.com/ajax, unread when too large for
 * a safe integer), and `idstr` last: on 2010-era posts it is a different, short id, so a
 * placeholder without its `mid` would otherwise be read as the notice of some other post.
 */
export function mblogId(m: JsonObject): string | null {
  return asIdString(m['mid']) ?? asIdString(m['id']) ?? asIdString(m['idstr']);
}

// China has no DST, so China time is a fixed UTC+8.
const CHINA_OFFSET_MS = 8 * 3_600_000;
const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const MONTHS: Readonly<Record<string, number>> = {
  jan: 0,
  feb: 1,
  mar: 2,
  apr: 3,
  may: 4,
  jun: 5,
  jul: 6,
  aug: 7,
  sep: 8,
  oct: 9,
  nov: 10,
  dec: 11,
};

/** Epoch ms of a wall-clock time in China (UTC+8). */
function chinaTime(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number {
  return Date.UTC(y, mo, d, h, mi, s) - CHINA_OFFSET_MS;
}

/** Calendar fields of an instant as seen in China. */
function chinaDate(ms: number): { y: number; mo: number; d: number } {
  const t = new Date(ms + CHINA_OFFSET_MS);
  return { y: t.getUTCFullYear(), mo: t.getUTCMonth(), d: t.getUTCDate() };
}

/** Date's range: ±8.64e15 ms around the epoch; `toISOString` throws a RangeError beyond it. */
const MAX_DATE_MS = 8.64e15;

/** Instants whose ISO year has four digits (0000 to 9999): the only ones {@link isoOf} writes itself. */
const FOUR_DIGIT_YEARS_MS: readonly [number, number] = [-62_167_219_200_000, 253_402_300_799_999];

function validIso(ms: number): string | null {
  return Number.isFinite(ms) && Math.abs(ms) <= MAX_DATE_MS ? isoOf(Math.trunc(ms) + 0) : null;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);

/**
 * `new Date(ms).toISOString()` for an integer `ms`, by arithmetic: every post a check reads has a
 * creation time, and building a Date to print it cost more than the rest of normalizing the post.
 * Days to a civil date as in H. Hinnant's `civil_from_days`; years outside 0000–9999 (written
 * with a sign and six digits) are left to Date.
 */
function isoOf(ms: number): string {
  if (ms < FOUR_DIGIT_YEARS_MS[0] || ms > FOUR_DIGIT_YEARS_MS[1]) return new Date(ms).toISOString();
  const msOfDay = ((ms % DAY) + DAY) % DAY;
  const z = (ms - msOfDay) / DAY + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const h = Math.floor(msOfDay / HOUR);
  const mi = Math.floor((msOfDay % HOUR) / MINUTE);
  const s = Math.floor((msOfDay % MINUTE) / 1000);
  const milli = msOfDay % 1000;
  const yyyy = year < 1000 ? `${year}`.padStart(4, '0') : `${year}`;
  const sss = milli < 10 ? `00${milli}` : milli < 100 ? `0${milli}` : `${milli}`;
  return `${yyyy}-${pad2(month)}-${pad2(day)}T${pad2(h)}:${pad2(mi)}:${pad2(s)}.${sss}Z`;
}

/**
 * `created_at` in any of Weibo's forms as ISO 8601 UTC.
 *
 * Full form `Sat Jun 15 11:44:46 +0800 2019`; relative forms 刚刚, N秒前, N分钟前, N小时前,
 * 今天 HH:MM, 昨天 HH:MM; short dates `MM-DD` (this year in China, or last year when that would be in
 * the future) and `YYYY-MM-DD`, optionally with ` HH:MM[:SS]`. Relative forms are computed against
 * `at`, the observation time, in China time; date-only forms give midnight China time.
 *
 * @returns the ISO string, or null when the form is unknown
 */
export function parseCreatedAt(input: unknown, at: number): string | null {
  if (typeof input === 'number' && Number.isFinite(input)) {
    // Epoch seconds appear in some payloads (e.g. `video_publish_time`).
    return validIso(input < 1e12 ? input * 1000 : input);
  }
  if (typeof input !== 'string') return null;
  const s = input.trim();
  if (s === '') return null;

  const full =
    /^[A-Za-z]{3} ([A-Za-z]{3}) (\d{1,2}) (\d{1,2}):(\d{2}):(\d{2}) ([+-])(\d{2}):?(\d{2}) (\d{4})$/.exec(s);
  if (full) {
    const [, mon, d, h, mi, sec, sign, oh, om, y] = full;
    const mo = MONTHS[(mon ?? '').toLowerCase()];
    if (mo === undefined) return null;
    const offset = (sign === '-' ? -1 : 1) * (Number(oh) * HOUR + Number(om) * MINUTE);
    return validIso(Date.UTC(Number(y), mo, Number(d), Number(h), Number(mi), Number(sec)) - offset);
  }
  if (s === '刚刚') return validIso(at);
  const rel = /^(\d+)\s*(秒|分钟|小时|天)前$/.exec(s);
  if (rel) {
    const unit = { 秒: 1000, 分钟: MINUTE, 小时: HOUR, 天: DAY }[rel[2] as '秒' | '分钟' | '小时' | '天'];
    return validIso(at - Number(rel[1]) * unit);
  }
  const dayRel = /^(今天|昨天|前天)\s*(\d{1,2}):(\d{2})$/.exec(s);
  if (dayRel) {
    const back = dayRel[1] === '今天' ? 0 : dayRel[1] === '昨天' ? 1 : 2;
    const { y, mo, d } = chinaDate(at);
    return validIso(chinaTime(y, mo, d - back, Number(dayRel[2]), Number(dayRel[3])));
  }
  const ymd = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(s);
  if (ymd) {
    const [, y, mo, d, h, mi, sec] = ymd;
    return validIso(
      chinaTime(Number(y), Number(mo) - 1, Number(d), Number(h ?? 0), Number(mi ?? 0), Number(sec ?? 0)),
    );
  }
  const md = /^(\d{1,2})-(\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?$/.exec(s);
  if (md) {
    const [, mo, d, h, mi] = md;
    const { y } = chinaDate(at);
    let t = chinaTime(y, Number(mo) - 1, Number(d), Number(h ?? 0), Number(mi ?? 0));
    // A short date is always in the past; one that lands after `at` belongs to last year.
    if (t > at + DAY) t = chinaTime(y - 1, Number(mo) - 1, Number(d), Number(h ?? 0), Number(mi ?? 0));
    return validIso(t);
  }
  const parsed = Date.parse(s);
  return Number.isNaN(parsed) ? null : validIso(parsed);
}

/**
 * A count as Weibo shows it: a number, or a string such as `"1234"`, `"1.2万"`, `"1万+"`, `"1.1亿"`,
 * `"100万+"`, `"1,234"`. A `+` suffix means "at least", so the lower bound is returned.
 *
 * @returns the count, or null when absent or not a count (e.g. the label `"转发"`)
 */
export function parseCount(v: unknown): number | null {
  if (typeof v === 'number') return countOrNull(v);
  if (typeof v !== 'string') return null;
  const m = /^(\d+(?:\.\d+)?)\s*(万|w|W|亿)?\s*\+?$/.exec(v.trim().replace(/,/g, ''));
  if (!m) return null;
  const scale = m[2] === '亿' ? 1e8 : m[2] ? 1e4 : 1;
  return countOrNull(Number(m[1]) * scale);
}

/** A count rounded to an integer; null unless it is a non-negative safe integer (absurd values are not counts). */
function countOrNull(n: number): number | null {
  const r = Math.round(n);
  return Number.isSafeInteger(r) && r >= 0 ? r : null;
}

/**
 * Plain text of Weibo post HTML: emoji `<img alt>` become their alt text, links their text, `<br>`
 * a newline, entities are decoded and every other tag is dropped. Trailing spaces and the zero-width
 * spaces Weibo pads texts with are trimmed, so equal posts give equal text (and equal hashes).
 */
export function htmlToText(html: string): string {
  // A text without a tag or a reference (many a short post) has nothing for those passes to change.
  const stripped = html.includes('<') ? withoutTags(html) : html;
  // The entities package decodes references as browsers do (named, numeric, legacy without ';').
  return (stripped.includes('&') ? decodeHTML(stripped) : stripped)
    .replace(/\u200b/g, '')
    .split('\n')
    .map((line) => line.replace(/[ \t\u00a0]+$/, ''))
    .join('\n')
    .trim();
}

/** Post HTML with emoji `<img alt>` as their alt text, `<br>` as newlines and every other tag and comment gone. */
function withoutTags(html: string): string {
  const withBreaks = html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(
      /<img\b[^>]*?\balt\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))[^>]*>/gi,
      (_m, a?: string, b?: string, c?: string) =>
        // The alt text is still HTML-escaped; keep it as text and let the entity pass decode it.
        (a ?? b ?? c ?? '').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
    );
  return withBreaks.replace(/<\/?[a-z][^>]*>/gi, '').replace(/<!--[\s\S]*?-->/g, '');
}

/** Drops the trailing "…全文" link of a truncated text so listing and detail texts compare equal. */
function stripFullTextLink(html: string): string {
  return html.replace(/\s*<a\b[^>]*href=["']?\/status\/[^>]*>\s*全文\s*<\/a>\s*$/i, '');
}

function picUrl(pic: unknown): string | null {
  if (!isJsonObject(pic)) return null;
  const large = pic['large'];
  const largeUrl = isJsonObject(large) ? large['url'] : undefined;
  if (typeof largeUrl === 'string' && largeUrl !== '') return largeUrl;
  const url = pic['url'];
  return typeof url === 'string' && url !== '' ? url : null;
}

/** `pics` as an array, or as an object keyed "0", "1", … (RSSHub notes both occur). */
function picsInOrder(pics: unknown): unknown[] {
  if (Array.isArray(pics)) return pics;
  if (!isJsonObject(pics)) return [];
  return Object.keys(pics)
    .filter((k) => /^\d+$/.test(k))
    .sort((a, b) => Number(a) - Number(b))
    .map((k) => pics[k]);
}

/** Drops the query parameters that only say where a link was shown, so the URL is stable across listings. */
function stableUrl(url: string): string {
  try {
    const u = new URL(url, 'https://m.weibo.cn');
    for (const p of ['luicode', 'lfid', 'pos', 'featurecode']) u.searchParams.delete(p);
    return u.toString();
  } catch {
    return url;
  }
}

/**
 * Image and video URLs of an mblog, in order: pictures (large size preferred; `pics` on m.weibo.cn,
 * `pic_ids` + `pic_infos` on weibo.com/ajax, else `original_pic`), then the `page_info` video or page.
 * Signed, expiring stream URLs are avoided so that the content hash does not change on every fetch.
 */
export function mblogMedia(m: JsonObject): string[] {
  const media: string[] = [];
  for (const p of picsInOrder(m['pics'])) {
    const u = picUrl(p);
    if (u) media.push(u);
  }
  if (media.length === 0 && Array.isArray(m['pic_ids']) && isJsonObject(m['pic_infos'])) {
    const infos = m['pic_infos'];
    for (const pid of m['pic_ids']) {
      const info = typeof pid === 'string' ? infos[pid] : undefined;
      if (!isJsonObject(info)) continue;
      for (const size of ['largest', 'original', 'large', 'mw2000', 'bmiddle']) {
        const v = info[size];
        if (isJsonObject(v) && typeof v['url'] === 'string') {
          media.push(v['url']);
          break;
        }
      }
    }
  }
  if (media.length === 0 && typeof m['original_pic'] === 'string' && m['original_pic'] !== '') {
    media.push(m['original_pic']);
  }
  const page = m['page_info'];
  if (isJsonObject(page)) {
    const type = page['type'];
    const info = page['media_info'];
    if (type === 'video') {
      const h5 = isJsonObject(info) ? info['h5_url'] : undefined;
      const pageUrl = page['page_url'];
      if (typeof h5 === 'string' && h5 !== '') media.push(h5);
      else if (typeof pageUrl === 'string' && pageUrl !== '') media.push(stableUrl(pageUrl));
    } else if (type === 'article' || type === 'webpage') {
      const pageUrl = page['page_url'];
      if (typeof pageUrl === 'string' && pageUrl !== '') media.push(stableUrl(pageUrl));
    }
    // `topic` and other types are hashtag or search links, not media.
  }
  return media;
}

/** Edit count: `edit_count`, else `edit_config.edited` as 1/0, else null. */
export function mblogEditCount(m: JsonObject): number | null {
  const n = m['edit_count'];
  if (typeof n === 'number' && Number.isSafeInteger(n) && n >= 0) return n;
  if (typeof n === 'string' && /^\d{1,15}$/.test(n)) return Number(n);
  const cfg = m['edit_config'];
  if (isJsonObject(cfg) && typeof cfg['edited'] === 'boolean') return cfg['edited'] ? 1 : 0;
  return null;
}

/** IP region: `region_name` such as `"发布于 安徽"` → `"安徽"`. */
export function mblogRegion(m: JsonObject): string | null {
  const r = m['region_name'];
  if (typeof r !== 'string') return null;
  const cleaned = r.replace(/^\s*发布于\s*/, '').trim();
  if (cleaned === '') return null;
  const words = cleaned.split(/\s+/);
  return words[words.length - 1] ?? null;
}

function mblogAuthor(m: JsonObject): Author | null {
  const u = m['user'];
  if (!isJsonObject(u)) return null;
  const id = asIdString(u['idstr']) ?? asIdString(u['id']);
  const name = typeof u['screen_name'] === 'string' ? u['screen_name'] : null;
  return id === null && name === null ? null : { id, name };
}

function mblogCounts(m: JsonObject): Counts {
  return {
    reposts: parseCount(m['reposts_count']),
    comments: parseCount(m['comments_count']),
    likes: parseCount(m['attitudes_count']),
  };
}

/** The long text Weibo sometimes embeds (`longText.longTextContent`, as in statuses/show for a repost's original). */
function embeddedLongText(m: JsonObject): string | null {
  const lt = m['longText'];
  if (!isJsonObject(lt)) return null;
  const c = lt['longTextContent'];
  return typeof c === 'string' && c !== '' ? c : null;
}

/**
 * Normalized {@link Content} of an mblog (m.weibo.cn or weibo.com/ajax shape).
 *
 * @param at - observation time (epoch ms), for relative `created_at` forms
 * @returns the content, or null when required fields (an id and a `text` string) are missing
 */
export function normalizeMblog(m: JsonObject, at: number): Content | null {
  const id = mblogId(m);
  const rawText = m['text'];
  if (id === null || typeof rawText !== 'string') return null;
  const longText = embeddedLongText(m);
  const html = longText ?? rawText;
  const truncated = longText === null && (m['isLongText'] === true || m['isLongText'] === 1);
  const rt = m['retweeted_status'];
  return {
    html,
    text: htmlToText(truncated ? stripFullTextLink(html) : html),
    author: mblogAuthor(m),
    createdAt: parseCreatedAt(m['created_at'], at),
    counts: mblogCounts(m),
    media: mblogMedia(m),
    repostOf: isJsonObject(rt) ? mblogId(rt) : null,
    editCount: mblogEditCount(m),
    region: mblogRegion(m),
    truncated,
  };
}

/**
 * Content with the long text from statuses/extend in place of the truncated text.
 * Counts from the extend answer are newer, so they replace the old ones where given.
 */
export function withLongText(c: Content, longTextHtml: string, counts?: Partial<Counts>): Content {
  return {
    ...c,
    html: longTextHtml,
    text: htmlToText(longTextHtml),
    truncated: false,
    counts: {
      reposts: counts?.reposts ?? c.counts.reposts,
      comments: counts?.comments ?? c.counts.comments,
      likes: counts?.likes ?? c.counts.likes,
    },
  };
}

/** Plain text as Weibo sends it (`text_raw`, ajax `longTextContent`), padded the way {@link htmlToText} output is not. */
export function cleanPlainText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/\u200b/g, '')
    .split('\n')
    .map((line) => line.replace(/[ \t\u00a0]+$/, ''))
    .join('\n')
    .trim();
}

/**
 * Normalized {@link Content} of a weibo.com/ajax status: the same fields as {@link normalizeMblog}
 * (ids as strings: `id` is a number there), with the plain text taken from `text_raw` when the
 * status has one, since that is the author's text without the front end's link and emoji markup.
 */
export function normalizeAjaxStatus(m: JsonObject, at: number): Content | null {
  const c = normalizeMblog(m, at);
  if (c === null) return null;
  const raw = m['text_raw'];
  return typeof raw === 'string' && raw.trim() !== '' ? { ...c, text: cleanPlainText(raw) } : c;
}

/** HTML of a plain text, for the `html` field when only plain text was given. */
function plainToHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\n/g, '<br />');
}

/** Content with the plain long text of weibo.com `ajax/statuses/longtext` in place of the truncated text. */
export function withPlainLongText(c: Content, longText: string): Content {
  const text = cleanPlainText(longText);
  return { ...c, html: plainToHtml(text), text, truncated: false };
}

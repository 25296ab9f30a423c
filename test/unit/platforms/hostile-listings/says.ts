/**
 * What a listing or comment page positively says, decided here on its own from the documented
 * rules and nothing else, so a reader's claims can be held against it:
 * - Weibo search withholding (research/weibo.md §3.5): the notice as the whole `ok:0` msg, as
 *   `cardlistInfo.desc`, or as the desc of a `card_type` 4 card; nowhere else.
 * - Weibo "no results" / an empty container: `ok:0` with the whole msg 这里还没有内容 (§3.2); a
 *   timeline's end card (`card_type` 58, stablog) holding no post is one too.
 * - Weibo paging: a search ends at `cardlistInfo.page` null; a timeline at a 58 card, at
 *   `cardlistInfo.page` null, at `since_id` 0, or at a `cardlistInfo` naming neither `since_id` nor
 *   `page` (the simulator's last page); hotflow only at `max_id` 0 (§2.4).
 * - NetEase "no results": the wording inside `div.keyword_list` of a whole page (§1.5).
 * - NetEase list.do ends at `data.list` null or empty, or shorter than the page size (§1.4);
 *   newList at an empty `commentIds`/`comments`, or a list shorter than the limit asked (§3.3).
 */
import { parseDocument } from 'htmlparser2';
import { selectAll, selectOne } from 'css-select';
import { textContent } from 'domutils';
import iconv from 'iconv-lite';
import type { Claim, Exchange, ListingPage } from './pages';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The body as text: a BOM dropped; bytes that are UTF-8 throughout read as UTF-8 whatever the
 * header declares (CJK text in UTF-8 is no GBK text), other bytes as GB18030 (a mislabelled
 * answer says what its bytes say).
 */
export function bodyText(e: Exchange): string {
  const b = e.body;
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return b.subarray(3).toString('utf8');
  const utf8 = b.toString('utf8');
  if (!utf8.includes('\ufffd')) return utf8;
  const gb = iconv.decode(b, 'gb18030');
  return gb.includes('\ufffd') ? utf8 : gb;
}

function jsonOf(text: string): unknown {
  const m = /^\s*[\w$.]+\s*\(([\s\S]*)\)\s*;?\s*$/.exec(text);
  try {
    return JSON.parse(m ? m[1]! : text) as unknown;
  } catch {
    return undefined;
  }
}

/** Text without its punctuation and spaces, full-width or half-width. */
const bare = (s: string): string => s.replace(/[\s\u3000，,。.！!：:、；;]/g, '');

const WITHHELD = new Set([
  '根据相关法律法规和政策搜索结果未予显示',
  '根据相关法律法规和政策部分搜索结果未予显示',
]);
const isWithheld = (v: unknown): boolean => typeof v === 'string' && WITHHELD.has(bare(v));
const isNoContent = (v: unknown): boolean => typeof v === 'string' && bare(v) === '这里还没有内容';
const num = (v: unknown): number | null =>
  typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : null;

function cardsOf(cards: readonly unknown[], depth = 0): Obj[] {
  const out: Obj[] = [];
  for (const c of cards) {
    if (!isObj(c)) continue;
    out.push(c);
    if (Array.isArray(c['card_group']) && depth < 3) out.push(...cardsOf(c['card_group'], depth + 1));
  }
  return out;
}

function weiboSays(reader: ListingPage['reader'], root: unknown): Claim[] {
  if (!isObj(root)) return [];
  const ok = num(root['ok']);
  const msg = root['msg'] ?? root['message'];
  if (ok === 0) return isWithheld(msg) ? ['withheld'] : isNoContent(msg) ? ['empty'] : [];
  if (ok !== 1) return [];
  const data = root['data'];
  if (!isObj(data)) return [];
  if (reader === 'weibo.hotflow') {
    if (!Array.isArray(data['data'])) return [];
    return num(data['max_id']) === 0 ? ['end'] : [];
  }
  if (!Array.isArray(data['cards'])) return [];
  const out: Claim[] = [];
  const info = data['cardlistInfo'];
  const all = cardsOf(data['cards']);
  if (
    (isObj(info) && isWithheld(info['desc'])) ||
    all.some((c) => num(c['card_type']) === 4 && isWithheld(c['desc']))
  )
    out.push('withheld');
  if (reader === 'weibo.search') {
    if (isObj(info) && 'page' in info && info['page'] === null) out.push('end');
    return out;
  }
  const endCard = all.some((c) => num(c['card_type']) === 58);
  const noPaging = isObj(info) && !('since_id' in info) && !('page' in info);
  if (
    endCard ||
    (isObj(info) && 'page' in info && info['page'] === null) ||
    (isObj(info) && num(info['since_id']) === 0) ||
    noPaging
  )
    out.push('end');
  const onlyEnd =
    endCard &&
    data['cards'].length > 0 &&
    all.every((c) => [4, 58, 11].includes(num(c['card_type']) ?? -1) && !('mblog' in c));
  if (onlyEnd) out.push('empty');
  return out;
}

/** The no-results wording the reader knows, as the simulator writes it (没有找到与“…”相关的结果). */
const NO_RESULTS = /没有找到|无相关|没有相关|暂无(?:相关)?(?:结果|内容)|0\s*条结果/;

function neteaseSearchSays(html: string): Claim[] {
  if (!/<\/(?:body|html)\s*>/i.test(html)) return [];
  const doc = parseDocument(html);
  const box = selectOne('.keyword_list', doc);
  if (!box) return [];
  if (selectAll('.keyword_new', box).length > 0) return [];
  for (const s of selectAll('script, style, template', box)) s.children = [];
  return NO_RESULTS.test(textContent(box)) ? ['empty'] : [];
}

function accountListSays(root: unknown, size: number): Claim[] {
  if (!isObj(root) || !isObj(root['data'])) return [];
  const data = root['data'];
  if (!('list' in data)) return [];
  const list = data['list'];
  if (list === null || (Array.isArray(list) && list.length === 0)) return ['empty'];
  return Array.isArray(list) && list.length < size ? ['end'] : [];
}

function commentsSays(root: unknown, limit: number): Claim[] {
  if (!isObj(root) || !Array.isArray(root['commentIds']) || !isObj(root['comments'])) return [];
  return root['commentIds'].length < limit ? ['end'] : [];
}

/** What a page positively says, by the documented rules (see the module comment). */
export function documentedClaims(page: ListingPage, e: Exchange): Claim[] {
  if (e.status !== 200) return [];
  const text = bodyText(e);
  switch (page.reader) {
    case 'weibo.search':
    case 'weibo.timeline':
    case 'weibo.hotflow':
      return weiboSays(page.reader, jsonOf(text));
    case 'netease.search':
      return neteaseSearchSays(text);
    case 'netease.mediaHome':
      return [];
    case 'netease.accountList':
      return accountListSays(jsonOf(text), 3);
    case 'netease.comments':
      return commentsSays(jsonOf(text), page.limit ?? 30);
  }
}

/** Whether `id` appears in the page as a whole token (NetEase ids in any case). */
export function idInPage(id: string, text: string): boolean {
  const esc = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^0-9A-Za-z])${esc}($|[^0-9A-Za-z])`, 'i').test(text);
}

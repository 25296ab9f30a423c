/**
 * Reading a NetEase article page: which template it is, and its title, text, source, time, media
 * and comment config. Templates (research/netease.md §1.3, §2; issue 9):
 * - `post2020`: www.163.com today, `h1.post_title` + `div.post_body`, `div.post_info`
 * - `legacy`: the older news.163.com / money.163.com pages, `#epContentLeft h1` +
 *   `#endText`/`.post_text`, `.post_time_source`, with a share bar whose count is the live comment count
 * - `dy-v2`: dy.163.com/v2 网易号 pages, `div.article_title > h2` + `div#content`, often GB2312
 * - `mobile`: m.163.com and 3g.163.com, `h1.article-title` + `section.article-body`
 * Share bars, comment counts, related links and ads are page furniture and never reach the text.
 */
import type { AnyNode } from 'domhandler';
import { isFinalOutcome, type Content, type Observation, type Outcome } from '../../domain/glossary';
import type { HttpResponse } from '../../http/types';
import { evidenceOf } from '../evidence';
import { decodeBody } from './charset';
import { isTag, isText } from 'domhandler';
import {
  all,
  attr,
  blocksOf,
  css,
  cssSet,
  innerSource,
  linesOf,
  one,
  parsePage,
  squash,
  textOf,
} from './dom';
import type { Css, Element, Page } from './dom';
import {
  destination,
  isHomeOrChannelUrl,
  isNeteaseUrl,
  isNotFoundPageUrl,
  statusOutcome,
  viaErrorIsp,
  wallOnTheWay,
} from './response';
import { beijingTimeToIso } from './time';
import { docidFromUrl, neteaseArticleUrl } from './urls';
import { maintenanceNotice, statedByWording } from './wording';

const q = cssSet([
  'meta',
  'html',
  'div.post_author, .ep-source, .ep-editor',
  '.article-source, .source',
  '.article-time, .time',
  '.post_wemedia_name a',
  '[data-wemediaid]',
  'script',
  'link[rel="canonical"]',
  'body',
  'title',
  'html, body, div',
]);

/** The article templates the parser knows. */
export type NeteaseTemplate = 'post2020' | 'legacy' | 'dy-v2' | 'mobile';

interface TemplateRule {
  readonly name: NeteaseTemplate;
  readonly title: Css;
  /** Body candidates, most specific first. */
  readonly body: readonly Css[];
  readonly info: Css;
}

/** Checked in order: the first template whose title and body both exist wins. */
const TEMPLATES: readonly TemplateRule[] = [
  {
    name: 'post2020',
    title: css('h1.post_title'),
    body: [css('div.post_body #endText'), css('div.post_body .post_text'), css('div.post_body')],
    info: css('div.post_info, .post_time_source'),
  },
  {
    name: 'legacy',
    title: css('#epContentLeft h1, div.post_content_main h1'),
    body: [css('#endText'), css('div.post_body .post_text'), css('div.post_text')],
    info: css('.post_time_source, .ep-time-soure, .ep-time-source, .post_info'),
  },
  {
    name: 'dy-v2',
    title: css('div.article_title > h2'),
    body: [css('div#content')],
    info: css('.share_box .time, .article_info .time, .time'),
  },
  {
    name: 'mobile',
    title: css('h1.article-title'),
    body: [css('section.article-body'), css('div.article-body')],
    info: css('.article-info, .article-source, .info'),
  },
];

/**
 * Page furniture inside a body: share bars and their live comment counts, comment blocks,
 * recommendations and related links, ads, app prompts, the source/editor line (read separately).
 * GNE issue #108 names the first four for 163.
 */
const NOISE = css(
  [
    '.N-nav-bottom',
    '.post_recommends',
    '.tie-areas',
    '.post_comment',
    '.post_topshare_wrap',
    '.post_topshare',
    '.post_top_share',
    '.post_top_tie',
    '.post_share',
    '.post_tie_top',
    '.post_cnum_tie',
    '.js-tiejoincount',
    '.js-tielink',
    '.post_btns',
    '.post_next_prev',
    '.share_box',
    '.share-box',
    '.article-share',
    '.post_related',
    '.related_article',
    '.article-related',
    '.related',
    '.js-open-app',
    '.article-footer',
    '.article-comment',
    '.gg200x300',
    '.ad',
    '.ad_box',
    '.post_ad',
    '.ntes_ad',
    '.article-ad',
    '[id^="ne_ad"]',
    'iframe',
    'ins',
    '.ep-source',
    '.ep-editor',
    '.post_author',
  ].join(', '),
);

/**
 * A share bar that reached the text anyway, as one line (`330 分享到： 易信 微信 QQ空间 …`) or as a run
 * of blocks (`330` / `分享到：` / `易信` / …): its number is the live comment count, so keeping it
 * would make every new comment an edit.
 */
const SHARE_ANCHOR = /^(?:\d[\d,]*\s*)?(?:人?参与\s*\d*\s*)?(?:跟贴\s*\d*\s*)?分享(?:到|至)\s*[:：]?/;
/** A count shown next to a share bar: `330`, `330跟贴`, `1,024人参与`. */
const COUNT_LINE = /^\d[\d,]*\s*(?:人参与|跟贴|条评论|评论)?$/;
/** A share target's name. */
const SHARE_TARGET =
  /^(?:易信|微信|微信好友|朋友圈|QQ空间|QQ好友|QQ|微博|新浪微博|人人网|豆瓣|LOFTER|有道云笔记|更多|复制链接)$/;

/** The paragraphs without any share bar (with its counts and targets). */
export function withoutShareBars(paragraphs: readonly string[]): string[] {
  const drop = new Set<number>();
  paragraphs.forEach((p, i) => {
    if (p.length > 80 || !SHARE_ANCHOR.test(p)) return;
    drop.add(i);
    for (let k = i - 1; k >= 0 && COUNT_LINE.test(paragraphs[k]!); k--) drop.add(k);
    for (
      let k = i + 1;
      k < paragraphs.length && (SHARE_TARGET.test(paragraphs[k]!) || COUNT_LINE.test(paragraphs[k]!));
      k++
    )
      drop.add(k);
  });
  return paragraphs.filter((_, i) => !drop.has(i));
}

/** Everything read from an article page, before any outcome decision. */
export interface NeteaseArticle {
  /** Which template matched, or null when none did (title and body not both found). */
  readonly template: NeteaseTemplate | null;
  /** The template's heading, null when absent. */
  readonly title: string | null;
  /** ISO UTC, from `html[data-publishtime]`, else the info line, else the page's time metas. */
  readonly publishedAt: string | null;
  /** The 来源 named in the info line (or `本文来源` in the author line). */
  readonly source: string | null;
  readonly sourceUrl: string | null;
  /** IP属地 shown after the location icon in `div.post_info`. */
  readonly region: string | null;
  /** Inner HTML of the body block exactly as served, null when the page has no body block. */
  readonly bodyHtml: string | null;
  /** Text blocks of the body in order, empty ones and page furniture dropped. */
  readonly paragraphs: readonly string[];
  /** Image and video URLs of the body in order. */
  readonly media: readonly string[];
  /** 责任编辑, e.g. `雷晓_NB26578`. */
  readonly editor: string | null;
  /** `productKey` and `docId` of the inline comment config. */
  readonly productKey: string | null;
  readonly docId: string | null;
  /** 网易号 fields (dy articles): `data-wemediaid`, the account name and the `T…` id of its home link. */
  readonly wemediaId: string | null;
  readonly wemediaName: string | null;
  readonly wemediaTid: string | null;
  /** `html[data-category]`. */
  readonly category: string | null;
  readonly canonicalUrl: string | null;
  /** `<meta name="robots" content="noindex">`, whose meaning on NetEase is unknown but worth keeping. */
  readonly noindex: boolean;
}

function firstMatch(re: RegExp, s: string): string | null {
  const m = re.exec(s);
  return m?.[1] ? m[1].trim() : null;
}

/** `<meta property|name=… content=…>` of the page, first one per key. */
function metasOf(page: Page): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of all(q('meta'), page.doc)) {
    const key = m.attribs['property'] ?? m.attribs['name'];
    const content = m.attribs['content'];
    if (key && content !== undefined && !out.has(key)) out.set(key, content);
  }
  return out;
}

/** Nodes under `root` in document order. */
function flatten(root: Element): AnyNode[] {
  const out: AnyNode[] = [];
  const walk = (n: AnyNode): void => {
    out.push(n);
    if (isTag(n)) for (const c of n.children) walk(c);
  };
  for (const c of root.children) walk(c);
  return out;
}

interface Info {
  readonly time: string | null;
  readonly source: string | null;
  readonly sourceUrl: string | null;
  readonly region: string | null;
  readonly sourceLink: Element | null;
}

/** Time, 来源 and IP属地 from an info line (`div.post_info`, `.post_time_source`, `.time`). */
function readInfo(el: Element | null): Info {
  if (!el) return { time: null, source: null, sourceUrl: null, region: null, sourceLink: null };
  const text = textOf(el);
  const time = firstMatch(/(\d{4}-\d{2}-\d{2} \d{2}:\d{2}(?::\d{2})?)/, text);
  let source: string | null = null;
  let sourceUrl: string | null = null;
  let region: string | null = null;
  let sourceLink: Element | null = null;
  const nodes = flatten(el);
  nodes.forEach((n, i) => {
    if (source == null && isText(n) && /来源\s*[:：]/.test(n.data)) {
      const rest = squash(n.data.split(/来源\s*[:：]/)[1] ?? '');
      if (rest) source = rest.split(' ')[0] ?? null;
      else {
        // The name sits in the next link: 来源: <a href=…>NAME</a>
        const link = nodes.slice(i + 1, i + 4).find((x): x is Element => isTag(x) && x.name === 'a');
        if (link) {
          source = textOf(link) || null;
          sourceUrl = attr(link, 'href');
          sourceLink = link;
        }
      }
    }
    if (region == null && isTag(n) && n.name === 'img' && /iplocation/i.test(attr(n, 'src') ?? '')) {
      for (const next of nodes.slice(i + 1)) {
        if (isText(next) && next.data.trim()) {
          region = next.data.trim().split(/\s+/)[0] ?? null;
          break;
        }
        if (isTag(next) && next.name !== 'span') break;
      }
    }
  });
  region ??= firstMatch(/IP属地\s*[:：]\s*(\S+)/, text);
  return { time, source, sourceUrl, region, sourceLink };
}

/** The matched template's title and body elements, or what was found of them. */
function matchTemplate(page: Page): {
  rule: TemplateRule | null;
  title: Element | null;
  body: Element | null;
} {
  let partial: { title: Element | null; body: Element | null } = { title: null, body: null };
  for (const rule of TEMPLATES) {
    const title = one(rule.title, page.doc);
    let body: Element | null = null;
    for (const sel of rule.body) {
      body = one(sel, page.doc);
      if (body) break;
    }
    if (title && body) return { rule, title, body };
    if (!partial.title && !partial.body && (title || body)) partial = { title, body };
  }
  return { rule: null, ...partial };
}

/** Reads every field of an article page; pure, tolerant of missing parts, never throws. */
export function extractArticle(html: string): NeteaseArticle {
  return extractFromPage(parsePage(html));
}

/** {@link extractArticle} on an already parsed page. */
export function extractFromPage(page: Page): NeteaseArticle {
  const { rule, title: titleEl, body } = matchTemplate(page);
  const root = one(q('html'), page.doc);
  const metas = metasOf(page);
  const title = titleEl ? textOf(titleEl) || null : null;

  let paragraphs: string[] = [];
  let media: string[] = [];
  let bodyHtml: string | null = null;
  if (body) {
    const skip = new Set<AnyNode>(all(NOISE, body));
    const blocks = blocksOf(body, skip);
    paragraphs = withoutShareBars(blocks.paragraphs);
    media = blocks.media;
    bodyHtml = innerSource(page, body);
  }

  const info = readInfo(one(rule?.info ?? TEMPLATES[0]!.info, page.doc));
  const authorText = all(q('div.post_author, .ep-source, .ep-editor'), page.doc)
    .map((e) => textOf(e))
    .join(' ');
  const editor = firstMatch(/责任编辑\s*[:：]\s*(\S+)/, authorText);
  const mobileSource = textOf(one(q('.article-source, .source'), page.doc)).replace(/^来源\s*[:：]\s*/, '');
  const source = info.source ?? firstMatch(/本文来源\s*[:：]\s*(\S+)/, authorText) ?? (mobileSource || null);

  const publishedAt =
    beijingTimeToIso(attr(root, 'data-publishtime')) ??
    beijingTimeToIso(info.time) ??
    beijingTimeToIso(metas.get('article:published_time')) ??
    beijingTimeToIso(metas.get('og:release_date')) ??
    beijingTimeToIso(
      firstMatch(
        /(\d{4}-\d{2}-\d{2} \d{2}:\d{2}(?::\d{2})?)/,
        textOf(one(q('.article-time, .time'), page.doc)),
      ),
    );

  // 网易号: the account link of post2020 pages, or (dy v2) a 来源 link to the account's home page.
  const wemediaLink =
    one(q('.post_wemedia_name a'), page.doc) ??
    (info.sourceLink && /\/(?:dy\/media|v2\/media|news\/sub)\//.test(attr(info.sourceLink, 'href') ?? '')
      ? info.sourceLink
      : null);
  const wemediaName = wemediaLink ? textOf(wemediaLink) || null : null;
  const wemediaTid = firstMatch(
    /\/(?:dy\/media|v2\/media|news\/sub)\/(T\d+)/,
    attr(wemediaLink, 'href') ?? '',
  );
  const wemediaId = attr(one(q('[data-wemediaid]'), page.doc), 'data-wemediaid')?.trim() || null;

  const scripts = all(q('script'), page.doc)
    .map((s) => s.children.map((c) => (isText(c) ? c.data : '')).join(''))
    .join('\n');
  const robots = metas.get('robots') ?? null;

  return {
    template: rule?.name ?? null,
    title,
    publishedAt,
    source,
    sourceUrl: info.sourceUrl,
    region: info.region,
    bodyHtml,
    paragraphs,
    media,
    editor,
    productKey: firstMatch(/["']?productKey["']?\s*:\s*["']([0-9A-Za-z]+)["']/, scripts),
    docId: firstMatch(/["']?docId["']?\s*:\s*["']([A-Za-z0-9]{16})["']/, scripts),
    wemediaId,
    wemediaName,
    wemediaTid,
    category: attr(root, 'data-category') || null,
    canonicalUrl: attr(one(q('link[rel="canonical"]'), page.doc), 'href'),
    noindex: robots != null && /noindex/i.test(robots),
  };
}

// ───────────────────────────── outcome rule ─────────────────────────────

/** Content of an alive NetEase article: the common {@link Content} plus what only NetEase shows. */
export interface NeteaseArticleContent extends Content {
  readonly template: NeteaseTemplate;
  readonly source: string | null;
  readonly sourceUrl: string | null;
  readonly editor: string | null;
  readonly productKey: string | null;
  readonly docId: string | null;
  readonly wemediaId: string | null;
  readonly category: string | null;
  readonly noindex: boolean;
}

/** Below this much visible text (scripts left out), a page that carries scripts is script-only. */
const SCRIPT_ONLY_MAX_CHARS = 40;

/** Words of a page that asks to log in before showing anything. */
const LOGIN_WALL = /请先登录|登录后查看|登录后才能|需要登录后/;

/**
 * What a page says instead of absence, when it is a maintenance page, a login wall or a script-only challenge;
 * null for any other page (an empty body included).
 */
function otherStatement(res: HttpResponse): string | null {
  if (res.body.length === 0) return null;
  const page = parsePage(decodeBody(res.body, res.headers['content-type']).text);
  const visible = textOf(one(q('body'), page.doc) ?? page.doc, true) || textOf(one(q('title'), page.doc));
  const maintenance = maintenanceNotice(visible);
  if (maintenance) return `maintenance page: ${maintenance}`;
  // A captcha or a rate-limit page says the request was refused, not that the article is gone.
  const blocked = statedByWording(visible);
  if (blocked && (blocked.outcome === 'captcha' || blocked.outcome === 'rate_limited'))
    return `${blocked.outcome} page: ${blocked.message}`;
  // A login wall says the request lacked a session, not that the article is gone.
  const wall = LOGIN_WALL.exec(visible);
  if (wall) return `login page: ${wall[0]}`;
  if (all(q('script'), page.doc).length > 0 && textOf(page.doc).length < SCRIPT_ONLY_MAX_CHARS)
    return 'script-only page (a challenge?)';
  return null;
}

/**
 * True when a page is an article's own page, whatever its template: it carries the article's
 * publish time (`html[data-publishtime]`, `article:published_time`) or its comment config. Notice
 * pages carry neither, so wording on such a page is the article's text, never a statement.
 */
function isArticlePage(page: Page, a: NeteaseArticle, docid: string): boolean {
  const root = one(q('html'), page.doc);
  if (attr(root, 'data-publishtime')) return true;
  const metas = metasOf(page);
  if (metas.has('article:published_time') || metas.get('og:type') === 'article') return true;
  return a.docId === docid;
}

/** True for a page that opened `<html>` or `<body>` and never closed it (a fragment is not cut off). */
function openedNotClosed(html: string): boolean {
  return isCutOff(html) && /<(?:html|body)\b/i.test(html);
}

/** True when the markup was cut off: served pages end with `</html>` (or at least `</body>`). */
function isCutOff(html: string): boolean {
  return !/<\/(?:html|body)\s*>/i.test(html.slice(-4096));
}

/** True when a body is this article's page in a known template (title and body, naming no other DOCID). */
function servesArticle(res: HttpResponse, docid: string): boolean {
  if (res.body.length === 0) return false;
  const a = extractArticle(decodeBody(res.body, res.headers['content-type']).text);
  if (!a.template || !a.title || a.bodyHtml == null) return false;
  const named = [a.docId, a.canonicalUrl ? docidFromUrl(a.canonicalUrl) : null].filter(
    (d): d is string => d != null,
  );
  return named.length === 0 || named.includes(docid);
}

/**
 * Turns an article page response into an observation of `docid`. Pure: never fetches, never throws.
 *
 * The absence rule: a final outcome only from a positive statement of absence —
 * - HTTP 404/410 from the article's own address (the fetched URL, or a redirect to the same DOCID),
 *   unless its body is the article's own page, which contradicts it
 * - a redirect to a 163.com home, channel or `/404` page
 * - a short page whose own (non-link) text states it (页面不存在, 该文章已被删除, …, research §4.5)
 *
 * Everything else that is not an article is transient: the CDN's `error_isp.html` and 5xx →
 * `server_error`; 403/418/429/432 and rate wording → `rate_limited`; verification wording →
 * `captcha`; and a maintenance page, a script-only challenge, a cut-off page, a redirect elsewhere
 * or a template the parser does not know → `unparseable`, body kept, whatever its size.
 */
export function parseArticle(res: HttpResponse, at: number, docid: string): Observation {
  // The channel the article was fetched at (/dy/, /world/, …) is part of its address; keep it.
  const fetched = res.url.replace(/^http:/i, 'https:').split(/[?#]/)[0] ?? '';
  const url =
    /^https:\/\/www\.163\.com\/[a-z0-9]+\/article\//i.test(fetched) && docidFromUrl(fetched) === docid
      ? fetched
      : neteaseArticleUrl(docid);
  const base = {
    target: { platform: 'netease', kind: 'post', id: docid },
    at,
    endpoint: 'netease.article',
    url,
    evidence: evidenceOf(res),
  } as const;
  const obs = (outcome: Outcome, message?: string): Observation => ({
    ...base,
    outcome,
    ...(message ? { message } : {}),
  });

  if (viaErrorIsp(res)) {
    return obs('server_error', 'CDN error_isp redirect: request rejected or misrouted, not a removal');
  }
  const dest = destination(res);
  const redirected = res.redirects.length > 0 || dest !== res.url;
  const byStatus = statusOutcome(res.status);
  if (byStatus) {
    if (byStatus.outcome !== 'gone_unspecified') return obs(byStatus.outcome, byStatus.message);
    // 404/410 is a statement of absence only from the article's own address.
    const own = !redirected || (isNeteaseUrl(dest) && docidFromUrl(dest) === docid);
    if (!own) {
      // Sent to the portal's own not-found page, which answers 404 itself, as music.163.com's /404 does (research §4.4).
      if (isNotFoundPageUrl(dest) && !wallOnTheWay(res) && !otherStatement(res))
        return obs('gone_unspecified', `redirected to ${dest} (${byStatus.message})`);
      return obs('unparseable', `${byStatus.message} at ${dest}`);
    }
    // A maintenance page or a script challenge served with a 404 says the site is busy, not the article gone.
    const other = otherStatement(res);
    if (other) return obs('unparseable', `${other} (${byStatus.message})`);
    // The article itself served with a 404 contradicts itself: neither the status nor the page is believed.
    if (servesArticle(res, docid))
      return obs('unparseable', `${byStatus.message} carrying the article's own page`);
    return obs(byStatus.outcome, byStatus.message);
  }

  const isRedirectStatus = res.status >= 300 && res.status < 400;
  if (isRedirectStatus || redirected) {
    const destDocid = docidFromUrl(dest);
    if (destDocid == null) {
      if (!isHomeOrChannelUrl(dest)) return obs('unparseable', `redirected to ${dest}`);
      // Sent home by a login or captcha page on the way: the wall decided where, not the article's absence.
      const wall = wallOnTheWay(res);
      if (wall) return obs('unparseable', `redirected to ${dest} through ${wall}`);
      // A home page that turns out to be a maintenance page or a challenge is not where removed articles go.
      const other = isRedirectStatus ? null : otherStatement(res);
      return other
        ? obs('unparseable', `redirected to ${dest}: ${other}`)
        : obs('gone_unspecified', `redirected to ${dest}`);
    }
    if (destDocid !== docid) return obs('unparseable', `redirected to another article: ${dest}`);
    // Same article at another URL (mobile, dy v2, a dated news URL): read what was served.
    if (isRedirectStatus) return obs('unparseable', `redirect to ${dest} not followed`);
  }
  if (res.status !== 200) return obs('unparseable', `HTTP ${res.status}`);
  if (res.body.length === 0) return obs('unparseable', 'empty body');

  const { text: html } = decodeBody(res.body, res.headers['content-type']);
  const page = parsePage(html);
  const a = extractFromPage(page);
  if (a.template && a.title && a.bodyHtml != null) {
    if (isCutOff(html)) return obs('unparseable', `${a.template} page cut off before </html>`);
    // A page that names only another DOCID (a mirror or a redirect that served another article) shows nothing of this one.
    const named = [a.docId, a.canonicalUrl ? docidFromUrl(a.canonicalUrl) : null].filter(
      (d): d is string => d != null,
    );
    if (named.length > 0 && !named.includes(docid))
      return obs('unparseable', `page is another article (${named[0]!}), not ${docid}`);
    const content: NeteaseArticleContent = {
      title: a.title,
      html: a.bodyHtml,
      text: a.paragraphs.join('\n'),
      author: { id: a.wemediaId ?? a.wemediaTid, name: a.wemediaName ?? a.source },
      createdAt: a.publishedAt,
      // Comment counts are filled in by script and change with every comment: never content.
      counts: { reposts: null, comments: null, likes: null },
      media: a.media,
      repostOf: null,
      editCount: null,
      region: a.region,
      template: a.template,
      source: a.source,
      sourceUrl: a.sourceUrl,
      editor: a.editor,
      productKey: a.productKey,
      docId: a.docId,
      wemediaId: a.wemediaId,
      category: a.category,
      noindex: a.noindex,
    };
    return { ...base, outcome: 'alive', content };
  }

  // Link texts are headlines and navigation; a notice about this article is plain text, one line per block.
  const visible =
    linesOf(one(q('body'), page.doc) ?? page.doc, true, true) || textOf(one(q('title'), page.doc));
  // A notice is a page: a body that is not HTML (JSON, plain text) states nothing, whatever it contains.
  if (!one(q('html, body, div'), page.doc)) return obs('unparseable', 'not an HTML page');
  const maintenance = maintenanceNotice(visible);
  if (maintenance) return obs('unparseable', `maintenance page: ${maintenance}`);
  // An article's own page in a template the parser does not know may quote any notice.
  const stated = isArticlePage(page, a, docid) ? null : statedByWording(visible);
  if (stated && isFinalOutcome(stated.outcome)) {
    // A notice is said in the page's text: a <title> alone names the page, and a page cut off before
    // its end might have gone on to say anything.
    if (!linesOf(one(q('body'), page.doc) ?? page.doc, true, true))
      return obs('unparseable', `notice in the <title> only: ${stated.message}`);
    if (openedNotClosed(html))
      return obs('unparseable', `notice page cut off before its end: ${stated.message}`);
  }
  if (stated) return obs(stated.outcome, stated.message);
  if (all(q('script'), page.doc).length > 0 && textOf(page.doc).length < SCRIPT_ONLY_MAX_CHARS) {
    return obs('unparseable', 'script-only page (a challenge?): no article and no notice');
  }
  if (a.title || a.bodyHtml != null) {
    return obs('unparseable', a.title ? 'article title without a body block' : 'body block without a title');
  }
  return obs('unparseable', 'unknown template: no known title and body, and no notice of absence');
}

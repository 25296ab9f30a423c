/**
 * NetEase's wire formats as the simulator writes them: the post2020 article template of the real
 * captured page (test/fixtures/reference/netease/article_news_KC12OUHK000189FH.trimmed.html), the
 * 网易号 home page, the search page, list.do JSON and the comment API, after research/netease.md.
 */
import iconv from 'iconv-lite';
import { fillTemplate, POST2020_TEMPLATE } from './templates';

const CHINA_OFFSET = 8 * 3_600_000;
const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** `YYYY-MM-DD HH:MM:SS` in Beijing time, the form of `data-publishtime`, `post_info` and `ptime`. */
export function beijingTime(ms: number): string {
  const d = new Date(ms + CHINA_OFFSET);
  return (
    `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ` +
    `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`
  );
}

/** ISO 8601 with the +08:00 offset, the form of `article:published_time`. */
export function beijingIso(ms: number): string {
  return `${beijingTime(ms).replace(' ', 'T')}+08:00`;
}

/** HTML-escapes text for markup. */
export function esc(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
}

/** The HTML page as bytes in its charset; GBK through iconv-lite, as old 163 subdomains served it. */
export function encodePage(html: string, charset: 'utf-8' | 'gbk'): Buffer {
  return charset === 'gbk' ? iconv.encode(html, 'gbk') : Buffer.from(html, 'utf8');
}

/** The Content-Type of a page in `charset`. */
export function htmlType(charset: 'utf-8' | 'gbk'): string {
  return charset === 'gbk' ? 'text/html; charset=GBK' : 'text/html; charset=utf-8';
}

/** Channel display names for crumbs, titles and categories. */
const CHANNELS: Readonly<Record<string, { name: string; home: string; category: string }>> = {
  news: { name: '新闻', home: 'https://news.163.com/', category: '新闻' },
  world: { name: '国际', home: 'https://news.163.com/world/', category: '国际' },
  money: { name: '财经', home: 'https://money.163.com/', category: '财经' },
  dy: { name: '网易号', home: 'https://www.163.com/dy/', category: '网易号' },
  www: { name: '网易', home: 'https://www.163.com/', category: '网易' },
};

/** Display name, home page and category of a channel. */
export function channelInfo(channel: string): { name: string; home: string; category: string } {
  return CHANNELS[channel] ?? { name: channel, home: `https://www.163.com/${channel}/`, category: channel };
}

/** An image of a body, served through NetEase's resizer with the original in `url=` (research §2). */
export function imageUrl(docid: string, index: number, createdAt: number, dy: boolean): string {
  const d = new Date(createdAt + CHINA_OFFSET);
  const day = `${d.getUTCFullYear()}%2F${pad2(d.getUTCMonth() + 1)}${pad2(d.getUTCDate())}`;
  const host = dy ? 'dingyue.ws.126.net' : 'cms-bucket.ws.126.net';
  const name = `${docid.toLowerCase().slice(0, 8)}j00r${index}${docid.slice(8).toLowerCase()}`;
  return `https://nimg.ws.126.net/?url=http%3A%2F%2F${host}%2F${day}%2F${name}.jpg&thumbnail=660x2147483647&quality=80&type=jpg`;
}

/** What the article template needs. */
export interface ArticleView {
  readonly docid: string;
  readonly channel: string;
  readonly title: string;
  readonly paragraphs: readonly string[];
  readonly images: number;
  readonly source: string;
  readonly region: string;
  readonly editor: string | null;
  readonly createdAt: number;
  readonly charset: 'utf-8' | 'gbk';
  readonly productKey: string;
  /** Present for 网易号 articles. */
  readonly account: { readonly tid: string; readonly wemediaId: string; readonly name: string } | null;
}

/** The canonical desktop URL of an article. */
export function articleUrl(channel: string, docid: string): string {
  return `https://www.163.com/${channel}/article/${docid}.html`;
}

/** Site navigation above every page; links only, which parsers must not take for content. */
export function navBar(): string {
  return `<div class="ntes_nav_wrap" id="js_N_NTES_wrap">
    <div class="ntes-nav" id="js_N_nav">
        <a href="https://www.163.com/">网易首页</a> <a href="https://news.163.com/">新闻</a> <a href="https://sports.163.com/">体育</a>
        <a href="https://money.163.com/">财经</a> <a href="https://www.163.com/dy/">网易号</a> <a href="https://tech.163.com/">科技</a>
    </div>
</div>`;
}

/** Caption under each body picture, as real pages print one. */
export const IMAGE_CAPTION = '图片来源：网络截图';

/**
 * The body's blocks in order: each paragraph, and after the first and then every other one, while
 * pictures remain, a picture (null) followed by its caption.
 */
export function bodyBlocks(paragraphs: readonly string[], images: number): (string | null)[] {
  const out: (string | null)[] = [];
  let img = 0;
  paragraphs.forEach((p, i) => {
    out.push(p);
    if (img < images && i % 2 === 0) {
      out.push(null, IMAGE_CAPTION);
      img++;
    }
  });
  return out;
}

/** The body blocks of an article as post2020 `<p>`s and pictures. */
export function bodyHtml(v: ArticleView): string {
  let img = 0;
  return bodyBlocks(v.paragraphs, v.images)
    .map((b) =>
      b === null
        ? `<p class="f_center"><img onerror="javascript:this.style.opacity = 0;" src="${esc(imageUrl(v.docid, img++, v.createdAt, v.account !== null))}" style="margin: 0px auto; display: block;" /></p>`
        : `<p>${esc(b)}</p>`,
    )
    .join('');
}

/**
 * An article page in the post2020 template, filled into the real capture ({@link POST2020_TEMPLATE}):
 * `html#ne_wrap[data-publishtime]`, head metas and canonical link, `h1.post_title`, `div.post_info`
 * (time, 来源 link, IP属地 after the location icon, 举报), `div.post_body`, `div.post_author` (news),
 * the comment block and its inline config (`productKey`, `docId`). 网易号 pages add
 * `div#contain[data-wemediaid]` and `div.post_wemedia_name a`.
 */
export function articlePage(v: ArticleView): string {
  const url = articleUrl(v.channel, v.docid);
  const ch = channelInfo(v.channel);
  const wemedia = v.account
    ? `
        <div class="post_side">
            <div class="post_wemedia">
                <div class="post_wemedia_avatar"><a href="https://www.163.com/dy/media/${v.account.tid}.html"><img src="https://dingyue.ws.126.net/${v.account.wemediaId.slice(1, 9)}/avatar.png" alt="${esc(v.account.name)}"></a></div>
                <div class="post_wemedia_info">
                    <div class="post_wemedia_name"><a href="https://www.163.com/dy/media/${v.account.tid}.html">${esc(v.account.name)}</a></div>
                    <div class="post_wemedia_title">${esc(v.account.name)}</div>
                </div>
            </div>
        </div>`
    : '';
  const author = v.account
    ? ''
    : `
                <div class="post_author">
                    <a href="https://news.163.com/"><img src="https://static.ws.126.net/cnews/css13/img/end_news.png" alt="" width="13" height="12" class="icon"></a>
                    本文来源：${esc(v.source)}
                    责任编辑：
                    ${esc(v.editor ?? '')}
                </div>`;
  return fillTemplate(POST2020_TEMPLATE, {
    metaCharset: v.charset === 'gbk' ? '\n    <meta charset="gbk">' : '',
    title: esc(v.title),
    description: esc(v.title),
    keywords: '联合国,决议,投票',
    channelName: esc(ch.name),
    channelHome: ch.home,
    siteSuffix: v.account ? '网易订阅' : '网易新闻',
    category: esc(ch.category),
    time: beijingTime(v.createdAt),
    isoTime: beijingIso(v.createdAt),
    url,
    mobileUrl: `https://m.163.com/${v.channel}/article/${v.docid}.html`,
    navBar: navBar(),
    wemediaAttr: v.account ? ` data-wemediaid="${v.account.wemediaId}"` : '',
    sourceHref: v.account ? `https://www.163.com/dy/media/${v.account.tid}.html` : 'https://news.163.com/',
    source: esc(v.source),
    region: esc(v.region),
    titleParam: encodeURIComponent(v.title),
    body: bodyHtml(v),
    author,
    docid: v.docid,
    productKey: v.productKey,
    wemedia,
  });
}

/** An item of a listing page. */
export interface ListedView {
  readonly docid: string;
  readonly channel: string;
  readonly title: string;
  readonly createdAt: number;
  readonly source: string;
  readonly image: string | null;
}

/**
 * A 网易号 home page `www.163.com/dy/media/T….html`, server-rendered: the account head
 * (`.head_img`, `h2`, `.icon_line.desc`), `data-wemediaid`, and the article list in
 * `div.content_left.tab_wrap.js-list-tab-box` → `.tab_content ul li` (`a.img img`, `h4 a.title`,
 * `div.tail span.time` as `YYYY-MM-DD HH:MM`). The sidebar links elsewhere and carries no articles.
 */
export function mediaHomePage(
  account: { tid: string; wemediaId: string; name: string; description: string },
  items: readonly ListedView[],
): string {
  const lis = items
    .map((it) => {
      const url = articleUrl(it.channel, it.docid);
      const img = it.image ? `<a class="img" href="${url}"><img src="${esc(it.image)}" alt=""></a>` : '';
      return `<li class="js-item">${img}<h4><a class="title" href="${url}">${esc(it.title)}</a></h4><div class="tail"><span class="time">${beijingTime(it.createdAt).slice(0, 16)}</span></div></li>`;
    })
    .join('\n                ');
  return `<!DOCTYPE html>
<html>
<head>
    <meta charset="utf-8">
    <title>${esc(account.name)} - 网易号</title>
</head>
<body>
${navBar()}
<div class="media_head" data-wemediaid="${account.wemediaId}">
    <div class="head_img"><img src="https://dingyue.ws.126.net/${account.wemediaId.slice(1, 9)}/avatar.png" alt=""></div>
    <h2>${esc(account.name)}</h2>
    <div class="icon_line desc">${esc(account.description)}</div>
</div>
<div class="media_main clearfix">
    <div class="content_left tab_wrap js-list-tab-box">
        <div class="tab_content">
            <ul>
                ${lis}
            </ul>
        </div>
    </div>
    <div class="content_right">
        <h3>热门网易号</h3>
        <ul><li><a href="https://www.163.com/dy/">更多网易号</a></li></ul>
    </div>
</div>
</body>
</html>`;
}

/**
 * The keyword search page `www.163.com/search?keyword=…`: `div.keyword_list` → `div.keyword_new`
 * items, each with `h3 a`, a `div.keyword_img a` thumbnail and a source and time line.
 */
export function searchPage(keyword: string, items: readonly ListedView[]): string {
  const hits = items
    .map((it) => {
      const url = articleUrl(it.channel, it.docid);
      const img = it.image
        ? `<div class="keyword_img"><a href="${url}"><img src="${esc(it.image)}" alt=""></a></div>`
        : '';
      return `<div class="keyword_new">${img}<h3><a href="${url}">${esc(it.title)}</a></h3><div class="keyword_time"><span class="keyword_source">${esc(it.source)}</span> <span class="time">${beijingTime(it.createdAt)}</span></div></div>`;
    })
    .join('\n        ');
  const notice =
    items.length === 0 ? `<p class="keyword_none">没有找到与“${esc(keyword)}”相关的结果</p>` : '';
  return `<!DOCTYPE html>
<html>
<head>
    <meta charset="utf-8">
    <title>${esc(keyword)}_网易搜索</title>
</head>
<body>
${navBar()}
<div class="search_main">
    <div class="keyword_list">
        ${hits}${notice}
    </div>
</div>
</body>
</html>`;
}

/** A channel home page (`www.163.com/<channel>/`), where retired articles may be sent. */
export function channelPage(channel: string, headlines: readonly ListedView[]): string {
  const ch = channelInfo(channel);
  const links = headlines
    .map((h) => `<li><a href="${articleUrl(h.channel, h.docid)}">${esc(h.title)}</a></li>`)
    .join('');
  return `<!DOCTYPE html>
<html>
<head>
    <meta charset="utf-8">
    <title>${esc(ch.name)}_网易</title>
</head>
<body>
${navBar()}
<div class="channel_main"><h2>${esc(ch.name)}</h2><ul class="news_list">${links}</ul></div>
</body>
</html>`;
}

/**
 * A 200 page with the site furniture and a short notice of absence instead of an article, in the
 * generic soft-404 wordings of research §4.5: "page does not exist" or "the article was deleted".
 */
export function softNotFoundPage(notice: 'not_found' | 'deleted'): string {
  const text = notice === 'not_found' ? '抱歉，您访问的页面不存在。' : '抱歉，该文章已被删除。';
  const body = `<div class="error_box"><p class="error_text">${text}</p><p><a href="https://www.163.com/">返回网易首页</a></p></div>`;
  return `<!DOCTYPE HTML>
<html id="ne_wrap">
<head>
    <meta charset="utf-8">
    <title>网易</title>
</head>
<body>
${navBar()}
${body}
</body></html>`;
}

/** The page behind a 404 or 410 answer. */
export function notFoundPage(status: number): string {
  return `<html>\r\n<head><title>${status} Not Found</title></head>\r\n<body>\r\n<center><h1>${status} Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
}

/** A CDN/upstream 5xx page. */
export function serverErrorPage(status: number): string {
  const phrase =
    status === 503 ? 'Service Temporarily Unavailable' : status === 504 ? 'Gateway Time-out' : 'Bad Gateway';
  return `<html>\r\n<head><title>${status} ${phrase}</title></head>\r\n<body>\r\n<center><h1>${status} ${phrase}</h1></center>\r\n<hr><center>Cdn Cache Server V2.0</center>\r\n</body>\r\n</html>\r\n`;
}

/** The CDN's page for rejected or misrouted requests (`/special/0077jt/error_isp.html`). */
export function errorIspPage(): string {
  return `<!DOCTYPE html>
<html>
<head>
    <meta charset="utf-8">
    <title>网易</title>
</head>
<body>
<div class="error_isp"><p>您的访问出现了异常，请稍后刷新重试。</p><p><a href="https://www.163.com/">网易首页</a></p></div>
</body>
</html>`;
}

/** One item of `dy.163.com/v2/article/list.do`'s `data.list` (fields per research §1.4). */
export function listDoItem(it: ListedView): Record<string, unknown> {
  return {
    docid: it.docid,
    title: it.title,
    ptime: beijingTime(it.createdAt),
    source: it.source,
    imgsrc: it.image ?? '',
  };
}

/** A comment as the comment API writes it (research §3.3, the real hotList capture). */
export interface CommentView {
  readonly commentId: number;
  readonly docid: string;
  readonly productKey: string;
  readonly content: string;
  readonly createdAt: number;
  readonly vote: number;
  readonly against: number;
  readonly buildLevel: number;
  readonly anonymous: boolean;
  readonly location: string;
  readonly nickname: string;
  readonly userId: number;
  readonly device: string;
  readonly ip: string;
  /** Listed with NetEase's deleted mark. @defaultValue false */
  readonly deleted?: boolean;
}

/** The comment object of a `comments` map. */
export function commentJson(c: CommentView): Record<string, unknown> {
  // Anonymous comments carry only the location and userId 0 (real capture).
  const user = c.anonymous
    ? { location: c.location, userId: 0 }
    : {
        avatar: `http://cms-bucket.nosdn.127.net/sim/${c.userId}.jpg`,
        // Real ids are base64 of an account name or e-mail; this one encodes a made-up name.
        id: Buffer.from(`sim${c.userId}@163.com`).toString('base64'),
        incentiveInfoList: [],
        location: c.location,
        nickname: c.nickname,
        redNameInfo: [],
        userId: c.userId,
        userType: 1,
        vipInfo: '',
      };
  return {
    against: c.against,
    anonymous: c.anonymous,
    buildLevel: c.buildLevel,
    commentId: c.commentId,
    commentType: 0,
    content: c.content,
    createTime: beijingTime(c.createdAt),
    deviceInfo: { deviceName: c.device },
    favCount: 0,
    ip: c.ip,
    isDel: c.deleted ?? false,
    postId: `${c.docid}_${c.commentId}`,
    productKey: c.productKey,
    shareCount: 0,
    siteName: '网易',
    source: 'ph',
    unionState: false,
    user,
    vote: c.vote,
  };
}

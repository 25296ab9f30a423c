/**
 * The other article templates the simulated NetEase serves, and the pages that are not articles
 * and not notices either. No capture of any of these exists (research/netease.md §2, §7): they are
 * built from the research notes' and issue 9's descriptions, and each says which parts it invents.
 * - {@link mobilePage}: m.163.com / 3g.163.com (`h1.article-title`, `section.article-body`,
 *   `html[data-publishtime]`; RSSHub's 3g selectors: `og:title` with `_手机网易网`, `og:release_date`)
 * - {@link dyV2Page}: dy.163.com/v2 网易号 (`div.article_title > h2`, `div#content`, `.time > span`),
 *   GB2312 declared only in `<meta http-equiv>`
 * - {@link legacyPage}: older news.163.com / money.163.com (`#epContentLeft h1`, `.post_time_source`,
 *   `div.post_body` → share bar with the live comment count, then `div.post_text#endText`), GBK
 * - {@link maintenancePage}, {@link challengePage}, {@link unknownTemplatePage}, {@link cutOff}
 */
import { beijingTime, bodyBlocks, channelInfo, esc, imageUrl, navBar } from './format';
import type { ArticleView } from './format';

/** The article's pictures and paragraphs as `<p>`s in the given picture markup. */
function blocksHtml(v: ArticleView, picture: (src: string) => string): string {
  let img = 0;
  return bodyBlocks(v.paragraphs, v.images)
    .map((b) =>
      b === null ? picture(imageUrl(v.docid, img++, v.createdAt, v.account !== null)) : `<p>${esc(b)}</p>`,
    )
    .join('\n');
}

/** A video the mobile template shows for articles that have pictures (the first one's poster). */
export function videoUrl(docid: string): string {
  return `https://flv3.bn.netease.com/videolib1/sim/${docid.toLowerCase()}/SD/movie_index.m3u8`;
}

/** The mobile URL a www article redirects mobile clients to (NetEase's own script, research §1.3). */
export function mobileUrl(docid: string): string {
  return `https://m.163.com/touch/article.html?docid=${docid}&spss=adap_pc`;
}

/** The older dy article URL (2017–2019), research §1.2. */
export function dyV2Url(docid: string): string {
  return `http://dy.163.com/v2/article/detail/${docid}.html`;
}

/** The legacy dated URL `https://<sub>.163.com/yy/mmdd/hh/<DOCID>.html` (research §1.2). */
export function legacyUrl(channel: string, docid: string, createdAt: number): string {
  const [date, time] = beijingTime(createdAt).split(' ') as [string, string];
  const sub = channel === 'money' ? 'money' : 'news';
  return `https://${sub}.163.com/${date.slice(2, 4)}/${date.slice(5, 7)}${date.slice(8, 10)}/${time.slice(0, 2)}/${docid}.html`;
}

/**
 * The m.163.com article page. Invented beyond the selectors named in research: the header and info
 * markup, the video block and the footer with the comment count and the app prompt.
 */
export function mobilePage(v: ArticleView, commentCount: number): string {
  const time = beijingTime(v.createdAt);
  const video =
    v.images > 0
      ? `\n<div class="video"><video src="${videoUrl(v.docid)}" poster="${esc(imageUrl(v.docid, 0, v.createdAt, v.account !== null))}" controls></video></div>`
      : '';
  return `<!DOCTYPE html>
<html data-publishtime="${time}" data-docid="${v.docid}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1,maximum-scale=1,user-scalable=no">
<title>${esc(v.title)}_手机网易网</title>
<meta property="og:title" content="${esc(v.title)}_手机网易网">
<meta property="og:release_date" content="${time}">
<link rel="canonical" href="https://www.163.com/${v.channel}/article/${v.docid}.html">
</head>
<body>
<header class="m-header"><a class="logo" href="https://m.163.com/">网易</a><a class="open-app js-open-app" href="https://m.163.com/newsapp/">打开</a></header>
<article class="article-box">
<div class="article-header">
<h1 class="article-title">${esc(v.title)}</h1>
<div class="article-info"><span class="article-source">${esc(v.source)}</span> <span class="article-time">${time}</span></div>
</div>
<section class="article-body">
${blocksHtml(v, (src) => `<div class="photo"><img data-src="${esc(src)}" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt=""></div>`)}${video}
<div class="js-open-app article-open">打开网易新闻 查看精彩图片</div>
</section>
<div class="article-footer"><a class="comment-count" href="https://m.163.com/newsapp/applinks.html?docid=${v.docid}">${commentCount}跟贴</a><a class="share" href="#">分享</a></div>
<div class="related"><h3>相关推荐</h3><ul><li><a href="https://m.163.com/news/">更多新闻</a></li></ul></div>
</article>
</body>
</html>`;
}

/**
 * The dy.163.com/v2 网易号 article page, GB2312 declared only in `<meta http-equiv>` (the header says
 * just `text/html`). Invented beyond the selectors named in research: the share box around `.time`,
 * the account link and the footer.
 */
export function dyV2Page(v: ArticleView): string {
  const account = v.account;
  const home = account ? `http://dy.163.com/v2/media/${account.tid}.html` : 'http://dy.163.com/';
  return `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />
<title>${esc(v.title)}_网易订阅</title>
<meta name="keywords" content="${esc(v.title)}" />
</head>
<body>
<div class="wrap" id="contain"${account ? ` data-wemediaid="${account.wemediaId}"` : ''}>
<div class="article_box">
<div class="article_title"><h2>${esc(v.title)}</h2></div>
<div class="share_box">
<p class="time"><span>${beijingTime(v.createdAt)}</span><span>来源: <a href="${home}">${esc(v.source)}</a></span></p>
<div class="share"><span>分享到：</span><a href="#">微信</a><a href="#">微博</a><a href="#">QQ空间</a></div>
</div>
<div class="content" id="content">
${blocksHtml(v, (src) => `<p class="f_center"><img src="${esc(src)}" /></p>`)}
</div>
<div class="article_copyright">本文由网易号作者原创发布，不代表网易立场。</div>
</div>
</div>
</body>
</html>`;
}

/**
 * An older news.163.com / money.163.com article page (GBK). The share bar sits in `div.post_body`
 * before `#endText`, with the thread's live comment count (`330 分享到： 易信 微信 QQ空间 …`): a
 * parser that reads all of `div.post_body` sees a new text with every comment. Invented beyond the
 * selectors named in research: the share bar's markup, the source line and the buttons.
 */
export function legacyPage(v: ArticleView, commentCount: number): string {
  const ch = channelInfo(v.channel === 'money' ? 'money' : 'news');
  return `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="content-type" content="text/html;charset=GBK" />
<title>${esc(v.title)}_网易${esc(ch.name)}</title>
</head>
<body>
${navBar()}
<div class="post_content_wrap clearfix">
<div class="post_content_main" id="epContentLeft">
<h1>${esc(v.title)}</h1>
<div class="post_time_source">${beijingTime(v.createdAt)}\u3000来源: <a id="ne_article_source" href="${ch.home}">${esc(v.source)}</a></div>
<div class="post_body">
<div class="post_topshare_wrap">
<div class="post_tie_top"><a class="post_cnum_tie js-tielink js-tiejoincount" href="http://comment.tie.163.com/${v.docid}.html">${commentCount}</a></div>
<div class="post_topshare"><div class="post_share_tit">分享到：</div><ul class="post_share"><li><a href="#">易信</a></li><li><a href="#">微信</a></li><li><a href="#">QQ空间</a></li><li><a href="#">微博</a></li><li><a href="#">更多</a></li></ul></div>
</div>
<div class="post_text" id="endText" style="border-top:1px solid #ddd;">
${blocksHtml(v, (src) => `<p class="f_center"><img alt="" src="${esc(src)}" /><br /></p>`)}
<div class="ep-source cDGray"><span class="left"> 本文来源：${esc(v.source)} </span><span class="ep-editor">责任编辑：${esc(v.editor ?? '')}</span></div>
</div>
<div class="post_btns"><a class="post_btn_tie" href="http://comment.tie.163.com/${v.docid}.html">${commentCount}跟贴</a></div>
</div>
</div>
</div>
</body>
</html>`;
}

/** The site-wide maintenance page (系统维护中): it says nothing about any article. Invented. */
export function maintenancePage(): string {
  return `<!DOCTYPE html>
<html>
<head><meta charset="utf-8"><title>系统维护中</title></head>
<body>
<div class="maintain"><h1>系统维护中</h1><p>网易新闻正在进行系统升级维护，给您带来的不便敬请谅解，请稍后再访问。</p><p><a href="https://www.163.com/">返回网易首页</a></p></div>
</body>
</html>`;
}

/** A script-only challenge: sets a cookie and reloads, nothing visible. Invented. */
export function challengePage(token: string): string {
  return `<!DOCTYPE html>
<html>
<head><meta charset="utf-8"><script>(function(){var t="${token}",h=0;for(var i=0;i<t.length;i++){h=(h*31+t.charCodeAt(i))>>>0}document.cookie="__ntes_cw="+h.toString(16)+"; path=/";location.reload()})();</script></head>
<body></body>
</html>`;
}

/**
 * An article in a template the parser does not know (a redesign): title and text are there, under
 * class names no selector names. Invented.
 */
export function unknownTemplatePage(v: ArticleView): string {
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>${esc(v.title)}_网易</title></head>
<body>
${navBar()}
<main class="nr-article">
<h1 class="nr-article__headline">${esc(v.title)}</h1>
<div class="nr-article__byline">${beijingTime(v.createdAt)} ${esc(v.source)}</div>
<div class="nr-article__content">
${v.paragraphs.map((p) => `<p>${esc(p)}</p>`).join('\n')}
</div>
</main>
</body>
</html>`;
}

/** A page cut off inside its body: the bytes up to the first paragraph's end, as a broken upstream sends. */
export function cutOff(html: string): string {
  for (const marker of [
    '<div class="post_body">',
    '<section class="article-body">',
    'id="endText"',
    '<div class="content" id="content">',
  ]) {
    const body = html.indexOf(marker);
    const end = body < 0 ? -1 : html.indexOf('</p>', body);
    if (end >= 0) return html.slice(0, end + 4);
  }
  return html.slice(0, Math.floor(html.length / 2));
}

import { escapeHtml } from './format';

/**
 * m.weibo.cn's HTML pages as the simulator writes them: the H5 error box, the detail page, the
 * landing page and the proxies' 404 and 502 pages.
 *
 * The real detail page is an app shell: the post sits only in `$render_data`, and scripts from
 * h5.sinaimg.cn draw it into `div#app`. Those scripts never load from the simulator, so the page also
 * carries the post drawn into `div#app` in the H5 app's own markup (author, time, text, the embedded
 * original or the notice that stands in for it), which the app would replace when it mounts. Parsers
 * read `$render_data` first and ignore the markup, as they must on captured pages that lack it;
 * the markup comes after the script, so a page cut off in transit loses it before the data.
 */

const PAGE_HEAD =
  '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n    <meta charset="utf-8">\n' +
  '    <meta name="viewport" content="width=device-width,initial-scale=1,maximum-scale=1,minimum-scale=1,user-scalable=no">\n' +
  '    <meta name="format-detection" content="telephone=no">\n';

/** The m.weibo.cn H5 error page (`h5-4box`), e.g. for a post that is gone or never existed. */
export function errorPage(message: string): string {
  return (
    `${PAGE_HEAD}    <title>微博-出错了</title>\n` +
    '    <link rel="stylesheet" href="//h5.sinaimg.cn/m/weibo-lite/css/app.css">\n</head>\n<body>\n' +
    '<div class="h5-4box">\n    <div class="h5-4img"><img src="//h5.sinaimg.cn/upload/2016/04/11/319/h5-404.png"></div>\n' +
    `    <p class="h5-4con">${message}</p>\n</div>\n</body>\n</html>\n`
  );
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');

/** Styles for the drawn post, since the app's stylesheet never loads either. */
const DRAWN_STYLE =
  '    <style>.weibo-member{max-width:40rem;margin:0 auto;padding:.75rem;font:15px/1.6 sans-serif;color:#333}' +
  '.weibo-top .m-text-cut{margin:0;font-size:1rem}.weibo-top h4.m-text-cut{color:#939393;font-size:.75rem;font-weight:normal}' +
  '.weibo-text{margin:.5rem 0;word-wrap:break-word}.weibo-rp{background:#f7f7f7;padding:.5rem}' +
  '.m-ctrl-box{color:#939393;font-size:.8rem}.m-ctrl-box span{margin-right:1.5rem}' +
  '.url-icon img{vertical-align:middle}</style>\n';

/** A status's text HTML: the whole long text on the detail page, else `text`. */
function statusText(s: Json): string {
  const long = s['longText'];
  if (isObject(long) && typeof long['longTextContent'] === 'string') return long['longTextContent'];
  return str(s['text']);
}

/** The author line of a status, or '' when it has no user (a placeholder). */
function authorLine(s: Json): string {
  const user = s['user'];
  if (!isObject(user)) return '';
  const source = str(s['source']);
  const region = str(s['region_name']);
  const edited = s['edit_count'] !== undefined ? '<span class="edited"> 已编辑</span>' : '';
  return (
    '<header class="weibo-top m-box"><div class="m-box-col m-text-box">' +
    `<h3 class="m-text-cut">${escapeHtml(str(user['screen_name']))}</h3>` +
    `<h4 class="m-text-cut"><span class="time">${escapeHtml(str(s['created_at']))}</span>` +
    (source ? `<span class="from"> 来自 ${escapeHtml(source)}</span>` : '') +
    (region ? `<span class="region"> ${escapeHtml(region)}</span>` : '') +
    `${edited}</h4></div></header>`
  );
}

/** The embedded original: its author and text, or the placeholder's notice when it is gone. */
function retweetBlock(r: Json): string {
  const user = r['user'];
  const name = isObject(user) ? `<a class="k">@${escapeHtml(str(user['screen_name']))}</a>:` : '';
  return `<div class="weibo-rp"><div class="weibo-text">${name}${statusText(r)}</div></div>`;
}

/** The post drawn as the H5 app draws it in `div#app`. */
function drawnStatus(s: Json): string {
  const rt = s['retweeted_status'];
  return (
    '<div class="card m-panel card9 weibo-member f-weibo"><div class="card-wrap"><div class="card-main">' +
    authorLine(s) +
    `<article class="weibo-main"><div class="weibo-og"><div class="weibo-text">${statusText(s)}</div></div>` +
    (isObject(rt) ? retweetBlock(rt) : '') +
    '</article><footer class="m-ctrl-box">' +
    `<span>转发 ${escapeHtml(str(s['reposts_count']))}</span>` +
    `<span>评论 ${escapeHtml(str(s['comments_count']))}</span>` +
    `<span>赞 ${escapeHtml(str(s['attitudes_count']))}</span>` +
    '</footer></div></div></div>'
  );
}

/**
 * The /detail/{mid} and /status/{bid} page: the status JSON inside
 * `var $render_data = [{"status": …, "call": …}][0] || {};`, pretty-printed like the real page
 * (the status comes first and `"call"` right after it, which scrapers cut on), then the post drawn
 * into `div#app` for a browser.
 */
export function detailPage(status: Record<string, unknown>): string {
  const renderData = [
    {
      status,
      call: 'GetWeiboDetail',
      hotScheme: 'sinaweibo://detail?mblogid=' + String(status.bid ?? ''),
      appScheme: 'sinaweibo://detail?mblogid=' + String(status.bid ?? ''),
    },
  ];
  return (
    `${PAGE_HEAD}    <title>微博正文 - 微博HTML5版</title>\n` +
    '    <link rel="stylesheet" href="//h5.sinaimg.cn/m/weibo-lite/css/app.css">\n' +
    `${DRAWN_STYLE}</head>\n<body>\n<script>\n` +
    `var $render_data = ${JSON.stringify(renderData, null, 4)}[0] || {};\n` +
    'var __wb_performance_data={v:"3.0",m:"mainse",pwa:1,sw:0};\n</script>\n' +
    `    <div id="app" class="m-container-max">${drawnStatus(status)}</div>\n` +
    '<script src="//h5.sinaimg.cn/m/weibo-lite/js/manifest.js"></script>\n' +
    '<script src="//h5.sinaimg.cn/m/weibo-lite/js/vendor.js"></script>\n' +
    '<script src="//h5.sinaimg.cn/m/weibo-lite/js/app.js"></script>\n</body>\n</html>\n'
  );
}

/** The m.weibo.cn landing page, which hands out the visitor cookies a warm-up request wants. */
export function homePage(): string {
  return `${PAGE_HEAD}    <title>微博</title>\n</head>\n<body>\n    <div id="app" class="m-container-max"></div>\n</body>\n</html>\n`;
}

/** A plain 404 page for paths the simulated hosts do not serve. */
export function notFoundPage(): string {
  return '<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';
}

/** A 502 page as the front-end proxies write it. */
export function badGatewayPage(): string {
  return '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';
}

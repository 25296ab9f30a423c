/**
 * Answers the simulated Weibo gives for a post's direct checks that say nothing about the post:
 * a maintenance page, a script-only challenge, a body cut off in transit, a template the crawler
 * has never seen, HTML where JSON was expected, an error box kept hidden and a switch-off of
 * comments. None is a deletion; the crawler must record
 * each as `unparseable` and keep its body. No capture of these exists, so their markup follows
 * the common shapes of such pages (see the research notes, §2.1 and §3.4).
 */

import type { OddityKind, SimOddity } from '../world';

/** The oddity in force at `now`, or null. */
export function activeOddity(oddities: readonly SimOddity[] | undefined, now: number): OddityKind | null {
  for (const o of oddities ?? []) if (o.from <= now && (o.to === undefined || now < o.to)) return o.kind;
  return null;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const HTML_TYPE = 'text/html; charset=utf-8';

/** A maintenance notice as front-end proxies serve it while the site is down for work. */
export function maintenancePage(): string {
  return (
    '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n<title>系统维护中</title>\n' +
    '<meta name="viewport" content="width=device-width,initial-scale=1">\n</head>\n<body>\n' +
    '<div class="maintain"><h2>系统维护中</h2><p>为了给您提供更好的服务，我们正在进行系统升级，请稍后再试。</p></div>\n' +
    '</body>\n</html>\n'
  );
}

/** A JavaScript challenge: no text at all, only a script that sets a cookie and reloads. */
export function challengePage(token: string): string {
  return (
    '<!DOCTYPE html><html><head><meta charset="utf-8">' +
    `<script>(function(){var t="${token}";document.cookie="__wbc="+t+";path=/;max-age=600";` +
    'setTimeout(function(){location.reload()},300);})();</script>' +
    '</head><body></body></html>'
  );
}

/** The H5 app shell, which m.weibo.cn serves for page URLs; sent where an API URL was asked. */
export function appShellPage(): string {
  return (
    '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n<title>微博</title>\n' +
    '<link rel="stylesheet" href="//h5.sinaimg.cn/m/weibo-lite/css/app.css">\n</head>\n<body>\n' +
    '<div id="app" class="m-container-max"><div class="m-box-center"><p>加载中...</p></div></div>\n' +
    '<script src="//h5.sinaimg.cn/m/weibo-lite/js/app.js"></script>\n</body>\n</html>\n'
  );
}

/**
 * The H5 app shell of a script-rendered page that ships its error box hidden, for the script to
 * reveal only if the post's data says so: the notice in it is not what the page shows.
 */
export function hiddenNoticePage(): string {
  return (
    '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n<title>微博</title>\n</head>\n<body>\n' +
    '<div id="app" class="m-container-max"></div>\n' +
    '<div class="h5-4box" style="display:none"><p class="h5-4con">微博不存在或暂无查看权限!</p></div>\n' +
    '<script src="//h5.sinaimg.cn/m/weibo-lite/js/app.js"></script>\n</body>\n</html>\n'
  );
}

/** The author's switch-off of comments, said where a post's state is asked: nothing about the post. */
export const COMMENTS_CLOSED = '由于博主设置，该微博评论已关闭';

/** The error box of the detail page carrying {@link COMMENTS_CLOSED}. */
export function commentsClosedPage(): string {
  return (
    '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n<title>微博-出错了</title>\n</head>\n<body>\n' +
    `<div class="h5-4box"><p class="h5-4con">${COMMENTS_CLOSED}</p></div>\n</body>\n</html>\n`
  );
}

/** A detail page of a template the crawler does not know: the post is there, under new names. */
export function unknownTemplatePage(mid: string): string {
  return (
    '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n<title>微博正文</title>\n</head>\n<body>\n' +
    `<div id="root" data-mid="${mid}"></div>\n<script>window.__INITIAL_STATE__ = {"page":"detail","v":3};</script>\n` +
    '</body>\n</html>\n'
  );
}

/** A JSON answer in a shape the crawler does not know: `ok:1`, the post under new names. */
export function unknownTemplateJson(mid: string): Record<string, unknown> {
  return {
    ok: 1,
    data: { statusV3: { idStr: mid, content: { rich: [] }, meta: { v: 3 } } },
    schema: 'weibo.status/v3',
  };
}

/** An answer to send: status, content type, body. */
export interface OddAnswer {
  readonly status: number;
  readonly type: string;
  readonly body: string | Buffer;
}

/**
 * The answer of an oddity on an endpoint that returns JSON (`json`) or the detail page (`html`).
 * `normal` renders what the endpoint would have sent, for the cut-off answer.
 */
export function oddAnswer(
  kind: OddityKind,
  expect: 'json' | 'html',
  mid: string,
  normal: () => string,
): OddAnswer {
  switch (kind) {
    case 'maintenance':
      return { status: 200, type: HTML_TYPE, body: maintenancePage() };
    case 'challenge':
      return { status: 200, type: HTML_TYPE, body: challengePage(mid.slice(-8)) };
    case 'truncated': {
      const full = Buffer.from(normal(), 'utf8');
      return {
        status: 200,
        type: expect === 'json' ? JSON_TYPE : HTML_TYPE,
        body: full.subarray(0, Math.max(1, Math.floor(full.length * 0.6))),
      };
    }
    case 'unknown_template':
      return expect === 'json'
        ? { status: 200, type: JSON_TYPE, body: JSON.stringify(unknownTemplateJson(mid)) }
        : { status: 200, type: HTML_TYPE, body: unknownTemplatePage(mid) };
    case 'html_for_json':
      return { status: 200, type: HTML_TYPE, body: appShellPage() };
    case 'hidden_notice':
      return { status: 200, type: HTML_TYPE, body: hiddenNoticePage() };
    case 'comments_closed':
      return expect === 'json'
        ? { status: 200, type: JSON_TYPE, body: JSON.stringify({ ok: 0, msg: COMMENTS_CLOSED }) }
        : { status: 200, type: HTML_TYPE, body: commentsClosedPage() };
  }
}

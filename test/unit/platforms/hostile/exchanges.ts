/**
 * The exchanges the hostile-platform test starts from: real reference responses (live posts,
 * listings, comments, articles, thread info) and the documented statements of absence in their
 * documented places (an errno envelope, a repost's placeholder, the H5 error box, a 404 from the
 * target's own host, a redirect to NetEase's home page), each run through the parser it belongs to.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isFinalOutcome, type Observation, type Outcome } from '../../../../src/domain/glossary';
import type { HttpResponse } from '../../../../src/http/types';
import * as netease from '../../../../src/platforms/netease';
import { parseAjaxStatusShow } from '../../../../src/platforms/weibo/ajax';
import { parseHotflow } from '../../../../src/platforms/weibo/comments';
import {
  parseDetailPage,
  parseSearchPage,
  parseStatusShow,
  parseTimelinePage,
} from '../../../../src/platforms/weibo/parse';
import { errorPage } from '../../../../src/sim/weibo/pages';
import { softNotFoundPage } from '../../../../src/sim/netease/format';

/** A response as a parser is handed it, with the parts a hostile platform may change. */
export interface Exchange {
  readonly url: string;
  readonly finalUrl: string;
  readonly redirects: readonly string[];
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

/** Which parser an exchange is for. */
export type ParserName =
  | 'weibo.show'
  | 'weibo.ajaxShow'
  | 'weibo.detail'
  | 'weibo.timeline'
  | 'weibo.search'
  | 'weibo.hotflow'
  | 'netease.article'
  | 'netease.thread'
  | 'netease.comments';

/** Where a seed's statement of absence sits, if it makes one. */
export type AbsencePlace = 'none' | 'body' | 'status' | 'redirect';

export interface HostileSeed {
  readonly name: string;
  readonly parser: ParserName;
  /** The target asked about. */
  readonly target: string;
  readonly ex: Exchange;
  readonly absence: AbsencePlace;
}

/** What a parser said, reduced to what the invariants look at. */
export interface Said {
  /** `id:outcome` of every final outcome, and `listing:withheld` for a withholding claim. */
  readonly finals: readonly string[];
  /** The asked target's own outcome ('page' for a comment page, 'results'/'empty' for a listing). */
  readonly target: string;
  /** Alive content by id, as the fields a reader relies on. */
  readonly alive: ReadonlyMap<string, string>;
  /** Unparseable observations whose evidence lost the body. */
  readonly bodyLost: readonly string[];
}

export const AT = Date.UTC(2024, 0, 10, 2, 0, 0);
export const MID = '4383411844046171';
export const DOCID = 'KC12OUHK000189FH';
const THREAD_DOCID = 'CG212U73008535RB';
const HOTLIST_DOCID = 'EAUJCTQV05346RBY';

const REF = join(__dirname, '..', '..', '..', 'fixtures', 'reference');
const ref = (p: string): Buffer => readFileSync(join(REF, p));
const json = (v: unknown): Buffer => Buffer.from(JSON.stringify(v), 'utf8');
const JSON_TYPE = 'application/json; charset=utf-8';
const HTML_TYPE = 'text/html; charset=utf-8';

function ex(url: string, body: Buffer, status = 200, contentType = JSON_TYPE): Exchange {
  return { url, finalUrl: url, redirects: [], status, headers: { 'content-type': contentType }, body };
}

export const URLS = {
  show: (id: string) => `https://m.weibo.cn/statuses/show?id=${id}`,
  ajaxShow: (id: string) => `https://weibo.com/ajax/statuses/show?id=${id}`,
  detail: (id: string) => `https://m.weibo.cn/detail/${id}`,
  timeline:
    'https://m.weibo.cn/api/container/getIndex?type=uid&value=1669879400&containerid=1076031669879400',
  search:
    'https://m.weibo.cn/api/container/getIndex?containerid=100103type%3D1%26q%3D%E8%81%94%E5%90%88%E5%9B%BD&page_type=searchall&page=1',
  hotflow: (id: string) => `https://m.weibo.cn/comments/hotflow?id=${id}&mid=${id}&max_id_type=0`,
  article: (d: string) => `https://www.163.com/news/article/${d}.html`,
  thread: (d: string) => netease.neteaseThreadInfoUrl(d),
  comments: (d: string) => netease.neteaseCommentListUrl(d, 'hot'),
};

function withoutProvenance(b: Buffer): Record<string, unknown> {
  const v = JSON.parse(b.toString('utf8')) as Record<string, unknown>;
  delete v['_provenance'];
  return v;
}

/** The statuses/show repost sample with its original replaced by a placeholder sample. */
function showWithPlaceholder(file: string): Buffer {
  const show = JSON.parse(ref('weibo/m_statuses_show_repost_2019.json').toString('utf8')) as {
    data: Record<string, unknown>;
  };
  show.data['retweeted_status'] = withoutProvenance(ref(`weibo/${file}`));
  return json(show);
}

/** Every seed: live data first, then the documented absences. */
export function hostileSeeds(): HostileSeed[] {
  const showRepost = ref('weibo/m_statuses_show_repost_2019.json');
  const showData = (JSON.parse(showRepost.toString('utf8')) as { data: Record<string, unknown> }).data;
  const seeds: HostileSeed[] = [
    {
      name: 'weibo show: repost of a long text (reference)',
      parser: 'weibo.show',
      target: MID,
      ex: ex(URLS.show(MID), showRepost),
      absence: 'none',
    },
    {
      name: 'weibo ajax show: the same status at the top level',
      parser: 'weibo.ajaxShow',
      target: MID,
      ex: ex(URLS.ajaxShow(MID), json({ ...showData, ok: 1 })),
      absence: 'none',
    },
    {
      name: 'weibo detail: the same status in $render_data',
      parser: 'weibo.detail',
      target: MID,
      ex: ex(
        URLS.detail(MID),
        Buffer.from(
          `<!DOCTYPE html><html><head><meta charset="utf-8"><title>微博</title></head><body><div id="app"></div>` +
            `<script>var $render_data = [${JSON.stringify({ status: showData, call: 'x' })}][0] || {};</script></body></html>`,
        ),
        200,
        HTML_TYPE,
      ),
      absence: 'none',
    },
    {
      name: 'weibo timeline: three cards (reference)',
      parser: 'weibo.timeline',
      target: 'listing',
      ex: ex(URLS.timeline, ref('weibo/m_getIndex_timeline_107603_2019_first3cards.json')),
      absence: 'none',
    },
    {
      name: 'weibo search: the timeline cards as search results',
      parser: 'weibo.search',
      target: 'listing',
      ex: ex(URLS.search, ref('weibo/m_getIndex_timeline_107603_2019_first3cards.json')),
      absence: 'none',
    },
    {
      name: 'weibo hotflow: three comments (reference)',
      parser: 'weibo.hotflow',
      target: '4383183661430868',
      ex: ex(URLS.hotflow('4383183661430868'), ref('weibo/m_comments_hotflow_2019_first3.json')),
      absence: 'none',
    },
    {
      name: 'weibo show: repost whose original is the state-7 placeholder (reference)',
      parser: 'weibo.show',
      target: MID,
      ex: ex(URLS.show(MID), showWithPlaceholder('m_retweet_placeholder_deleted_by_author_stablog.json')),
      absence: 'none',
    },
    {
      name: 'weibo show: repost whose original is the half-year placeholder (reference)',
      parser: 'weibo.show',
      target: MID,
      ex: ex(URLS.show(MID), showWithPlaceholder('m_retweet_placeholder_halfyear_hidden_stablog.json')),
      absence: 'none',
    },
    {
      name: 'weibo show: errno 20101 envelope',
      parser: 'weibo.show',
      target: MID,
      ex: ex(URLS.show(MID), json({ ok: 0, errno: '20101', msg: '微博不存在或暂无查看权限!' })),
      absence: 'body',
    },
    {
      name: 'weibo ajax show: error_code 20101 envelope',
      parser: 'weibo.ajaxShow',
      target: MID,
      ex: ex(URLS.ajaxShow(MID), json({ ok: 0, message: '该微博不存在', error_code: 20101 })),
      absence: 'body',
    },
    {
      name: 'weibo show: deleted-by-author notice envelope',
      parser: 'weibo.show',
      target: MID,
      ex: ex(URLS.show(MID), json({ ok: 0, msg: '抱歉，此微博已被作者删除。查看帮助：http://t.cn/Rfd3rQV' })),
      absence: 'body',
    },
    {
      name: 'weibo show: removed-after-complaints notice envelope',
      parser: 'weibo.show',
      target: MID,
      ex: ex(URLS.show(MID), json({ ok: 0, msg: '该微博因被多人投诉，根据《微博社区公约》，已被删除。' })),
      absence: 'body',
    },
    {
      name: 'weibo show: account banned notice envelope',
      parser: 'weibo.show',
      target: MID,
      ex: ex(
        URLS.show(MID),
        json({ ok: 0, msg: '该账号因被投诉违反《微博社区公约》的相关规定，现已无法查看。' }),
      ),
      absence: 'body',
    },
    {
      name: 'weibo detail: the H5 error box (微博-出错了)',
      parser: 'weibo.detail',
      target: MID,
      ex: ex(URLS.detail(MID), Buffer.from(errorPage('微博不存在或暂无查看权限!')), 200, HTML_TYPE),
      absence: 'body',
    },
    {
      name: 'weibo show: HTTP 404 from m.weibo.cn',
      parser: 'weibo.show',
      target: MID,
      ex: ex(URLS.show(MID), Buffer.from('<html><body><h1>404 Not Found</h1></body></html>'), 404, HTML_TYPE),
      absence: 'status',
    },
    {
      name: 'netease article: post2020 page (reference)',
      parser: 'netease.article',
      target: DOCID,
      ex: ex(URLS.article(DOCID), ref('netease/article_news_KC12OUHK000189FH.trimmed.html'), 200, HTML_TYPE),
      absence: 'none',
    },
    {
      name: 'netease thread info (reference)',
      parser: 'netease.thread',
      target: THREAD_DOCID,
      ex: ex(URLS.thread(THREAD_DOCID), ref('netease/comment_thread_info_CG212U73008535RB.json')),
      absence: 'none',
    },
    {
      name: 'netease hot comments (reference)',
      parser: 'netease.comments',
      target: HOTLIST_DOCID,
      ex: ex(URLS.comments(HOTLIST_DOCID), ref('netease/comments_app_hotList_EAUJCTQV05346RBY.json')),
      absence: 'none',
    },
    {
      name: 'netease article: soft not-found page',
      parser: 'netease.article',
      target: DOCID,
      ex: ex(URLS.article(DOCID), Buffer.from(softNotFoundPage('not_found')), 200, HTML_TYPE),
      absence: 'body',
    },
    {
      name: 'netease article: HTTP 404 from www.163.com',
      parser: 'netease.article',
      target: DOCID,
      ex: ex(
        URLS.article(DOCID),
        Buffer.from('<html><body><h1>404 Not Found</h1></body></html>'),
        404,
        HTML_TYPE,
      ),
      absence: 'status',
    },
    {
      name: 'netease article: redirected to the home page',
      parser: 'netease.article',
      target: DOCID,
      ex: {
        ...ex(
          URLS.article(DOCID),
          Buffer.from(
            `<html><head><title>网易</title></head><body>${'<a href="/x">新闻</a>'.repeat(50)}</body></html>`,
          ),
          200,
          HTML_TYPE,
        ),
        finalUrl: 'https://www.163.com/',
        redirects: [URLS.article(DOCID)],
      },
      absence: 'redirect',
    },
  ];
  return seeds;
}

/** The response a parser is handed. */
export function responseOf(e: Exchange): HttpResponse {
  return {
    ok: true,
    url: e.url,
    finalUrl: e.finalUrl,
    redirects: e.redirects,
    status: e.status,
    headers: e.headers,
    setCookies: [],
    body: e.body,
  };
}

const final = (o: string): boolean => isFinalOutcome(o as Outcome);

function contentKey(o: Observation): string {
  const c = o.content!;
  return JSON.stringify({
    title: c.title ?? null,
    text: c.text,
    author: c.author,
    createdAt: c.createdAt,
    counts: c.counts,
    repostOf: c.repostOf,
    editCount: c.editCount,
  });
}

function ofObservations(obs: readonly Observation[], body: Buffer, target: string): Said {
  const finals: string[] = [];
  const alive = new Map<string, string>();
  const bodyLost: string[] = [];
  for (const o of obs) {
    if (final(o.outcome)) finals.push(`${o.target.id}:${o.outcome}`);
    if (o.outcome === 'alive' && o.content) alive.set(o.target.id, contentKey(o));
    if (o.outcome === 'unparseable' && (!o.evidence || !o.evidence.body.equals(body)))
      bodyLost.push(o.target.id);
  }
  const own = obs.find((o) => o.target.id === target);
  return { finals, target: own?.outcome ?? 'none', alive, bodyLost };
}

/** Runs an exchange through its parser. */
export function runParser(parser: ParserName, target: string, e: Exchange): Said {
  const res = responseOf(e);
  switch (parser) {
    case 'weibo.show':
      return ofObservations(parseStatusShow(res, AT, target), e.body, target);
    case 'weibo.ajaxShow':
      return ofObservations(parseAjaxStatusShow(res, AT, target), e.body, target);
    case 'weibo.detail':
      return ofObservations(parseDetailPage(res, AT, target), e.body, target);
    case 'weibo.timeline':
    case 'weibo.search': {
      const l = parser === 'weibo.timeline' ? parseTimelinePage(res, AT) : parseSearchPage(res, AT, '联合国');
      const said = ofObservations(l.observations, e.body, '');
      const lost =
        l.outcome === 'unparseable' && (!l.evidence || !l.evidence.body.equals(e.body)) ? ['listing'] : [];
      return {
        ...said,
        finals: [...said.finals, ...(l.outcome === 'withheld' ? ['listing:withheld'] : [])],
        target: l.outcome,
        bodyLost: [...said.bodyLost, ...lost],
      };
    }
    case 'weibo.hotflow': {
      const h = parseHotflow(res, AT);
      if (h.kind === 'outcome')
        return {
          finals: final(h.outcome) ? [`${target}:${h.outcome}`] : [],
          target: h.outcome,
          alive: new Map(),
          bodyLost: [],
        };
      return {
        finals: [],
        target: 'page',
        alive: new Map([[target, JSON.stringify(h.page)]]),
        bodyLost: [],
      };
    }
    case 'netease.article':
      return ofObservations([netease.parseArticle(res, AT, target)], e.body, target);
    case 'netease.thread': {
      const t = netease.parseCommentThreadInfo(res, target);
      if (!t.ok)
        return {
          finals: final(t.outcome) ? [`${target}:${t.outcome}`] : [],
          target: t.outcome,
          alive: new Map(),
          bodyLost: [],
        };
      return {
        finals: [],
        target: 'alive',
        alive: new Map([[target, JSON.stringify(t.value)]]),
        bodyLost: [],
      };
    }
    case 'netease.comments': {
      const c = netease.parseCommentList(res, target);
      if (!c.ok)
        return {
          finals: final(c.outcome) ? [`${target}:${c.outcome}`] : [],
          target: c.outcome,
          alive: new Map(),
          bodyLost: [],
        };
      return {
        finals: [],
        target: 'page',
        alive: new Map([[target, JSON.stringify(c.value.comments.map((x) => [x.commentId, x.content]))]]),
        bodyLost: [],
      };
    }
  }
}

/**
 * What a platform nobody here has seen may do to a listing or comment page: keys removed or
 * renamed, values of other types, bodies cut off, HTML where JSON was asked and JSON where HTML
 * was, maintenance and challenge pages with status 200, empty bodies, unknown card types, extra
 * wrapping, full-width punctuation, BOMs, other encodings, and the platform's statements moved out
 * of (or into) their documented places. Each mutation says what the reader must still do with it.
 */
import iconv from 'iconv-lite';
import type { FuzzRng } from '../../fuzz/rng';
import { cutPoints } from '../hostile/mutations';
import type { Exchange, ListingPage } from './pages';

export interface Expect {
  /** The documented claims of the mutated page must all be read (the change kept their meaning). */
  readonly read?: boolean;
  /** The page is not one the reader knows: its outcome must be unparseable or a transient one. */
  readonly unrecognised?: boolean;
}

export interface Mutated {
  readonly label: string;
  readonly ex: Exchange;
  readonly expect: Expect;
}

export interface ListingMutation {
  readonly name: string;
  apply(page: ListingPage, rng: FuzzRng): Mutated | null;
}

type Json = unknown;
type Obj = Record<string, Json>;
const isObj = (v: Json): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const JSON_TYPE = 'application/json; charset=utf-8';
const HTML_TYPE = 'text/html; charset=utf-8';

function jsonOf(b: Buffer): Json | undefined {
  try {
    return JSON.parse(b.toString('utf8')) as Json;
  } catch {
    return undefined;
  }
}
const buf = (v: Json): Buffer => Buffer.from(JSON.stringify(v), 'utf8');
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const withBody = (e: Exchange, body: Buffer, contentType?: string): Exchange => ({
  ...e,
  body,
  headers: contentType ? { ...e.headers, 'content-type': contentType } : e.headers,
});
const isHtmlPage = (p: ListingPage): boolean =>
  p.reader === 'netease.search' || p.reader === 'netease.mediaHome';

interface Slot {
  readonly path: string;
  readonly parent: Obj | Json[];
  readonly key: string | number;
}

/** Every (container, key) of a JSON value with its path. */
function slots(root: Json, path = '$', out: Slot[] = []): Slot[] {
  if (Array.isArray(root))
    root.forEach((v, i) => {
      out.push({ path: `${path}[${i}]`, parent: root, key: i });
      slots(v, `${path}[${i}]`, out);
    });
  else if (isObj(root))
    for (const [k, v] of Object.entries(root)) {
      out.push({ path: `${path}.${k}`, parent: root, key: k });
      slots(v, `${path}.${k}`, out);
    }
  return out;
}
const get = (s: Slot): Json =>
  Array.isArray(s.parent) ? s.parent[s.key as number] : s.parent[s.key as string];
function set(s: Slot, v: Json): void {
  if (Array.isArray(s.parent)) s.parent[s.key as number] = v;
  else s.parent[s.key as string] = v;
}

/** A JSON edit of a random slot; null for a page that is not JSON or has no such slot. */
function onJson(
  page: ListingPage,
  rng: FuzzRng,
  filter: (s: Slot) => boolean,
  edit: (root: Json, s: Slot) => string,
): Mutated | null {
  const root = jsonOf(page.ex.body);
  if (root === undefined) return null;
  const v = clone(root);
  const hits = slots(v).filter(filter);
  if (hits.length === 0) return null;
  const s = rng.pick(hits);
  const label = edit(v, s);
  return { label, ex: withBody(page.ex, buf(v)), expect: {} };
}

export const truncated: ListingMutation = {
  name: 'truncated body',
  apply(page, rng) {
    const points = cutPoints(page.ex.body);
    if (points.length === 0) return null;
    const at = rng.pick(points);
    return {
      label: `cut at byte ${at} of ${page.ex.body.length}`,
      ex: withBody(page.ex, page.ex.body.subarray(0, at)),
      expect: { unrecognised: true },
    };
  },
};

export const removedKey: ListingMutation = {
  name: 'a key removed',
  apply(page, rng) {
    return onJson(
      page,
      rng,
      (s) => !Array.isArray(s.parent),
      (_, s) => {
        delete (s.parent as Obj)[s.key as string];
        return `delete ${s.path}`;
      },
    );
  },
};

const RENAMES: Readonly<Record<string, string>> = {
  ok: 'status',
  msg: 'message_text',
  data: 'result',
  cards: 'items',
  card_group: 'group',
  card_type: 'type',
  mblog: 'status',
  mid: 'mid_str',
  id: 'post_id',
  cardlistInfo: 'cardListInfo',
  since_id: 'sinceId',
  page: 'next_page',
  desc: 'description',
  max_id: 'maxId',
  list: 'items',
  docid: 'docId',
  commentIds: 'ids',
  comments: 'commentMap',
  commentId: 'cid',
};

export const renamedKey: ListingMutation = {
  name: 'a key renamed',
  apply(page, rng) {
    return onJson(
      page,
      rng,
      (s) => !Array.isArray(s.parent),
      (_, s) => {
        const obj = s.parent as Obj;
        const k = s.key as string;
        const to = RENAMES[k] ?? `${k}_v2`;
        const rebuilt: Obj = {};
        for (const [key, val] of Object.entries(obj)) rebuilt[key === k ? to : key] = val;
        for (const key of Object.keys(obj)) delete obj[key];
        Object.assign(obj, rebuilt);
        return `${s.path} → ${to}`;
      },
    );
  },
};

const SWAPS: readonly Json[] = [null, [], {}, '', '1', 0, 1, -1, true, 'null', [{}], 1.5, '０'];

/** The same value in another type: a number as a string and back, an array as an object and back. */
function retyped(v: Json): Json {
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
  if (Array.isArray(v)) return Object.fromEntries(v.map((x, i) => [String(i), x]));
  if (isObj(v)) return Object.values(v);
  if (typeof v === 'string') return v === '' ? null : [v];
  return String(v);
}

export const wrongType: ListingMutation = {
  name: 'a value of another type',
  apply(page, rng) {
    return onJson(
      page,
      rng,
      () => true,
      (_, s) => {
        const to = rng.chance(0.4) ? retyped(get(s)) : rng.pick(SWAPS);
        set(s, to);
        return `${s.path} = ${JSON.stringify(to)?.slice(0, 80)}`;
      },
    );
  },
};

const UNKNOWN_CARD_TYPES: readonly Json[] = [13, 99, 1000, '9a', -9, 'card', 17, 31];

export const unknownCardType: ListingMutation = {
  name: 'an unknown card_type',
  apply(page, rng) {
    return onJson(
      page,
      rng,
      (s) => s.key === 'card_type',
      (_, s) => {
        const to = rng.pick(UNKNOWN_CARD_TYPES);
        set(s, to);
        return `${s.path} = ${JSON.stringify(to)}`;
      },
    );
  },
};

/** Pages that are not the listing asked for; a reader must not read any of them as one. */
const FOREIGN_HTML: readonly [string, string][] = [
  [
    'maintenance page',
    '<html><head><title>系统维护</title></head><body><p>系统维护中，请稍后再试。</p></body></html>',
  ],
  [
    'script-only challenge',
    '<html><head><script>document.cookie="acw_sc__v2=5f1d";location.reload()</script></head><body></body></html>',
  ],
  [
    'Sina Visitor System',
    '<html><head><title>Sina Visitor System</title></head><body><script>x()</script></body></html>',
  ],
  [
    'login wall',
    '<html><head><title>登录</title></head><body><p>请先登录后查看</p><a href="/login">登录</a></body></html>',
  ],
  [
    'app shell',
    '<!DOCTYPE html><html><head><title>微博</title></head><body><div id="app"></div></body></html>',
  ],
  [
    'an unknown search template',
    '<html><head><title>联合国_网易搜索</title></head><body><div class="search_result_v2"><div class="item">' +
      '<a href="/news/article/JK7P2Q3R0001899O.html">联合国</a></div></div></body></html>',
  ],
  [
    'a no-results wording outside the result box',
    '<html><head><title>没有找到相关结果</title></head><body><div class="sidebar"><p>没有找到相关结果</p></div>' +
      '<div id="app"></div></body></html>',
  ],
];

const FOREIGN_JSON: readonly [string, Json][] = [
  ['an empty object', {}],
  ['ok:1 and nothing else', { ok: 1 }],
  ['ok:1 with empty data', { ok: 1, data: {} }],
  ['a list.do answer', { data: { list: [] } }],
  ['a comment list', { commentIds: [], comments: {} }],
  ['a NetEase error', { code: '42212', message: 'Illegal pagination parameters' }],
  ['a hotflow page of nothing', { ok: 1, data: { data: [], max_id: 0 } }],
  ['an unknown envelope', { code: 0, result: { items: [] } }],
  ['a JSON null', null],
  ['a JSON array', []],
];

export const foreignPage: ListingMutation = {
  name: 'a page that is not the listing',
  apply(page, rng) {
    const k = rng.below(4);
    if (k === 0) {
      const [label, html] = rng.pick(FOREIGN_HTML);
      return {
        label: `HTML, status 200: ${label}`,
        ex: withBody(page.ex, Buffer.from(html, 'utf8'), HTML_TYPE),
        expect: { unrecognised: true },
      };
    }
    if (k === 1) {
      const [label, v] = rng.pick(FOREIGN_JSON);
      // Only a body no documented shape of this reader takes: a listing's own empty form is not foreign.
      const own =
        (page.reader === 'netease.accountList' && label === 'a list.do answer') ||
        (page.reader === 'netease.comments' && label === 'a comment list') ||
        (page.reader === 'weibo.hotflow' && label === 'a hotflow page of nothing');
      if (own) return null;
      return {
        label: `JSON, status 200: ${label}`,
        ex: withBody(page.ex, buf(v), isHtmlPage(page) ? rng.pick([HTML_TYPE, JSON_TYPE]) : JSON_TYPE),
        expect: { unrecognised: true },
      };
    }
    if (k === 2)
      return {
        label: 'an empty body',
        ex: withBody(page.ex, Buffer.alloc(0)),
        expect: { unrecognised: true },
      };
    return {
      label: 'whitespace only',
      ex: withBody(page.ex, Buffer.from(' \r\n\t ', 'utf8')),
      expect: { unrecognised: true },
    };
  },
};

const WRAPS: readonly [string, (v: Json) => Json][] = [
  ['{"data": v}', (v) => ({ data: v })],
  ['{"ok":1,"data":{"data": v}}', (v) => ({ ok: 1, data: { data: v } })],
  ['[v]', (v) => [v]],
  ['{"result": v, "code": 200}', (v) => ({ result: v, code: 200 })],
  ['{"ok":1,"data": v}', (v) => ({ ok: 1, data: v })],
];

export const extraWrapping: ListingMutation = {
  name: 'extra wrapping',
  apply(page, rng) {
    const v = jsonOf(page.ex.body);
    if (v === undefined) {
      // HTML: the whole page inside another page, or inside a <noscript>.
      const html = page.ex.body.toString('utf8');
      const k = rng.below(2);
      const body =
        k === 0
          ? `<html><body><div class="outer">${html}</div></body></html>`
          : `<html><body><noscript>${html}</noscript><div id="app"></div></body></html>`;
      return {
        label: k === 0 ? 'page inside another page' : 'page inside <noscript>',
        ex: withBody(page.ex, Buffer.from(body)),
        expect: {},
      };
    }
    if (rng.chance(0.3))
      return {
        label: 'JSONP cb(v)',
        ex: withBody(
          page.ex,
          Buffer.from(`jsonp_cb1(${JSON.stringify(v)});`, 'utf8'),
          'application/javascript',
        ),
        expect: {},
      };
    const [label, wrap] = rng.pick(WRAPS);
    return { label, ex: withBody(page.ex, buf(wrap(v))), expect: {} };
  },
};

const TO_FULL: Readonly<Record<string, string>> = {
  ',': '，',
  '.': '。',
  '!': '！',
  ':': '：',
  ';': '；',
  '?': '？',
};
const TO_HALF: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(TO_FULL).map(([a, b]) => [b, a]),
);

function swapWidth(s: string, full: boolean): string {
  const map = full ? TO_FULL : TO_HALF;
  return s.replace(full ? /[,.!:;?]/g : /[，。！：；？]/g, (c) => map[c] ?? c);
}

export const fullWidth: ListingMutation = {
  name: 'full-width or half-width punctuation in every text',
  apply(page, rng) {
    const full = rng.chance(0.5);
    const root = jsonOf(page.ex.body);
    if (root === undefined) return null;
    // Text values only, not URLs or ids: the statements keep their meaning, so each must be read.
    const v = clone(root);
    for (const s of slots(v)) {
      const x = get(s);
      if (typeof x === 'string' && !/^https?:|^\/\/|^[\w.-]+$/.test(x)) set(s, swapWidth(x, full));
    }
    return {
      label: full ? 'half → full width' : 'full → half width',
      ex: withBody(page.ex, buf(v)),
      expect: { read: true },
    };
  },
};

export const encodings: ListingMutation = {
  name: 'a BOM or another encoding',
  apply(page, rng) {
    const e = page.ex;
    const base = (e.headers['content-type'] ?? 'text/html').split(';')[0]!;
    const text = e.body.toString('utf8');
    const k = rng.below(5);
    if (k === 0)
      return {
        label: 'UTF-8 BOM',
        ex: withBody(e, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), e.body])),
        expect: { read: true },
      };
    if (k === 1)
      return {
        label: 'GBK bytes, declared in the header',
        ex: withBody(
          e,
          iconv.encode(text.replace(/charset=["']?utf-8/gi, 'charset=gbk'), 'gb18030'),
          `${base}; charset=gbk`,
        ),
        expect: { read: true },
      };
    if (k === 2)
      return {
        label: 'UTF-8 bytes declared gbk',
        ex: withBody(e, e.body, `${base}; charset=gbk`),
        expect: {},
      };
    if (k === 3)
      return {
        label: 'GBK bytes declared utf-8',
        ex: withBody(e, iconv.encode(text, 'gb18030'), `${base}; charset=utf-8`),
        expect: {},
      };
    // One stray byte that is no UTF-8 inside the body's first string.
    const at = e.body.indexOf(0x22, Math.floor(e.body.length / 3));
    if (at < 0) return null;
    return {
      label: `a stray 0xff at byte ${at + 1}`,
      ex: withBody(
        e,
        Buffer.concat([e.body.subarray(0, at + 1), Buffer.from([0xff]), e.body.subarray(at + 1)]),
      ),
      expect: {},
    };
  },
};

const WITHHELD = '根据相关法律法规和政策，搜索结果未予显示。';
const NOTICES = [
  WITHHELD,
  '根据相关法律法规和政策，部分搜索结果未予显示',
  '这里还没有内容',
  '没有找到与“联合国”相关的结果',
];

/** Places in a JSON listing that are not a statement's documented place. */
const JSON_PLACES: readonly [string, (v: Obj, n: string) => boolean][] = [
  [
    'a card_type 9 desc',
    (v, n) => eachCard(v, (c) => (Number(c['card_type']) === 9 ? ((c['desc'] = n), true) : false)),
  ],
  [
    'a card_type 11 desc',
    (v, n) => eachCard(v, (c) => (Number(c['card_type']) === 11 ? ((c['desc'] = n), true) : false)),
  ],
  ['a card_type 4 title', (v, n) => pushCard(v, { card_type: 4, title: n, show_type: 0 })],
  ['a card_type 9 card without post', (v, n) => pushCard(v, { card_type: 9, desc: n })],
  ['a card of unknown type', (v, n) => pushCard(v, { card_type: 13, desc: n })],
  ['cardlistInfo.title_top', (v, n) => inInfo(v, 'title_top', n)],
  ['cardlistInfo.desc with more words', (v, n) => inInfo(v, 'desc', `热门话题：网友称“${n}”`)],
  ['a msg beside ok:1', (v, n) => ('ok' in v && Number(v['ok']) === 1 ? ((v['msg'] = n), true) : false)],
  ['data.msg', (v, n) => (isObj(v['data']) ? ((v['data']['msg'] = n), true) : false)],
  ['an ok:0 msg with more words', (v, n) => ((v['ok'] = 0), (v['msg'] = `网友提问：${n}是什么意思`), true)],
  [
    'a scheme URL',
    (v, n) =>
      eachCard(v, (c) => ('scheme' in c ? ((c['scheme'] = `https://m.weibo.cn/p/?q=${n}`), true) : false)),
  ],
  ['a hint key', (v, n) => ((v['tips'] = n), true)],
  [
    'a comment text',
    (v, n) =>
      eachObj(v, (o) =>
        'content' in o && typeof o['content'] === 'string' ? ((o['content'] = n), true) : false,
      ),
  ],
];

function eachObj(v: Json, f: (o: Obj) => boolean): boolean {
  let hit = false;
  for (const s of slots(v)) {
    const x = get(s);
    if (isObj(x) && f(x)) hit = true;
  }
  return hit;
}
const eachCard = (v: Obj, f: (c: Obj) => boolean): boolean => eachObj(v, (o) => 'card_type' in o && f(o));
function pushCard(v: Obj, card: Obj): boolean {
  const data = v['data'];
  if (!isObj(data) || !Array.isArray(data['cards'])) return false;
  data['cards'].push(card);
  return true;
}
function inInfo(v: Obj, k: string, n: string): boolean {
  const data = v['data'];
  if (!isObj(data) || !isObj(data['cardlistInfo'])) return false;
  data['cardlistInfo'][k] = n;
  return true;
}

/** Places in an HTML listing outside the result box. */
const HTML_PLACES: readonly [string, (html: string, n: string) => string][] = [
  ['the <title>', (h, n) => h.replace(/<title>[^<]*<\/title>/, `<title>${n}</title>`)],
  [
    'a sidebar before the results',
    (h, n) => h.replace(/<body>/, `<body><div class="sidebar"><p>${n}</p></div>`),
  ],
  ['a script', (h, n) => h.replace(/<\/body>/, `<script>var tip = "${n}";</script></body>`)],
  ['a comment in the result box', (h, n) => h.replace(/(<div class="keyword_list">)/, `$1<!-- ${n} -->`)],
  [
    'a script in the result box',
    (h, n) => h.replace(/(<div class="keyword_list">)/, `$1<script>var t="${n}"</script>`),
  ],
  ['a footer after the results', (h, n) => h.replace(/<\/body>/, `<div class="footer">${n}</div></body>`)],
];

export const misplacedStatement: ListingMutation = {
  name: 'a statement outside its documented place',
  apply(page, rng) {
    const n = rng.pick(NOTICES);
    const root = jsonOf(page.ex.body);
    if (isObj(root)) {
      const order = [...JSON_PLACES].sort(() => rng.next() - 0.5);
      for (const [label, place] of order) {
        const v = clone(root);
        if (place(v, n)) return { label: `${label}: ${n}`, ex: withBody(page.ex, buf(v)), expect: {} };
      }
      return null;
    }
    if (root !== undefined) return null;
    const html = page.ex.body.toString('utf8');
    const [label, place] = rng.pick(HTML_PLACES);
    const out = place(html, n);
    if (out === html) return null;
    // Results emptied too, so only the misplaced words could make it "no results".
    const emptied = rng.chance(0.5)
      ? out.replace(/<div class="keyword_new">[\s\S]*?<\/div><\/div>/g, '')
      : out;
    return {
      label: `${label}: ${n}${emptied === out ? '' : ', results removed'}`,
      ex: withBody(page.ex, Buffer.from(emptied)),
      expect: {},
    };
  },
};

/** The withholding notice put in one of its documented places: it must be read there. */
export const documentedNotice: ListingMutation = {
  name: 'the withholding notice in a documented place',
  apply(page, rng) {
    if (page.reader !== 'weibo.search') return null;
    const root = jsonOf(page.ex.body);
    if (!isObj(root)) return null;
    const v = clone(root);
    const k = rng.below(3);
    if (k === 0)
      return {
        label: 'the whole ok:0 msg',
        ex: withBody(page.ex, buf({ ok: 0, msg: WITHHELD })),
        expect: { read: true },
      };
    if (k === 1 && inInfo(v, 'desc', WITHHELD))
      return { label: 'cardlistInfo.desc', ex: withBody(page.ex, buf(v)), expect: { read: true } };
    const data = v['data'];
    if (!isObj(data) || !Array.isArray(data['cards'])) return null;
    data['cards'].unshift({ card_type: 4, desc: WITHHELD, show_type: 0 });
    return { label: 'a card_type 4 desc', ex: withBody(page.ex, buf(v)), expect: { read: true } };
  },
};

export const LISTING_MUTATIONS: readonly ListingMutation[] = [
  truncated,
  removedKey,
  renamedKey,
  wrongType,
  unknownCardType,
  foreignPage,
  extraWrapping,
  fullWidth,
  encodings,
  misplacedStatement,
  documentedNotice,
];

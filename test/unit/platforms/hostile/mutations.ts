/**
 * What a hostile, or merely different, platform does to an answer, each mutation with what it
 * leaves of the seed's statement of absence: all of it in its documented place (`equal`: the
 * parser must still read it, with the same cause), perhaps some of it (`subset`: no new final
 * outcome, no other cause), or none (`none`: no final outcome at all).
 */
import { gzipSync } from 'node:zlib';
import iconv from 'iconv-lite';
import type { FuzzRng } from '../../fuzz/rng';
import { DOCID, MID, type Exchange, type HostileSeed } from './exchanges';
import { toTraditional } from '../traditional';

export interface Expect {
  readonly finals: 'equal' | 'subset' | 'none';
  /** `same`: alive content must be the seed's, field for field; `any`: content may change. */
  readonly content: 'same' | 'any';
  /** The asked target may be neither alive nor final (an answer about something else). */
  readonly targetTransient?: boolean;
}

export interface Mutated {
  readonly label: string;
  readonly ex: Exchange;
  readonly expect: Expect;
}

export interface HostileMutation {
  readonly name: string;
  apply(seed: HostileSeed, rng: FuzzRng): Mutated | null;
}

type Json = unknown;
type Obj = Record<string, Json>;
const isObj = (v: Json): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function jsonOf(b: Buffer): Json | undefined {
  try {
    return JSON.parse(b.toString('utf8').replace(/^\uFEFF/, '')) as Json;
  } catch {
    return undefined;
  }
}
const buf = (v: Json): Buffer => Buffer.from(JSON.stringify(v), 'utf8');
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** Every object in a JSON value with the path to it. */
function objects(
  root: Json,
  path = '$',
  out: { path: string; obj: Obj }[] = [],
): { path: string; obj: Obj }[] {
  if (Array.isArray(root)) root.forEach((v, i) => objects(v, `${path}[${i}]`, out));
  else if (isObj(root)) {
    out.push({ path, obj: root });
    for (const [k, v] of Object.entries(root)) objects(v, `${path}.${k}`, out);
  }
  return out;
}

/** The absence statements research/*.md documents, as platforms write them. */
export const WEIBO_NOTICES = [
  '抱歉，此微博已被作者删除。查看帮助：http://t.cn/Rfd3rQV',
  '该微博因被多人投诉，根据《微博社区公约》，已被删除。',
  '抱歉，由于作者设置，你暂时没有这条微博的查看权限哦。',
  '抱歉，作者已设置仅展示半年内微博，此微博已不可见。',
  '微博不存在或暂无查看权限!',
  '该账号因被投诉违反《微博社区公约》的相关规定，现已无法查看。',
  '该账号因用户自行申请关闭，现已无法查看。',
  '抱歉，此微博已被删除。',
  '根据相关法律法规和政策，搜索结果未予显示',
];
export const NETEASE_NOTICES = [
  '抱歉，您访问的页面不存在。',
  '抱歉，该文章已被删除。',
  '404 Not Found',
  '文章不存在',
];
const ALL_NOTICES = [...WEIBO_NOTICES, ...NETEASE_NOTICES];

const isNetease = (s: HostileSeed): boolean => s.parser.startsWith('netease');
const noticesFor = (s: HostileSeed): readonly string[] => (isNetease(s) ? NETEASE_NOTICES : WEIBO_NOTICES);
const isJsonSeed = (s: HostileSeed): boolean => jsonOf(s.ex.body) !== undefined;
const withBody = (e: Exchange, body: Buffer, headers?: Record<string, string>): Exchange => ({
  ...e,
  body,
  headers: headers ?? e.headers,
});

/** A body statement survives a body mutation only where the status or the redirect makes it. */
const bodyKept = (s: HostileSeed): 'subset' | 'none' =>
  s.absence === 'status' || s.absence === 'redirect' ? 'subset' : 'none';

/**
 * Structural cut points: after a JSON or markup delimiter, never at the very end, nor after a
 * page's `</body>` (everything the page says has arrived by then).
 */
export function cutPoints(body: Buffer): number[] {
  const text = body.toString('latin1');
  const closed = text.search(/<\/body\s*>/i);
  const end = closed >= 0 ? closed + '</body>'.length - 1 : text.trimEnd().length;
  const out: number[] = [];
  for (let i = 1; i < end; i++) if ('{}[],:"<>'.includes(text[i - 1]!)) out.push(i);
  return out;
}

export const truncateAtStructure: HostileMutation = {
  name: 'truncated at a structural point',
  apply(seed, rng) {
    const points = cutPoints(seed.ex.body);
    if (points.length === 0) return null;
    const at = rng.pick(points);
    return {
      label: `cut at byte ${at} of ${seed.ex.body.length}`,
      ex: withBody(seed.ex, seed.ex.body.subarray(0, at)),
      expect: { finals: bodyKept(seed), content: 'any' },
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

export const wrapInOtherJson: HostileMutation = {
  name: 'wrapped in other JSON',
  apply(seed, rng) {
    const v = jsonOf(seed.ex.body);
    if (v === undefined) return null;
    const [label, wrap] = rng.pick(WRAPS);
    return {
      label,
      ex: withBody(seed.ex, buf(wrap(v))),
      expect: { finals: bodyKept(seed), content: 'any' },
    };
  },
};

const RENAMES: Readonly<Record<string, readonly string[]>> = {
  errno: ['err_no', 'errNo', 'code'],
  error_code: ['errorCode', 'err_code'],
  msg: ['errmsg', 'error_msg', 'tips'],
  message: ['msg_text', 'errorMessage'],
  ok: ['status', 'success'],
  state: ['status_state', 'st'],
  deleted: ['is_deleted', 'del'],
  text: ['content', 'text_html'],
  mid: ['mid_str', 'weibo_id'],
  id: ['uid_', 'post_id'],
  idstr: ['id_str'],
  user: ['author', 'owner'],
  retweeted_status: ['retweet', 'original_status'],
  data: ['payload', 'result'],
  cards: ['items'],
  mblog: ['status', 'weibo'],
  docId: ['doc_id', 'docid'],
  comments: ['commentMap', 'list'],
  commentIds: ['ids'],
  tcount: ['count'],
  created_at: ['createdAt', 'time'],
  reposts_count: ['repost_count'],
};

export const renameKey: HostileMutation = {
  name: 'a key renamed',
  apply(seed, rng) {
    const root = jsonOf(seed.ex.body);
    if (root === undefined) return null;
    const v = clone(root);
    const hits = objects(v).flatMap(({ path, obj }) =>
      Object.keys(obj)
        .filter((k) => RENAMES[k])
        .map((k) => ({ path, obj, k })),
    );
    if (hits.length === 0) return null;
    const { path, obj, k } = rng.pick(hits);
    const to = rng.pick(RENAMES[k]!);
    const rebuilt: Obj = {};
    for (const [key, val] of Object.entries(obj)) rebuilt[key === k ? to : key] = val;
    for (const key of Object.keys(obj)) delete obj[key];
    Object.assign(obj, rebuilt);
    return {
      label: `${path}.${k} → ${to}`,
      ex: withBody(seed.ex, buf(v)),
      expect: { finals: 'subset', content: 'any' },
    };
  },
};

const SWAPS: readonly Json[] = [null, [], {}, '', '1', 0, 1, -1, true, 'null', [{}]];

export const unexpectedShape: HostileMutation = {
  name: 'a value of an unexpected shape',
  apply(seed, rng) {
    const root = jsonOf(seed.ex.body);
    if (root === undefined) return null;
    const v = clone(root);
    const hits = objects(v).flatMap(({ path, obj }) => Object.keys(obj).map((k) => ({ path, obj, k })));
    if (hits.length === 0) return null;
    const { path, obj, k } = rng.pick(hits);
    const to = rng.pick(SWAPS);
    obj[k] = to;
    return {
      label: `${path}.${k} = ${JSON.stringify(to)}`,
      ex: withBody(seed.ex, buf(v)),
      expect: { finals: 'subset', content: 'any' },
    };
  },
};

/** Keys whose string values are someone's words: post texts, names, profiles, comments, titles. */
const LIVE_TEXT_KEYS = new Set([
  'text',
  'raw_text',
  'screen_name',
  'description',
  'verified_reason',
  'content',
  'nickname',
  'title',
  'longTextContent',
  'source',
  'location',
]);

export const noticeInLiveText: HostileMutation = {
  name: 'a notice quoted in live text',
  apply(seed, rng) {
    const root = jsonOf(seed.ex.body);
    const notice = rng.pick(ALL_NOTICES);
    if (root !== undefined) {
      const v = clone(root);
      // Live words: a field of an object that still has its author, or a comment, or a title.
      const hits = objects(v).flatMap(({ path, obj }) =>
        Object.keys(obj)
          .filter((k) => LIVE_TEXT_KEYS.has(k) && typeof obj[k] === 'string')
          .filter((k) => !(k === 'text' && 'user' in obj && !isObj(obj['user'])))
          .map((k) => ({ path, obj, k })),
      );
      if (hits.length === 0) return null;
      const { path, obj, k } = rng.pick(hits);
      const how = rng.below(3);
      const old = obj[k] as string;
      obj[k] = how === 0 ? notice : how === 1 ? `${old} ${notice}` : `转发：“${notice}”`;
      return {
        label: `${path}.${k} := ${how === 0 ? '' : how === 1 ? 'old + ' : 'quoted '}${notice}`,
        ex: withBody(seed.ex, buf(v)),
        expect: { finals: 'subset', content: 'any' },
      };
    }
    // HTML: inside a paragraph of the article or post.
    const html = seed.ex.body.toString('utf8');
    const at = html.search(/<\/p>/);
    if (at < 0 || seed.absence !== 'none') return null;
    const body = `${html.slice(0, at)}网友说：${notice}${html.slice(at)}`;
    return {
      label: `paragraph += ${notice}`,
      ex: withBody(seed.ex, Buffer.from(body, 'utf8')),
      expect: { finals: 'subset', content: 'any' },
    };
  },
};

/** Pages that carry a notice only where a page's own statement never is. */
export const MISPLACED: readonly [string, (n: string) => string][] = [
  ['in <title> only', (n) => `<html><head><title>${n}</title></head><body></body></html>`],
  [
    'in <title> only, an app shell',
    (n) => `<!DOCTYPE html><html><head><title>${n}</title></head><body><div id="app"></div></body></html>`,
  ],
  [
    'in a script',
    (n) =>
      `<html><head><title>微博</title><script>var msg = "${n}";</script></head><body><div id="app"></div></body></html>`,
  ],
  [
    'in a comment',
    (n) => `<html><head><title>微博</title></head><body><!-- ${n} --><div id="app"></div></body></html>`,
  ],
  [
    'in a meta description',
    (n) =>
      `<html><head><meta name="description" content="${n}"><title>微博</title></head><body><div id="app"></div></body></html>`,
  ],
  [
    'in a style',
    (n) => `<html><head><style>/* ${n} */</style></head><body><div id="app"></div></body></html>`,
  ],
  ['in an attribute', (n) => `<html><body><div id="app" data-msg="${n}"></div></body></html>`],
  ['in a template', (n) => `<html><body><template><p>${n}</p></template><div id="app"></div></body></html>`],
  ['quoted in a question', (n) => `<html><body><p>网友提问：“${n}”是什么意思？</p></body></html>`],
  [
    'in a script of a maintenance page',
    (n) =>
      `<html><head><script>var m="${n}"</script></head><body><p>系统维护中，请稍后再试</p></body></html>`,
  ],
  [
    'a login wall quoting it',
    (n) =>
      `<html><head><title>Sina Visitor System</title></head><body><script>/* ${n} */</script></body></html>`,
  ],
];

export const misplacedNoticePage: HostileMutation = {
  name: 'an HTML page with the notice out of place',
  apply(seed, rng) {
    const [label, page] = rng.pick(MISPLACED);
    const notice = rng.pick(noticesFor(seed));
    return {
      label: `${label}: ${notice}`,
      ex: withBody(seed.ex, Buffer.from(page(notice), 'utf8'), {
        'content-type': 'text/html; charset=utf-8',
      }),
      expect: { finals: bodyKept(seed), content: 'any' },
    };
  },
};

const LOGIN_WALLS: readonly [string, string][] = [
  [
    'Sina Visitor System',
    '<html><head><title>Sina Visitor System</title></head><body><script>x()</script></body></html>',
  ],
  [
    '请先登录',
    '<html><head><title>登录</title></head><body><p>请先登录后查看</p><a href="/login">登录</a></body></html>',
  ],
  ['网易通行证', '<html><head><title>网易通行证</title></head><body><p>登录后查看</p></body></html>'],
];

export const loginWall200: HostileMutation = {
  name: '200 with a login wall',
  apply(seed, rng) {
    const [label, html] = rng.pick(LOGIN_WALLS);
    return {
      label,
      ex: withBody(seed.ex, Buffer.from(html, 'utf8'), { 'content-type': 'text/html; charset=utf-8' }),
      expect: { finals: bodyKept(seed), content: 'any' },
    };
  },
};

const OFF_HOST = 'https://cdn.example.net/cache/page';
const walls = (s: HostileSeed): string =>
  isNetease(s) ? 'https://reg.163.com/login.jsp?url=x' : 'https://passport.weibo.com/visitor/visitor?a=enter';
const home = (s: HostileSeed): string => (isNetease(s) ? 'https://www.163.com/' : 'https://m.weibo.cn/');

export const redirectChain: HostileMutation = {
  name: 'a 302 chain',
  apply(seed, rng) {
    const e = seed.ex;
    const k = rng.below(5);
    if (k === 0)
      // Off the platform: whatever the body says, it is not the platform saying it.
      return {
        label: `followed to ${OFF_HOST}, status ${e.status}`,
        ex: { ...e, finalUrl: OFF_HOST, redirects: [e.url, OFF_HOST] },
        expect: { finals: 'none', content: 'any' },
      };
    if (k === 1)
      return {
        label: 'followed through a login wall to the home page',
        ex: { ...e, finalUrl: home(seed), redirects: [e.url, walls(seed), home(seed)] },
        expect: { finals: 'none', content: 'any' },
      };
    if (k === 2)
      return {
        label: '404 after a redirect off the platform',
        ex: { ...e, status: 404, finalUrl: OFF_HOST, redirects: [e.url, OFF_HOST] },
        expect: { finals: 'none', content: 'any' },
      };
    if (k === 3)
      return {
        label: 'unfollowed 302 to another host',
        ex: { ...e, status: 302, headers: { ...e.headers, location: OFF_HOST } },
        expect: { finals: 'none', content: 'any' },
      };
    return {
      label: 'unfollowed 302 to the login wall',
      ex: { ...e, status: 302, headers: { ...e.headers, location: walls(seed) } },
      expect: { finals: 'none', content: 'any' },
    };
  },
};

export const charsetDeclarations: HostileMutation = {
  name: 'a charset declaration or encoding',
  apply(seed, rng) {
    const e = seed.ex;
    const text = e.body.toString('utf8');
    const k = rng.below(6);
    const ct = e.headers['content-type'] ?? '';
    const base = ct.split(';')[0] ?? 'text/html';
    if (k === 0)
      return {
        label: 'UTF-8 BOM',
        ex: withBody(e, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), e.body])),
        expect: { finals: 'equal', content: 'same' },
      };
    if (k === 1)
      return {
        label: 'GBK bytes, declared',
        ex: withBody(e, iconv.encode(text.replace(/charset=["']?utf-8/gi, 'charset=gbk'), 'gb18030'), {
          ...e.headers,
          'content-type': `${base}; charset=gbk`,
        }),
        expect: { finals: 'equal', content: 'same' },
      };
    if (k === 2)
      return {
        label: 'UTF-8 bytes declared gbk in the header',
        ex: withBody(e, e.body, { ...e.headers, 'content-type': `${base}; charset=gbk` }),
        expect: { finals: 'subset', content: 'same' },
      };
    if (k === 3)
      return {
        label: 'UTF-8 BOM, header says gbk',
        ex: withBody(e, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), e.body]), {
          ...e.headers,
          'content-type': `${base}; charset=gbk`,
        }),
        expect: { finals: 'subset', content: 'same' },
      };
    if (k === 4)
      return {
        label: 'GBK bytes, header says utf-8',
        ex: withBody(e, iconv.encode(text, 'gb18030'), {
          ...e.headers,
          'content-type': `${base}; charset=utf-8`,
        }),
        expect: { finals: 'subset', content: 'same' },
      };
    return {
      label: 'UTF-16LE with BOM, undeclared',
      ex: withBody(e, Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf16le')]), {
        ...e.headers,
        'content-type': base,
      }),
      expect: { finals: 'subset', content: 'same' },
    };
  },
};

export const gzipLies: HostileMutation = {
  name: 'a gzip lie',
  apply(seed, rng) {
    const e = seed.ex;
    if (rng.chance(0.5))
      return {
        label: 'gzip bytes, no content-encoding',
        ex: withBody(e, gzipSync(e.body)),
        expect: { finals: bodyKept(seed), content: 'same' },
      };
    return {
      label: 'content-encoding: gzip on a plain body (already decoded)',
      ex: withBody(e, e.body, { ...e.headers, 'content-encoding': 'gzip' }),
      expect: { finals: 'equal', content: 'same' },
    };
  },
};

/** Another post's or article's id, consistently in every id field. */
const OTHER_MID = '4383487819465288';
const OTHER_DOCID = 'KD99AAAA000189FH';

export const aboutAnotherTarget: HostileMutation = {
  name: 'an answer about another post',
  apply(seed, rng) {
    const e = seed.ex;
    if (seed.absence !== 'none') return null;
    let text = e.body.toString('utf8');
    if (seed.parser.startsWith('weibo') && (seed.parser.endsWith('how') || seed.parser.endsWith('detail'))) {
      text = text.split(MID).join(OTHER_MID).split('HyZVegYAP').join('HyZVeOTHR');
    } else if (seed.parser === 'netease.article') {
      text = text.split(DOCID).join(OTHER_DOCID);
    } else if (seed.parser === 'netease.thread' || seed.parser === 'netease.comments') {
      text = text.split(seed.target).join(OTHER_DOCID);
    } else return null;
    void rng;
    return {
      label: 'every id of the target replaced by another',
      ex: withBody(e, Buffer.from(text, 'utf8')),
      expect: { finals: 'none', content: 'any', targetTransient: true },
    };
  },
};

/** Variants of a documented statement that keep its meaning: the parser must read each the same. */
const MEANING_VARIANTS: readonly [string, (v: Obj) => boolean][] = [
  [
    'errno as a number',
    (v) =>
      typeof v['errno'] === 'string' && /^\d+$/.test(v['errno'])
        ? ((v['errno'] = Number(v['errno'])), true)
        : false,
  ],
  [
    'error_code as a string',
    (v) =>
      typeof v['error_code'] === 'number' ? ((v['error_code'] = String(v['error_code'])), true) : false,
  ],
  ['msg → message', (v) => move(v, 'msg', 'message')],
  ['message → msg', (v) => move(v, 'message', 'msg')],
  ['errno → error_code', (v) => move(v, 'errno', 'error_code')],
  ['full-width ↔ half-width punctuation', (v) => editText(v, (t) => swapWidth(t))],
  ['a trailing help link', (v) => editText(v, (t) => `${t}查看帮助：http://t.cn/RfdHELP`)],
  ['traditional characters', (v) => editText(v, (t) => toTraditional(t))],
  ['surrounding whitespace', (v) => editText(v, (t) => ` \n${t}\u3000 `)],
  ['ok as a string', (v) => ('ok' in v ? ((v['ok'] = String(v['ok'])), true) : false)],
];

function move(v: Obj, from: string, to: string): boolean {
  if (!(from in v) || to in v) return false;
  v[to] = v[from];
  delete v[from];
  return true;
}

function editText(v: Obj, f: (t: string) => string): boolean {
  for (const k of ['msg', 'message']) {
    if (typeof v[k] === 'string' && v[k] !== '') {
      v[k] = f(v[k]);
      return true;
    }
  }
  return false;
}

const WIDTH: Readonly<Record<string, string>> = {
  '，': ',',
  '。': '.',
  '！': '!',
  '：': ':',
  '!': '！',
  ',': '，',
};
const swapWidth = (t: string): string => t.replace(/[，。！：!,]/g, (c) => WIDTH[c] ?? c);

export const meaningVariant: HostileMutation = {
  name: 'the documented statement in another spelling',
  apply(seed, rng) {
    if (seed.absence !== 'body') return null;
    const root = jsonOf(seed.ex.body);
    if (!isObj(root)) return null;
    const order = [...MEANING_VARIANTS].sort(() => rng.next() - 0.5);
    for (const [label, f] of order) {
      const v = clone(root);
      if (f(v)) return { label, ex: withBody(seed.ex, buf(v)), expect: { finals: 'equal', content: 'same' } };
    }
    return null;
  },
};

/** A positive page that says something other than absence, served with the seed's status. */
export const otherStatementBody: HostileMutation = {
  name: 'a maintenance or challenge page in place of the body',
  apply(seed, rng) {
    const pages: [string, string][] = [
      [
        'maintenance',
        '<html><head><title>系统维护</title></head><body><p>系统维护中，请稍后再试。</p></body></html>',
      ],
      [
        'script-only challenge',
        '<html><head><script>document.cookie="x=1";location.reload()</script></head><body></body></html>',
      ],
      ['captcha', '<html><body><p>你的行为有些异常，请输入验证码</p></body></html>'],
    ];
    const [label, html] = rng.pick(pages);
    return {
      label,
      ex: withBody(seed.ex, Buffer.from(html, 'utf8'), { 'content-type': 'text/html; charset=utf-8' }),
      // Whatever the status: a page that says something else is not a statement of absence.
      expect: { finals: seed.absence === 'redirect' ? 'subset' : 'none', content: 'any' },
    };
  },
};

export const HOSTILE_MUTATIONS: readonly HostileMutation[] = [
  truncateAtStructure,
  wrapInOtherJson,
  renameKey,
  unexpectedShape,
  noticeInLiveText,
  misplacedNoticePage,
  loginWall200,
  redirectChain,
  charsetDeclarations,
  gzipLies,
  aboutAnotherTarget,
  meaningVariant,
  otherStatementBody,
];

export { isJsonSeed };

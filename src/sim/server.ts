import http from 'node:http';
import { send } from './respond';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import YAML from 'yaml';
import type { Clock } from '../domain/clock';
import type { Cause } from '../domain/glossary';
import { WEIBO_HOSTS } from '../platforms/weibo/hosts';
import { bidToMid, midToBid } from '../platforms/weibo/ids';
import { NeteaseSim } from './netease-server';
import type { NeteaseFaultKind } from './netease-server';
import { createRng } from './world';
import { SimWeiboSession, type SimSessionMode } from './weibo-session';
import type { Rng, Scenario, SimAccount, SimPost } from './world';
import {
  MSG,
  NO_CONTENT_BODY,
  badGatewayPage,
  detailPage,
  errorBody,
  errorPage,
  fullCreatedAt,
  notFoundPage,
  placeholder,
  renderText,
  shortCreatedAt,
  textLength,
  TRUNCATE_AT,
  truncatedText,
} from './weibo-format';
import { ajaxErrorBody, ajaxLongTextBody, ajaxShowBody, ajaxStatus, mymblogBody } from './weibo-ajax';
import type { PlaceholderKind } from './weibo-format';
import { ServedComments, type CommentTruthRow } from './comments';
import { hotflowBody } from './weibo-comments';
import { activeOddity, oddAnswer } from './weibo-oddities';

/** The logging the simulator does; a pino logger fits. */
export interface SimLogger {
  info(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

/** Options of {@link Simulator}. */
export interface SimulatorOptions {
  /** Time source; every answer is computed for `clock.now()`. */
  readonly clock: Clock;
  readonly scenario: Scenario;
  /** Probability (0..1) that a request is answered with an injected fault instead. @defaultValue 0 */
  readonly faultRate?: number;
  /** Seed of the fault PRNG. @defaultValue 1 */
  readonly seed?: number;
  readonly logger?: SimLogger;
  /** Weibo cookie walls, visitor-system failures and login redirects; all off by default. */
  readonly session?: SimSessionMode;
}

/** What an ideal observer of everything the server has shown could know about one post. */
export interface GroundTruthRow {
  readonly platform: 'weibo' | 'netease';
  readonly kind: 'post';
  /** Weibo mid or NetEase DOCID. */
  readonly id: string;
  readonly verdict: 'alive' | 'gone';
  /** Null while alive; otherwise the most specific cause an observer could learn. */
  readonly cause: Cause | null;
  /** Edits that happened by the time asked about. */
  readonly editCount: number;
  readonly keywords: readonly string[];
  /** Weibo uid, or the 网易号's T id (empty for NetEase news articles). */
  readonly uid: string;
  /** When the post went (epoch ms), or null while alive. */
  readonly goneAt: number | null;
}

/** Kinds of injected faults, each a real Weibo blocking or failure behaviour. */
export const FAULT_KINDS = [
  'http418',
  'http403_100005',
  'http432',
  'captcha',
  'html_unknown_error',
  'http502',
  'reset',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Request and fault counts of one endpoint. */
export interface EndpointStats {
  requests: number;
  faults: number;
  faultKinds: Partial<Record<FaultKind | NeteaseFaultKind, number>>;
}

type Endpoint =
  | 'search'
  | 'profile'
  | 'timeline'
  | 'container'
  | 'show'
  | 'extend'
  | 'detail'
  | 'hotflow'
  | 'ajax-show'
  | 'ajax-longtext'
  | 'ajax-mymblog'
  | 'home'
  | 'api-config'
  | 'visitor'
  | 'sso'
  | 'sim'
  | 'not-found';

interface GoneState {
  readonly at: number;
  readonly cause: Cause;
  readonly reveal: 'message' | 'ambiguous';
  /** Set when the account's ban or closure is what made the post go. */
  readonly account?: 'ban' | 'close';
}

interface AccountRt {
  readonly account: SimAccount;
  readonly user: Record<string, unknown>;
  /** When the account became unviewable, or Infinity. */
  readonly goneAt: number;
  readonly goneKind: 'ban' | 'close' | null;
  /** Newest first. */
  readonly posts: PostRt[];
}

interface PostRt {
  readonly post: SimPost;
  readonly mid: string;
  readonly midNum: number;
  readonly bid: string;
  readonly account: AccountRt;
  readonly createdAt: number;
  readonly fullCreatedAt: string;
  /** Infinity when the post never goes. */
  readonly goneAt: number;
  readonly gone: GoneState | null;
  readonly editTimes: readonly number[];
  /** Full plain text per version: [original, after edit 1, …]. */
  readonly texts: readonly string[];
  /** Rendered list/detail text per version, filled on first use. */
  readonly shownHtml: Array<string | undefined>;
  readonly fullHtml: Array<string | undefined>;
  readonly picFields: Record<string, unknown>;
  readonly counts: { reposts_count: number; comments_count: number; attitudes_count: number };
  readonly source: string;
  readonly region: string;
  original: PostRt | null;
}

const PAGE_SIZE = 10;
/** Endpoints behind the session walls (the JSON API and the detail page). */
const WALLED: ReadonlySet<Endpoint> = new Set<Endpoint>([
  'search',
  'profile',
  'timeline',
  'container',
  'show',
  'extend',
  'detail',
  'hotflow',
  'ajax-show',
  'ajax-longtext',
  'ajax-mymblog',
]);
/** Endpoints a post's oddity is served on: its direct checks, never the listings. */
const ODD_ENDPOINTS: ReadonlySet<Endpoint> = new Set<Endpoint>([
  'show',
  'extend',
  'detail',
  'hotflow',
  'ajax-show',
  'ajax-longtext',
]);
const JSON_TYPE = 'application/json; charset=utf-8';
const HTML_TYPE = 'text/html; charset=utf-8';
const SOURCES = [
  'iPhone客户端',
  'Android',
  '微博 weibo.com',
  'HUAWEI Mate 60 Pro',
  '微博HTML5版',
  'Redmi K60',
  '小米13',
];
const REGIONS = ['北京', '上海', '广东', '浙江', '江苏', '四川', '湖北', '陕西', '山东', '福建', '海外'];

/** Derived numbers must not depend on the fault PRNG, so they come from the id itself. */
function hashOf(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

function formatCount(n: number): number | string {
  // Large follower counts come as strings such as "178.2万" (research §2.2).
  return n >= 100_000 ? `${(n / 10_000).toFixed(1)}万` : n;
}

function parsePostId(raw: string | null | undefined): string | null {
  if (!raw) return null;
  if (/^\d{1,20}$/.test(raw)) return raw.replace(/^0+(?=\d)/, '');
  if (/^[0-9a-zA-Z]{1,12}$/.test(raw)) return bidToMid(raw);
  return null;
}

/**
 * A local HTTP server that answers like m.weibo.cn (and the weibo.com / passport hosts mapped
 * onto it) for a {@link Scenario} on an injected clock, with optional fault injection, and that
 * keeps the ground truth of what it has shown.
 */
export class Simulator {
  private readonly clock: Clock;
  /** The scenario being served. */
  readonly scenario: Scenario;
  private readonly faultRate: number;
  private readonly faultRng: Rng;
  private readonly logger: SimLogger | undefined;
  private readonly posts = new Map<string, PostRt>();
  private readonly accounts = new Map<string, AccountRt>();
  /** keyword → posts, newest first. */
  private readonly byKeyword = new Map<string, PostRt[]>();
  private readonly servedAlive = new Set<string>();
  private readonly embedded = new Set<string>();
  /** Causes stated by placeholders served for an original: mid → cause → first time served. */
  private readonly stated = new Map<string, Map<Cause, number>>();
  private readonly counters = new Map<string, EndpointStats>();
  /** Weibo comments served, for {@link commentTruth}. */
  private readonly servedComments = new ServedComments();
  /** NetEase's hosts, answered on the same port and told apart by path. */
  private readonly netease: NeteaseSim;
  private server: http.Server | null = null;
  private base: string | null = null;
  /** Weibo's cookies and walls; {@link SimWeiboSession.set} changes them while serving. */
  readonly session: SimWeiboSession;
  /** Real milliseconds every platform answer waits before it is computed; see {@link setDelay}. */
  private delayMs = 0;
  /** Answers waiting out the delay, so `stop` can drop them. */
  private readonly delayed = new Set<NodeJS.Timeout>();

  constructor(options: SimulatorOptions) {
    this.session = new SimWeiboSession(options.session);
    this.clock = options.clock;
    this.scenario = options.scenario;
    this.faultRate = Math.min(1, Math.max(0, options.faultRate ?? 0));
    this.faultRng = createRng((options.seed ?? 1) ^ 0x5eed5eed);
    this.logger = options.logger;
    this.netease = new NeteaseSim({ clock: this.clock, netease: options.scenario.netease });
    this.index();
  }

  /** Base URL once started (e.g. `http://127.0.0.1:40123`), else null. */
  get url(): string | null {
    return this.base;
  }

  /** Starts listening; resolves to the base URL. Port 0 picks a free port. */
  async start(port = 0, host = '127.0.0.1'): Promise<string> {
    if (this.server) throw new Error('simulator already started');
    const server = http.createServer((req, res) => this.handle(req, res));
    server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    const addr = server.address() as AddressInfo;
    const shownHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
    this.base = `http://${shownHost}:${addr.port}`;
    this.logger?.info({ url: this.base, scenario: this.scenario.name }, 'weibo simulator listening');
    return this.base;
  }

  /**
   * Makes every platform answer (not `/__sim/*`) wait `ms` real milliseconds before it is computed
   * for the clock's time then, like a slow network or an overloaded site; 0 answers at once again.
   * Also `GET /__sim/delay?ms=N`.
   */
  setDelay(ms: number): void {
    this.delayMs = Math.max(0, Number.isFinite(ms) ? ms : 0);
  }

  /** Requests received and not yet answered because of the delay. */
  get waiting(): number {
    return this.delayed.size;
  }

  /** Stops listening and drops open keep-alive connections. */
  async stop(): Promise<void> {
    for (const t of this.delayed) clearTimeout(t);
    this.delayed.clear();
    const server = this.server;
    if (!server) return;
    this.server = null;
    this.base = null;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  /** Requests and faults per endpoint since construction. */
  stats(): Record<string, EndpointStats> {
    const out: Record<string, EndpointStats> = {};
    for (const [k, v] of this.counters)
      out[k] = { requests: v.requests, faults: v.faults, faultKinds: { ...v.faultKinds } };
    return out;
  }

  /**
   * The truth about every post the server has served alive, plus every original embedded in a
   * served repost, as of `at`. `gone` iff its fate or its account's ban/closure happened by `at`.
   * The cause is what an observer could learn: the stated cause for `message` fates and account
   * bans; for `ambiguous` fates the cause a served repost placeholder stated (state 7 / 8), else
   * `gone_unspecified`.
   */
  groundTruth(at: number = this.clock.now()): GroundTruthRow[] {
    const mids = new Set<string>([...this.servedAlive, ...this.embedded]);
    const rows: GroundTruthRow[] = [];
    for (const mid of mids) {
      const p = this.posts.get(mid);
      if (!p) continue;
      const gone = p.gone !== null && p.goneAt <= at ? p.gone : null;
      rows.push({
        platform: 'weibo',
        kind: 'post',
        id: mid,
        verdict: gone ? 'gone' : 'alive',
        cause: gone ? this.learnableCause(p, gone, at) : null,
        editCount: this.versionAt(p, at),
        keywords: p.post.keywords,
        uid: p.post.uid,
        goneAt: gone ? gone.at : null,
      });
    }
    rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return [...rows, ...this.netease.groundTruth(at)];
  }

  /**
   * Comments an observer saw and that were deleted by `at` (Weibo and NetEase): each was served
   * alive at least once before its deletion.
   */
  commentTruth(at: number = this.clock.now()): CommentTruthRow[] {
    return [...this.servedComments.truth(at), ...this.netease.commentTruth(at)];
  }

  /**
   * A censorwatch YAML config pointing every Weibo host at this server, with the scenario's
   * watches and timing. Needs the server started.
   */
  configYaml(database = 'data/censorwatch.db'): string {
    const base = this.base;
    if (!base) throw new Error('simulator not started');
    const t = this.scenario.timing;
    const doc = {
      database,
      platforms: {
        weibo: {
          // Every Weibo host, so no redirect the crawler follows can leave the simulator.
          hosts: Object.fromEntries(WEIBO_HOSTS.map((h) => [h, base])),
          cookie: '',
          minInterval: t.minInterval,
          backoff: { base: t.backoffBase, max: t.backoffMax },
        },
        netease: {
          hosts: this.netease.hosts(base),
          minInterval: t.minInterval,
          backoff: { base: t.backoffBase, max: t.backoffMax },
        },
      },
      schedule: {
        discoverEvery: t.discoverEvery,
        ladder: [...t.ladder],
        confirmGone: t.confirmGone,
        confirmAfter: t.confirmAfter,
      },
      watches: this.scenario.watches.map((w) => ({
        id: w.id,
        name: w.name,
        weibo: {
          keywords: [...w.keywords],
          accounts: [...w.accounts],
          posts: [],
          ...(w.comments ? { comments: true } : {}),
        },
        netease: {
          keywords: [...(w.netease?.keywords ?? [])],
          accounts: (w.netease?.accounts ?? []).map((tid) => NeteaseSim.homeUrl(tid)),
          articles: [],
          ...(w.comments ? { comments: true } : {}),
        },
      })),
      alerts: { webhooks: [] },
    };
    return `# censorwatch config for the simulated Weibo and NetEase (scenario ${this.scenario.name}) at ${base}\n${YAML.stringify(doc)}`;
  }

  // -------------------------------------------------------------------------------------------
  // Indexing: everything that does not depend on the clock is computed once here.

  private index(): void {
    const { accounts, posts } = this.scenario.weibo;
    for (const a of accounts) {
      const ban = a.banAt ?? Infinity;
      const close = a.closeAt ?? Infinity;
      const h = hashOf(a.uid);
      const own = posts.filter((p) => p.uid === a.uid).length;
      const followers = 50 + (h % 400_000);
      const avatar = `https://tvax${(h % 4) + 1}.sinaimg.cn/crop.0.0.512.512.180/${a.uid.slice(0, 8)}ly8g${(h % 100000).toString(36)}.jpg`;
      this.accounts.set(a.uid, {
        account: a,
        goneAt: Math.min(ban, close),
        goneKind: ban === Infinity && close === Infinity ? null : ban <= close ? 'ban' : 'close',
        posts: [],
        user: {
          id: Number(a.uid),
          screen_name: a.name,
          profile_image_url: avatar,
          profile_url: `https://m.weibo.cn/u/${a.uid}?uid=${a.uid}`,
          statuses_count: 100 + (h % 3000) + own,
          verified: h % 7 === 0,
          verified_type: h % 7 === 0 ? 0 : -1,
          close_blue_v: false,
          description: h % 3 === 0 ? '' : '随便说说，理性讨论。',
          gender: h % 2 === 0 ? 'm' : 'f',
          mbtype: h % 3 === 0 ? 2 : 0,
          urank: 5 + (h % 40),
          mbrank: h % 7,
          follow_me: false,
          following: false,
          followers_count: formatCount(followers),
          follow_count: 20 + (h % 900),
          cover_image_phone:
            'https://tva1.sinaimg.cn/crop.0.0.640.640.640/549d0121tw1egm1kjly3jj20hs0hsq4f.jpg',
          avatar_hd: avatar.replace('crop.0.0.512.512.180', 'orj480'),
          like: false,
          like_me: false,
        },
      });
    }
    for (const p of posts) {
      const account = this.accounts.get(p.uid);
      if (!account) throw new Error(`scenario post ${p.mid}: unknown account ${p.uid}`);
      const gone = this.goneState(p, account);
      const edits = (p.edits ?? []).slice().sort((x, y) => x.at - y.at);
      const h = hashOf(p.mid);
      const rt: PostRt = {
        post: p,
        mid: p.mid,
        midNum: Number(p.mid),
        bid: midToBid(p.mid),
        account,
        createdAt: p.createdAt,
        fullCreatedAt: fullCreatedAt(p.createdAt),
        goneAt: gone ? gone.at : Infinity,
        gone,
        editTimes: edits.map((e) => e.at),
        texts: [p.isLongText ? (p.longText ?? p.text) : p.text, ...edits.map((e) => e.text)],
        shownHtml: [],
        fullHtml: [],
        picFields: this.picFields(p),
        counts: {
          reposts_count: h % 300,
          comments_count: (h >>> 9) % 500,
          attitudes_count: (h >>> 3) % 3000,
        },
        source: SOURCES[h % SOURCES.length]!,
        region: `发布于 ${REGIONS[(h >>> 5) % REGIONS.length]!}`,
        original: null,
      };
      this.posts.set(p.mid, rt);
      account.posts.push(rt);
      for (const k of p.keywords) {
        let list = this.byKeyword.get(k);
        if (!list) this.byKeyword.set(k, (list = []));
        list.push(rt);
      }
    }
    for (const rt of this.posts.values()) {
      if (rt.post.repostOf === undefined) continue;
      const orig = this.posts.get(rt.post.repostOf);
      if (!orig) throw new Error(`scenario post ${rt.mid}: repost of unknown ${rt.post.repostOf}`);
      rt.original = orig;
      orig.counts.reposts_count += 1;
    }
    const newestFirst = (a: PostRt, b: PostRt): number => b.createdAt - a.createdAt || b.midNum - a.midNum;
    for (const list of this.byKeyword.values()) list.sort(newestFirst);
    for (const a of this.accounts.values()) a.posts.sort(newestFirst);
  }

  /** Whichever comes first, the post's fate or its account's end, decides how it goes. */
  private goneState(
    p: SimPost,
    account: { goneAt: number; goneKind: 'ban' | 'close' | null },
  ): GoneState | null {
    const fateAt = p.fate ? p.fate.at : Infinity;
    if (account.goneKind && account.goneAt <= fateAt) {
      return {
        at: Math.max(account.goneAt, p.createdAt),
        cause: 'account_gone',
        reveal: 'message',
        account: account.goneKind,
      };
    }
    return p.fate ? { at: p.fate.at, cause: p.fate.cause, reveal: p.fate.reveal } : null;
  }

  private picFields(p: SimPost): Record<string, unknown> {
    const n = p.pics ?? 0;
    if (n <= 0) return { pic_ids: [], pic_types: '' };
    const pids: string[] = [];
    const pics: Record<string, unknown>[] = [];
    for (let i = 0; i < n; i++) {
      const h = hashOf(`${p.mid}:${i}`);
      const pid = `${p.uid.slice(0, 8)}ly1g${h.toString(36).padStart(7, '0')}j20u0${(i + 10).toString(36)}0k0`;
      const w = 600 + (h % 1400);
      const hgt = 600 + ((h >>> 11) % 1400);
      pids.push(pid);
      pics.push({
        pid,
        url: `https://wx${(h % 4) + 1}.sinaimg.cn/orj360/${pid}.jpg`,
        size: 'orj360',
        geo: { width: 360, height: Math.round((360 * hgt) / w), croped: false },
        large: {
          size: 'large',
          url: `https://wx${(h % 4) + 1}.sinaimg.cn/large/${pid}.jpg`,
          // The real API sends these sometimes as strings, sometimes as numbers (reference sample).
          geo: { width: h % 2 === 0 ? String(w) : w, height: h % 2 === 0 ? String(hgt) : hgt, croped: false },
        },
      });
    }
    const first = pids[0]!;
    return {
      pic_ids: pids,
      pic_num: n,
      pic_types: pids.map(() => '0').join(','),
      thumbnail_pic: `http://wx3.sinaimg.cn/thumbnail/${first}.jpg`,
      bmiddle_pic: `http://wx3.sinaimg.cn/bmiddle/${first}.jpg`,
      original_pic: `http://wx3.sinaimg.cn/large/${first}.jpg`,
      pics,
    };
  }

  // -------------------------------------------------------------------------------------------
  // Truth helpers.

  private versionAt(p: PostRt, at: number): number {
    let v = 0;
    while (v < p.editTimes.length && p.editTimes[v]! <= at) v++;
    return v;
  }

  private isAlive(p: PostRt, now: number): boolean {
    return p.createdAt <= now && now < p.goneAt;
  }

  private learnableCause(p: PostRt, gone: GoneState, at: number): Cause {
    if (gone.reveal === 'message') return gone.cause;
    const stated = this.stated.get(p.mid);
    if (stated) {
      for (const [cause, firstAt] of stated) if (firstAt <= at) return cause;
    }
    // An ambiguous disappearance followed by the account's ban: direct checks then name the ban.
    if (p.account.goneAt <= at) return 'account_gone';
    return 'gone_unspecified';
  }

  private markStated(mid: string, cause: Cause, now: number): void {
    let m = this.stated.get(mid);
    if (!m) this.stated.set(mid, (m = new Map()));
    if (!m.has(cause)) m.set(cause, now);
  }

  // -------------------------------------------------------------------------------------------
  // Rendering.

  private shownText(p: PostRt, v: number): string {
    let s = p.shownHtml[v];
    if (s === undefined) {
      const plain = p.texts[v]!;
      s = p.post.isLongText ? truncatedText(plain, p.mid) : renderText(plain);
      p.shownHtml[v] = s;
    }
    return s;
  }

  private fullText(p: PostRt, v: number): string {
    let s = p.fullHtml[v];
    if (s === undefined) p.fullHtml[v] = s = renderText(p.texts[v]!);
    return s;
  }

  /** An mblog object; records what it shows. `full` uses the detail endpoints' forms. */
  private mblog(p: PostRt, now: number, full: boolean, asRetweeted = false): Record<string, unknown> {
    this.servedAlive.add(p.mid);
    const v = this.versionAt(p, now);
    const plain = p.texts[v]!;
    const long = p.post.isLongText === true;
    const m: Record<string, unknown> = {
      created_at: full ? p.fullCreatedAt : shortCreatedAt(p.createdAt, now),
      id: p.mid,
      idstr: p.mid,
      mid: p.mid,
      can_edit: false,
      show_additional_indication: 0,
      text: this.shownText(p, v),
      textLength: textLength(plain),
      source: p.source,
      favorited: false,
      ...p.picFields,
      is_paid: false,
      mblog_vip_type: 0,
      user: p.account.user,
    };
    if (p.original && !asRetweeted) m.retweeted_status = this.embed(p.original, now, full);
    m.reposts_count = p.counts.reposts_count;
    m.comments_count = p.counts.comments_count;
    m.attitudes_count = p.counts.attitudes_count;
    m.pending_approval_count = 0;
    m.isLongText = long;
    if (long && full) m.longText = { longTextContent: this.fullText(p, v) };
    m.reward_exhibition_type = 0;
    m.hide_flag = 0;
    m.visible = { type: 0, list_id: 0 };
    m.mblogtype = 0;
    m.more_info_type = 0;
    m.content_auth = 0;
    if (v > 0) m.edit_count = v;
    m.edit_config = { edited: v > 0 };
    m.weibo_position = asRetweeted ? 2 : p.original ? 3 : 1;
    m.show_attitude_bar = 0;
    if (asRetweeted) m.retweeted = 1;
    if (p.original) m.raw_text = plain;
    m.region_name = p.region;
    m.bid = p.bid;
    return m;
  }

  /** A repost's `retweeted_status`: the original while it is up, else the placeholder. */
  private embed(orig: PostRt, now: number, full: boolean): Record<string, unknown> {
    this.embedded.add(orig.mid);
    if (this.isAlive(orig, now)) return this.mblog(orig, now, full, true);
    const cause = orig.gone?.cause ?? 'gone_unspecified';
    let kind: PlaceholderKind = 'deleted_unstated';
    if (cause === 'deleted_by_author' || cause === 'removed_by_platform' || cause === 'restricted') {
      kind = cause;
      this.markStated(orig.mid, cause, now);
    }
    return placeholder(kind, orig.mid, orig.bid, shortCreatedAt(orig.createdAt, now));
  }

  private card(p: PostRt, now: number, lfid: string, itemid: string): Record<string, unknown> {
    return {
      card_type: 9,
      itemid,
      scheme: `https://m.weibo.cn/status/${p.bid}?mblogid=${p.bid}&luicode=10000011&lfid=${encodeURIComponent(lfid)}`,
      mblog: this.mblog(p, now, false),
      show_type: 0,
    };
  }

  // -------------------------------------------------------------------------------------------
  // HTTP.

  private handle(req: IncomingMessage, res: ServerResponse): void {
    req.resume();
    if (this.delayMs > 0 && !(req.url ?? '').startsWith('/__sim/')) {
      const t = setTimeout(() => {
        this.delayed.delete(t);
        this.answer(req, res);
      }, this.delayMs);
      this.delayed.add(t);
      return;
    }
    this.answer(req, res);
  }

  private answer(req: IncomingMessage, res: ServerResponse): void {
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
    const params = new URLSearchParams(q < 0 ? '' : rawUrl.slice(q + 1));
    const ne = this.netease.endpointOf(path);
    const endpoint = ne ?? this.classify(path, params);
    const stats = this.count(endpoint);
    if (
      endpoint !== 'sim' &&
      (ne === null || this.netease.faultable(ne)) &&
      this.faultRate > 0 &&
      this.faultRng.next() < this.faultRate
    ) {
      const rng = this.faultRng;
      const kind = ne
        ? this.netease.pickFault(ne, () => rng.next())
        : FAULT_KINDS[Math.floor(rng.next() * FAULT_KINDS.length)]!;
      stats.faults++;
      stats.faultKinds[kind] = (stats.faultKinds[kind] ?? 0) + 1;
      this.logger?.debug({ endpoint, kind, url: rawUrl }, 'injected fault');
      if (ne) this.netease.fault(kind as NeteaseFaultKind, req, res);
      else this.fault(kind as FaultKind, req, res);
      return;
    }
    try {
      if (ne) this.netease.serve(ne, path, params, res);
      else this.route(endpoint as Endpoint, path, params, req, res);
    } catch (err) {
      this.logger?.info({ err, url: rawUrl }, 'simulator failed to answer');
      if (!res.headersSent) send(res, 500, HTML_TYPE, badGatewayPage());
      else res.destroy();
    }
  }

  private count(endpoint: string): EndpointStats {
    let s = this.counters.get(endpoint);
    if (!s) this.counters.set(endpoint, (s = { requests: 0, faults: 0, faultKinds: {} }));
    s.requests++;
    return s;
  }

  private classify(path: string, params: URLSearchParams): Endpoint {
    if (path === '/api/container/getIndex') {
      const c = params.get('containerid') ?? '';
      if (c.startsWith('100103')) return 'search';
      if (c.startsWith('100505')) return 'profile';
      if (c.startsWith('107603')) return 'timeline';
      if (c === '' && params.get('type') === 'uid') return 'profile';
      return 'container';
    }
    if (path === '/statuses/show') return 'show';
    if (path === '/statuses/extend') return 'extend';
    if (path === '/comments/hotflow') return 'hotflow';
    // weibo.com/ajax, mapped onto the same port: its paths do not overlap m.weibo.cn's.
    if (path === '/ajax/statuses/show') return 'ajax-show';
    if (path === '/ajax/statuses/longtext') return 'ajax-longtext';
    if (path === '/ajax/statuses/mymblog') return 'ajax-mymblog';
    if (path.startsWith('/detail/') || path.startsWith('/status/')) return 'detail';
    if (path.startsWith('/__sim/')) return 'sim';
    if (path === '/') return 'home';
    if (path === '/api/config') return 'api-config';
    if (path.startsWith('/visitor/')) return 'visitor';
    if (path.startsWith('/sso/')) return 'sso';
    return 'not-found';
  }

  private fault(kind: FaultKind, req: IncomingMessage, res: ServerResponse): void {
    switch (kind) {
      case 'http418':
        return send(res, 418, 'text/plain', '');
      case 'http403_100005':
        // Both comma forms have been reported for this body (research §3.4).
        return sendJson(
          res,
          errorBody('100005', this.faultRng.chance(0.5) ? '请求过于频繁,歇歇吧' : '请求过于频繁，歇歇吧'),
          403,
        );
      case 'http432':
        res.statusMessage = 'No Reason Phrase';
        return send(res, 432, 'text/html', '');
      case 'captcha':
        return sendJson(res, {
          ok: -100,
          errno: '-100',
          msg: '',
          url: 'https://m.weibo.cn/captcha?scene=limit&referer=/',
          extra: '',
        });
      case 'html_unknown_error':
        return send(res, 200, HTML_TYPE, errorPage(MSG.unknownError));
      case 'http502':
        return send(res, 502, HTML_TYPE, badGatewayPage());
      case 'reset':
        req.socket.destroy();
        return;
    }
  }

  private route(
    endpoint: Endpoint,
    path: string,
    params: URLSearchParams,
    req: IncomingMessage,
    res: ServerResponse,
  ): void {
    const now = this.clock.now();
    if (WALLED.has(endpoint) && this.session.wall(req, res)) return;
    if (this.oddity(endpoint, path, params, now, res)) return;
    switch (endpoint) {
      case 'search':
        return sendJson(res, this.search(params, now));
      case 'profile':
        return sendJson(res, this.profile(params, now));
      case 'timeline':
        return sendJson(res, this.timeline(params, now));
      case 'container':
        return sendJson(res, NO_CONTENT_BODY);
      case 'show':
        return sendJson(res, this.show(params.get('id'), now));
      case 'extend':
        return this.extend(params.get('id'), now, res);
      case 'hotflow': {
        // A post that is not up answers as statuses/show does; its comments go with it.
        const r = this.lookup(params.get('id') ?? params.get('mid'), now);
        if ('refusal' in r) return sendJson(res, errorBody(r.refusal.errno, r.refusal.msg));
        return sendJson(res, hotflowBody(r.post.post, params.get('max_id'), now, this.servedComments));
      }
      case 'ajax-show':
        return sendJson(res, this.ajaxShow(params.get('id'), now));
      case 'ajax-longtext':
        return sendJson(res, this.ajaxLongText(params.get('id'), now));
      case 'ajax-mymblog':
        return sendJson(res, this.mymblog(params, now));
      case 'detail':
        return this.detail(decodeURIComponent(path.slice(path.indexOf('/', 1) + 1)), now, res);
      case 'sim':
        return this.simEndpoint(path, params, now, res);
      case 'home':
        return this.session.home(req, res, now);
      case 'api-config':
        return this.session.apiConfig(req, res, now);
      case 'visitor':
        return this.session.visitor(path, params, req, res, now);
      case 'sso':
        return this.session.sso(path, params, res);
      case 'not-found':
        return send(res, 404, HTML_TYPE, notFoundPage());
    }
  }

  /**
   * Serves the post's oddity (maintenance, challenge, cut-off body, unknown template, HTML for
   * JSON) on its direct-check endpoints while one is in force; false when there is none.
   */
  private oddity(
    endpoint: Endpoint,
    path: string,
    params: URLSearchParams,
    now: number,
    res: ServerResponse,
  ): boolean {
    if (!ODD_ENDPOINTS.has(endpoint)) return false;
    const rawId =
      endpoint === 'detail'
        ? decodeURIComponent(path.slice(path.indexOf('/', 1) + 1))
        : (params.get('id') ?? params.get('mid'));
    let mid: string | null;
    try {
      mid = parsePostId(rawId);
    } catch {
      mid = null;
    }
    const p = mid === null ? undefined : this.posts.get(mid);
    const kind = p ? activeOddity(p.post.oddities, now) : null;
    if (!p || !kind || now < p.createdAt) return false;
    const normal = (): string =>
      endpoint === 'detail'
        ? detailPage(this.mblog(p, now, true))
        : JSON.stringify(endpoint === 'ajax-show' ? this.ajaxShow(p.mid, now) : this.show(p.mid, now));
    const answer = oddAnswer(kind, endpoint === 'detail' ? 'html' : 'json', p.mid, normal);
    this.count(`oddity:${kind}`);
    send(res, answer.status, answer.type, answer.body);
    return true;
  }

  private search(params: URLSearchParams, now: number): unknown {
    const containerid = params.get('containerid') ?? '';
    // Both the encoded form (containerid=100103type%3D1%26q%3D…) and the decoded one
    // (containerid=100103type=1&q=…) arrive here; the inner query carries type and maybe q.
    const inner = new URLSearchParams(containerid.slice(6));
    const keyword = inner.get('q') ?? params.get('q') ?? '';
    const type = inner.get('type') ?? '1';
    const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);
    const lfid = `100103type=${type}&q=${keyword}`;
    const block = this.activeBlock(keyword, now);
    const info = (total: number, next: number | null): Record<string, unknown> => ({
      containerid: lfid,
      v_p: 42,
      show_style: 1,
      total,
      page: next,
      title_top: keyword,
      can_shared: 1,
    });
    if (block && !block.partial) {
      return {
        ok: 1,
        data: {
          cardlistInfo: info(0, null),
          cards: [{ card_type: 4, desc: MSG.searchWithheld, show_type: 0 }],
        },
      };
    }
    const all = this.byKeyword.get(keyword) ?? [];
    const visible: PostRt[] = [];
    for (const p of all) if (this.isAlive(p, now)) visible.push(p);
    const slice = visible.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
    if (slice.length === 0) return NO_CONTENT_BODY;
    const more = visible.length > page * PAGE_SIZE;
    const postCards = slice.map((p, i) =>
      this.card(
        p,
        now,
        lfid,
        `seqid:${hashOf(lfid + page)}|type:${type}|t:|pos:${page}-0-${i}|q:${keyword}|ext:&mid=${p.mid}&`,
      ),
    );
    const cards: unknown[] = [];
    if (block?.partial && page === 1)
      cards.push({ card_type: 4, desc: MSG.searchPartlyWithheld, show_type: 0 });
    // The real result page nests some posts in card_type 11 groups (MediaCrawler filter_search_result_card).
    cards.push(postCards[0]);
    if (postCards.length >= 3) cards.push({ card_type: 11, show_type: 0, card_group: postCards.slice(1, 3) });
    else if (postCards.length === 2) cards.push(postCards[1]);
    cards.push(...postCards.slice(3));
    return { ok: 1, data: { cardlistInfo: info(visible.length, more ? page + 1 : null), cards } };
  }

  private activeBlock(keyword: string, now: number): Scenario['weibo']['searchBlocks'][number] | undefined {
    return this.scenario.weibo.searchBlocks.find(
      (b) => b.keyword === keyword && b.from <= now && (b.to === undefined || now < b.to),
    );
  }

  private liveAccount(uid: string, now: number): AccountRt | null {
    const a = this.accounts.get(uid);
    return a && now < a.goneAt ? a : null;
  }

  private profile(params: URLSearchParams, now: number): unknown {
    const c = params.get('containerid') ?? '';
    const uid = c.startsWith('100505') ? c.slice(6) : (params.get('value') ?? '');
    const a = this.liveAccount(uid, now);
    if (!a) return NO_CONTENT_BODY;
    const lfid = `100505${uid}`;
    return {
      ok: 1,
      data: {
        avatar_guide: [],
        userInfo: {
          ...a.user,
          profile_url: `https://m.weibo.cn/u/${uid}?uid=${uid}&luicode=10000011&lfid=${lfid}`,
          toolbar_menus: [{ type: 'profile_follow', name: '关注', pic: '', params: { uid: Number(uid) } }],
        },
        fans_scheme: `https://m.weibo.cn/p/index?containerid=231051_-_fans_intimacy_-_${uid}&luicode=10000011&lfid=${lfid}`,
        follow_scheme: `https://m.weibo.cn/p/index?containerid=231051_-_followersrecomm_-_${uid}&luicode=10000011&lfid=${lfid}`,
        tabsInfo: {
          selectedTab: 1,
          tabs: [
            {
              id: 1,
              tabKey: 'profile',
              must_show: 1,
              hidden: 0,
              title: '主页',
              tab_type: 'profile',
              containerid: `230283${uid}`,
            },
            {
              id: 2,
              tabKey: 'weibo',
              must_show: 1,
              hidden: 0,
              title: '微博',
              tab_type: 'weibo',
              containerid: `107603${uid}`,
              apipath: '/profile/statuses',
              url: '/index/my',
            },
            {
              id: 10,
              tabKey: 'album',
              must_show: 0,
              hidden: 0,
              title: '相册',
              tab_type: 'album',
              containerid: `107803${uid}`,
            },
          ],
        },
        scheme: `sinaweibo://userinfo?uid=${uid}&type=uid&value=${uid}&luicode=10000011&lfid=${lfid}&v_p=42&fid=${lfid}&uicode=10000011`,
        showAppTips: 1,
      },
    };
  }

  private timeline(params: URLSearchParams, now: number): unknown {
    const containerid = params.get('containerid') ?? '';
    const a = this.liveAccount(containerid.slice(6), now);
    if (!a) return NO_CONTENT_BODY;
    const visible: PostRt[] = [];
    for (const p of a.posts) if (this.isAlive(p, now)) visible.push(p);
    const byPage = a.account.timelinePaging === 'page';
    const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);
    const sinceRaw = params.get('since_id');
    const since = sinceRaw && /^\d+$/.test(sinceRaw) ? Number(sinceRaw) : Infinity;
    // since_id is the mid the next page starts at, so paging stays stable when posts go meanwhile;
    // a timeline paged by number counts pages from the newest instead.
    const rest = byPage
      ? visible.slice((page - 1) * PAGE_SIZE)
      : since === Infinity
        ? visible
        : visible.filter((p) => p.midNum <= since);
    const slice = rest.slice(0, PAGE_SIZE);
    if (slice.length === 0) return NO_CONTENT_BODY;
    const next = rest[PAGE_SIZE];
    const cardlistInfo: Record<string, unknown> = {
      containerid,
      v_p: 42,
      show_style: 1,
      total: visible.length,
    };
    // The numbered form names the next page in `page` (null on the last), as the search does.
    if (byPage) cardlistInfo.page = next ? page + 1 : null;
    else if (next) cardlistInfo.since_id = next.midNum;
    const cards = slice.map((p) => this.card(p, now, containerid, `${containerid}_-_${p.mid}`));
    return {
      ok: 1,
      data: {
        cardlistInfo,
        cards,
        scheme: `sinaweibo://cardlist?containerid=${containerid}&type=uid&value=${containerid.slice(6)}&v_p=42`,
      },
    };
  }

  /** A post as a direct check finds it: alive, or why not. */
  private lookup(
    rawId: string | null,
    now: number,
  ): { post: PostRt } | { refusal: { errno: string; msg: string } } {
    let mid: string | null;
    try {
      mid = parsePostId(rawId);
    } catch {
      // bidToMid rejects characters outside base62; such an id names no post.
      mid = null;
    }
    const p = mid === null ? undefined : this.posts.get(mid);
    const ambiguous = { errno: '20101', msg: MSG.ambiguous };
    if (!p || now < p.createdAt) return { refusal: ambiguous };
    if (now < p.goneAt || !p.gone) return { post: p };
    const g = p.gone;
    if (g.account)
      return {
        refusal: { errno: '20003', msg: g.account === 'ban' ? MSG.accountBanned : MSG.accountClosed },
      };
    if (g.reveal === 'ambiguous') return { refusal: ambiguous };
    switch (g.cause) {
      case 'deleted_by_author':
        return { refusal: { errno: '20101', msg: MSG.deletedByAuthor } };
      case 'removed_by_platform':
        return { refusal: { errno: '20101', msg: MSG.removed } };
      case 'restricted':
        return { refusal: { errno: '20112', msg: MSG.restricted } };
      case 'account_gone':
        return { refusal: { errno: '20003', msg: MSG.accountBanned } };
      case 'gone_unspecified':
        return { refusal: ambiguous };
    }
  }

  private show(rawId: string | null, now: number): unknown {
    const r = this.lookup(rawId, now);
    if ('refusal' in r) return errorBody(r.refusal.errno, r.refusal.msg);
    return { ok: 1, data: this.mblog(r.post, now, true) };
  }

  private extend(rawId: string | null, now: number, res: ServerResponse): void {
    const r = this.lookup(rawId, now);
    // A gone post gets the H5 "no permission" page here, not JSON (research §1.2).
    if ('refusal' in r) return send(res, 200, HTML_TYPE, errorPage(MSG.ambiguous));
    const p = r.post;
    this.servedAlive.add(p.mid);
    const v = this.versionAt(p, now);
    sendJson(res, { ok: 1, data: { ok: 1, longTextContent: this.fullText(p, v), ...p.counts } });
  }

  private detail(rawId: string, now: number, res: ServerResponse): void {
    const r = this.lookup(rawId, now);
    if ('refusal' in r) return send(res, 200, HTML_TYPE, errorPage(MSG.ambiguous));
    send(res, 200, HTML_TYPE, detailPage(this.mblog(r.post, now, true)));
  }

  /** The plain text weibo.com shows as `text_raw`: a long post's opening only. */
  private plainShown(mid: string, now: number): string | null {
    const p = this.posts.get(mid);
    if (!p) return null;
    const plain = p.texts[this.versionAt(p, now)]!;
    return p.post.isLongText ? Array.from(plain).slice(0, TRUNCATE_AT).join('') : plain;
  }

  private ajaxStatusOf(p: PostRt, now: number): Record<string, unknown> {
    return ajaxStatus(this.mblog(p, now, true), (mid) => this.plainShown(mid, now));
  }

  /** A refusal in the ajax form, the same statement as m.weibo.cn's; which form is fixed per post. */
  private ajaxRefusal(rawId: string | null, refusal: { errno: string; msg: string }): unknown {
    return ajaxErrorBody(refusal.errno, refusal.msg, hashOf(rawId ?? '') % 2 === 0 ? 'message' : 'msg');
  }

  private ajaxShow(rawId: string | null, now: number): unknown {
    const r = this.lookup(rawId, now);
    if ('refusal' in r) return this.ajaxRefusal(rawId, r.refusal);
    return ajaxShowBody(this.ajaxStatusOf(r.post, now));
  }

  private ajaxLongText(rawId: string | null, now: number): unknown {
    const r = this.lookup(rawId, now);
    if ('refusal' in r) return this.ajaxRefusal(rawId, r.refusal);
    const p = r.post;
    this.servedAlive.add(p.mid);
    return ajaxLongTextBody(p.post.isLongText ? p.texts[this.versionAt(p, now)]! : null);
  }

  /**
   * `ajax/statuses/mymblog`: the account's visible posts, newest first. `since_id` names the post
   * the page starts at (with weibo.com's `kp<page>` suffix), so paging stays stable when posts go;
   * without it, `page` counts pages from the newest.
   */
  private mymblog(params: URLSearchParams, now: number): unknown {
    const a = this.liveAccount(params.get('uid') ?? '', now);
    if (!a) return mymblogBody([], '', 0);
    const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);
    const sinceMid = /^(\d+)/.exec(params.get('since_id') ?? '')?.[1];
    const visible: PostRt[] = [];
    for (const p of a.posts) if (this.isAlive(p, now)) visible.push(p);
    const rest =
      sinceMid !== undefined
        ? visible.filter((p) => p.midNum <= Number(sinceMid))
        : visible.slice((page - 1) * PAGE_SIZE);
    const next = rest[PAGE_SIZE];
    const list = rest.slice(0, PAGE_SIZE).map((p) => this.ajaxStatusOf(p, now));
    return mymblogBody(list, next ? `${next.mid}kp${page + 1}` : '', visible.length);
  }

  private simEndpoint(path: string, params: URLSearchParams, now: number, res: ServerResponse): void {
    switch (path) {
      case '/__sim/truth': {
        const at = Number(params.get('at'));
        return sendJson(res, this.groundTruth(params.has('at') && Number.isFinite(at) ? at : now));
      }
      case '/__sim/clock':
        return sendJson(res, { now });
      case '/__sim/delay': {
        const ms = Number(params.get('ms'));
        if (params.has('ms')) this.setDelay(ms);
        return sendJson(res, { delayMs: this.delayMs, waiting: this.waiting });
      }
      case '/__sim/stats':
        return sendJson(res, this.stats());
      case '/__sim/config':
        return send(res, 200, 'text/yaml; charset=utf-8', this.configYaml(params.get('db') ?? undefined));
      default:
        return send(res, 404, HTML_TYPE, notFoundPage());
    }
  }
}

function sendJson(
  res: ServerResponse,
  value: unknown,
  status = 200,
  headers: Record<string, string | string[]> = {},
): void {
  send(res, status, JSON_TYPE, JSON.stringify(value), headers);
}

import type { Cause } from '../../domain/glossary';
import { bidToMid, midToBid } from '../../platforms/weibo/ids';
import type { GroundTruthRow } from '../truth';
import type { Hold } from '../host/held-clock';
import {
  hashOf,
  WEIBO_CORPUS as W,
  type Scenario,
  type SimAccount,
  type SimPost,
  type SimSearchBlock,
} from '../world';
import { fullCreatedAt, MSG } from './format';

/**
 * The simulated Weibo's state: the scenario's accounts and posts indexed once with everything that
 * does not depend on the clock, and the record of what has been served, from which the ground truth
 * is derived. Rendering (render.ts) and the endpoints (server.ts, listings.ts) read it.
 */

/** How and when a post went. */
export interface GoneState {
  readonly at: number;
  readonly cause: Cause;
  readonly reveal: 'message' | 'ambiguous';
  /** Set when the account's ban or closure is what made the post go. */
  readonly account?: 'ban' | 'close';
}

/** An account with its derived profile fields. */
export interface AccountRt {
  readonly account: SimAccount;
  readonly user: Record<string, unknown>;
  /** When the account became unviewable, or Infinity. */
  readonly goneAt: number;
  readonly goneKind: 'ban' | 'close' | null;
  /** Newest first. */
  readonly posts: PostRt[];
}

/** A post with its derived fields and its rendered texts, filled on first use. */
export interface PostRt {
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

/** What a direct check finds: the post while it is up, else the error the platform answers. */
export type Lookup = { post: PostRt } | { refusal: { errno: string; msg: string } };

function formatCount(n: number): number | string {
  // Large follower counts come as strings such as "178.2万" (research §2.2).
  return n >= 100_000 ? `${(n / 10_000).toFixed(1)}万` : n;
}

/** A mid from a numeric id or a base62 bid, or null; throws on characters outside base62. */
function parsePostId(raw: string | null | undefined): string | null {
  if (!raw) return null;
  if (/^\d{1,20}$/.test(raw)) return raw.replace(/^0+(?=\d)/, '');
  if (/^[0-9a-zA-Z]{1,12}$/.test(raw)) return bidToMid(raw);
  return null;
}

/** The Weibo part of a scenario, indexed, and what has been served of it. */
export class WeiboState {
  readonly posts = new Map<string, PostRt>();
  readonly accounts = new Map<string, AccountRt>();
  /** keyword → posts, newest first. */
  private readonly byKeyword = new Map<string, PostRt[]>();
  /** Posts served alive. */
  readonly servedAlive = new Set<string>();
  /** Originals embedded in a served repost, alive or as a placeholder. */
  readonly embedded = new Set<string>();
  /** Causes stated by placeholders served for an original: mid → cause → first time served. */
  private readonly stated = new Map<string, Map<Cause, number>>();
  /** Versions of each post served whole and alive (a listing, or a direct check), by mid. */
  private readonly shown = new Map<string, Set<number>>();
  /** Search blocks a search was answered with. */
  private readonly blocksMet = new Set<SimSearchBlock>();

  constructor(readonly weibo: Scenario['weibo']) {
    this.index();
  }

  /** The post a raw id (mid or bid) names, if the scenario has it. */
  postOf(rawId: string | null | undefined): PostRt | undefined {
    let mid: string | null;
    try {
      mid = parsePostId(rawId);
    } catch {
      // bidToMid rejects characters outside base62; such an id names no post.
      mid = null;
    }
    return mid === null ? undefined : this.posts.get(mid);
  }

  /** Posts a keyword's search lists, newest first, whether up or not. */
  keywordPosts(keyword: string): readonly PostRt[] {
    return this.byKeyword.get(keyword) ?? [];
  }

  /** The search block in force for `keyword` at `now`. */
  activeBlock(keyword: string, now: number): SimSearchBlock | undefined {
    return this.weibo.searchBlocks.find(
      (b) => b.keyword === keyword && b.from <= now && (b.to === undefined || now < b.to),
    );
  }

  /** Notes that a search was answered with `block`. */
  noteBlockMet(block: SimSearchBlock): void {
    this.blocksMet.add(block);
  }

  /** Notes that version `v` of `p` was served whole (not a long post's cut opening). */
  noteShown(p: PostRt, v: number): void {
    let s = this.shown.get(p.mid);
    if (!s) this.shown.set(p.mid, (s = new Set()));
    s.add(v);
  }

  /**
   * The scenario's changes that wait for an observer (see {@link HeldClock}): each edit until the
   * version it replaces was served whole, each post's going until its last version was, each
   * search block's end until a search met it.
   */
  holds(): Hold[] {
    const holds: Hold[] = [];
    const seen = (p: PostRt, v: number): boolean => this.shown.get(p.mid)?.has(v) === true;
    for (const p of this.posts.values()) {
      const edits = p.editTimes.filter((t) => t < p.goneAt);
      edits.forEach((at, i) =>
        holds.push({
          at,
          what: `weibo ${p.mid} edit ${i + 1}`,
          awaits: { platform: 'weibo', id: p.mid, version: i },
          ready: () => seen(p, i),
        }),
      );
      if (Number.isFinite(p.goneAt) && p.createdAt < p.goneAt)
        holds.push({
          at: p.goneAt,
          what: `weibo ${p.mid} gone`,
          awaits: { platform: 'weibo', id: p.mid, version: edits.length },
          ready: () => seen(p, edits.length),
        });
    }
    for (const b of this.weibo.searchBlocks)
      if (b.to !== undefined)
        holds.push({
          at: b.to,
          what: `weibo search ${b.keyword} block`,
          awaits: { keyword: b.keyword },
          ready: () => this.blocksMet.has(b),
        });
    return holds;
  }

  /** The account while it can be viewed, else null. */
  liveAccount(uid: string, now: number): AccountRt | null {
    const a = this.accounts.get(uid);
    return a && now < a.goneAt ? a : null;
  }

  /** The edit version shown at `at`: 0 before the first edit. */
  versionAt(p: PostRt, at: number): number {
    let v = 0;
    while (v < p.editTimes.length && p.editTimes[v]! <= at) v++;
    return v;
  }

  isAlive(p: PostRt, now: number): boolean {
    return p.createdAt <= now && now < p.goneAt;
  }

  /** A post as a direct check finds it: alive, or why not. */
  lookup(rawId: string | null, now: number): Lookup {
    const p = this.postOf(rawId);
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

  /** Notes that a placeholder stating `cause` was served for original `mid` at `now`. */
  markStated(mid: string, cause: Cause, now: number): void {
    let m = this.stated.get(mid);
    if (!m) this.stated.set(mid, (m = new Map()));
    if (!m.has(cause)) m.set(cause, now);
  }

  /**
   * The truth about every post served alive, plus every original embedded in a served repost, as
   * of `at`, sorted by mid. `gone` iff its fate or its account's ban/closure happened by `at`.
   */
  groundTruth(at: number): GroundTruthRow[] {
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
    return rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /**
   * What an observer could learn of why a post went: the stated cause for `message` fates and
   * account bans; for `ambiguous` fates the cause a served repost placeholder stated, else
   * `gone_unspecified`.
   */
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

  /** Indexes the scenario: everything that does not depend on the clock is computed once here. */
  private index(): void {
    const { accounts, posts } = this.weibo;
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
        source: W.sources[h % W.sources.length]!,
        region: `发布于 ${W.regions[(h >>> 5) % W.regions.length]!}`,
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
}

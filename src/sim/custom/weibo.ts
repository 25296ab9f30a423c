/**
 * The Weibo part of a world built from a config: for every watched keyword, posts that its search
 * lists; for every watched account, its timeline; for every explicit post, that post. Each list
 * meets the fates of {@link fateCounts} on the world's clock.
 */
import type { Cause } from '../../domain/glossary';
import {
  makeMidFactory,
  makeUidFactory,
  WEIBO_CORPUS,
  type Rng,
  type SimAccount,
  type SimCommentPlan,
  type SimEdit,
  type SimFate,
  type SimPost,
  type SimSearchBlock,
} from '../index';
import { editDelay, fateCounts, fateTime, type WatchRole } from './fates';
import { accountPostText, editedText, keywordPostText } from './texts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The world's time span: the run starts at `start` and ends at `end` (epoch ms). */
export interface WorldSpan {
  readonly start: number;
  readonly end: number;
}

/** What the Weibo part is built for, deduplicated across watches (the first watch's role wins). */
export interface WeiboWants {
  readonly keywords: readonly { keyword: string; role: WatchRole; comments: boolean }[];
  readonly accounts: readonly { uid: string; role: WatchRole; comments: boolean }[];
  readonly posts: readonly { mid: string; role: WatchRole; comments: boolean }[];
}

/** The Weibo part of a scenario. */
export interface WeiboPart {
  readonly accounts: SimAccount[];
  readonly posts: SimPost[];
  readonly searchBlocks: SimSearchBlock[];
}

// A mid's top bits are its creation second: (mid >> 22) + 515483463 is the Unix time.
const MID_EPOCH_OFFSET = 515_483_463n;

/** The creation time a mid encodes, epoch ms. */
export function midTime(mid: string): number {
  return Number((BigInt(mid) >> 22n) + MID_EPOCH_OFFSET) * 1000;
}

/** How many posts a keyword's search or an account's timeline gets over the run. */
export function listSize(kind: 'keyword' | 'account', days: number): number {
  const [base, perDay, max] = kind === 'keyword' ? [10, 5, 60] : [6, 3, 40];
  return Math.min(max, Math.max(base + 2, Math.round(base + perDay * days)));
}

interface Post {
  mid: string;
  uid: string;
  text: string;
  keywords: string[];
  createdAt: number;
  edits?: SimEdit[];
  fate?: SimFate;
  pics?: number;
  comments?: SimCommentPlan;
  repostOf?: string;
}

/** Builds the Weibo part. `reservedUids` are uids the world must not give to a made-up author. */
export function buildWeiboPart(wants: WeiboWants, rng: Rng, span: WorldSpan): WeiboPart {
  const days = (span.end - span.start) / DAY;
  const usedMids = new Set<string>(wants.posts.map((p) => p.mid));
  const usedUids = new Set<string>(wants.accounts.map((a) => a.uid));
  const accounts: SimAccount[] = [];
  const posts: Post[] = [];
  const names = new Set<string>();

  const mids = makeMidFactory(rng);
  const uids = makeUidFactory(rng);
  // The factories keep their own ids apart; these sets keep them apart from the configured ones.
  const newMid = (createdAt: number): string => {
    for (;;) {
      const mid = mids(createdAt);
      if (!usedMids.has(mid)) return (usedMids.add(mid), mid);
    }
  };
  const nameFor = (): string => {
    for (let n = 0; ; n++) {
      const base = rng.pick(WEIBO_CORPUS.screenNames);
      const name = n < 20 ? base : `${base}${rng.int(10, 9999)}`;
      if (!names.has(name)) {
        names.add(name);
        return name;
      }
    }
  };
  const newAccount = (extra: Partial<SimAccount> = {}, uid?: string): SimAccount => {
    let id = uid ?? uids();
    while (uid === undefined && usedUids.has(id)) id = uids();
    usedUids.add(id);
    const a: SimAccount = { uid: id, name: nameFor(), ...extra };
    accounts.push(a);
    return a;
  };
  const authors = Array.from({ length: Math.max(6, Math.min(24, wants.keywords.length * 4)) }, () =>
    newAccount(),
  );

  // Two posts of every list exist before the run, so the first search or timeline already finds
  // some; the rest appear over the run, none in its last tenth, where nothing could happen to them.
  const tail = Math.max(10 * MINUTE, Math.min(6 * HOUR, (span.end - span.start) / 10));
  const times = (n: number): number[] =>
    Array.from({ length: n }, (_, i) =>
      i < 2
        ? span.start - rng.int(10, 360) * MINUTE
        : span.start + MINUTE + Math.round(rng.next() * (span.end - tail - span.start - MINUTE)),
    ).sort((a, b) => a - b);

  /** Fates and edits for one list; posts created before the run keep theirs out of sight. */
  const applyFates = (list: Post[], role: WatchRole, ban: SimAccount | null): void => {
    const inRun = rng.shuffle(list.filter((p) => p.createdAt >= span.start));
    const counts = fateCounts(inRun.length, role, ban !== null);
    let cursor = 0;
    const take = (n: number): Post[] => inRun.slice(cursor, (cursor += n));
    const fate = (cause: Cause, reveal: SimFate['reveal']) => (p: Post) => {
      p.fate = { at: fateTime(rng, p.createdAt, cause, span), cause, reveal };
    };
    if (ban) {
      // The banned author's posts must come before the ban to be seen alive.
      const before = inRun.slice(cursor).filter((p) => p.createdAt < (ban.banAt ?? ban.closeAt ?? 0) - HOUR);
      for (const p of before.slice(0, counts.accountGone)) {
        p.uid = ban.uid;
        inRun.splice(inRun.indexOf(p), 1);
      }
    }
    take(counts.removedByPlatform).forEach(fate('removed_by_platform', 'message'));
    take(counts.deletedByAuthor).forEach(fate('deleted_by_author', 'message'));
    take(counts.restricted).forEach(fate('restricted', 'message'));
    take(counts.unspecified).forEach(fate('gone_unspecified', 'ambiguous'));
    let edited = 0;
    for (const p of rng.shuffle(inRun)) {
      if (edited >= counts.edited) break;
      const at = p.createdAt + editDelay(rng);
      const limit = Math.min(p.fate ? p.fate.at - 30 * MINUTE : Infinity, span.end - 30 * MINUTE);
      if (at >= limit) continue;
      p.edits = [{ at, text: editedText(rng, p.text) }];
      edited++;
    }
  };
  const withComments = (list: Post[]): void => {
    // A thread on every third post; a third of its comments deleted 1–3 h after they were posted.
    list.forEach((p, i) => {
      if (i % 3 !== 0) return;
      const count = rng.int(5, 40);
      const spread = rng.int(3, 12) * HOUR;
      const deletions = [];
      for (let k = rng.int(0, 2); k < count; k += 3) {
        const at = p.createdAt + Math.round(((k + 1) / (count + 1)) * spread) + rng.int(60, 180) * MINUTE;
        if (!p.fate || at < p.fate.at) deletions.push({ index: k, at });
      }
      p.comments = { count, spread, deletions };
    });
  };

  /**
   * Weibo often answers a removed post's own URL with only "not found" (errno 20101); the cause then
   * shows in the placeholder of a repost that embeds it (state 7 / 8). One removal of each topic
   * keyword goes that way, reposted under the same keyword while it was up.
   */
  const withRepost = (list: Post[], keyword: string): void => {
    const orig = list.find(
      (p) =>
        p.fate?.cause === 'removed_by_platform' &&
        p.createdAt >= span.start &&
        p.fate.at - p.createdAt > 20 * MINUTE,
    );
    if (!orig?.fate) return;
    orig.mid ||= newMid(orig.createdAt);
    orig.fate = { ...orig.fate, reveal: 'ambiguous' };
    const others = authors.filter((a) => a.uid !== orig.uid);
    const room = orig.fate.at - orig.createdAt - 15 * MINUTE;
    const createdAt = orig.createdAt + 5 * MINUTE + Math.round(rng.next() * room);
    list.push({
      mid: newMid(createdAt),
      uid: rng.pick(others).uid,
      text: `转发微博 ${keywordPostText(rng, keyword)}`,
      keywords: [keyword],
      createdAt,
      repostOf: orig.mid,
    });
  };

  wants.keywords.forEach(({ keyword, role, comments }, k) => {
    const list = times(listSize('keyword', days)).map((createdAt): Post => ({
      mid: '',
      uid: rng.pick(authors).uid,
      text: keywordPostText(rng, keyword),
      keywords: [keyword],
      createdAt,
      ...(rng.next() < 0.3 ? { pics: rng.int(1, 4) } : {}),
    }));
    // A topic keyword meets an author whose account goes: banned, or every other time closed.
    const goneAt = span.start + Math.round((span.end - span.start) * (0.45 + 0.25 * rng.next()));
    const ban = role === 'topic' ? newAccount(k % 2 === 0 ? { banAt: goneAt } : { closeAt: goneAt }) : null;
    applyFates(list, role, ban);
    if (role === 'topic') withRepost(list, keyword);
    if (comments) withComments(list);
    posts.push(...list);
  });

  for (const { uid, role, comments } of wants.accounts) {
    newAccount({}, uid);
    const list = times(listSize('account', days)).map((createdAt, i): Post => ({
      mid: '',
      uid,
      text: accountPostText(rng, i + 1),
      keywords: [],
      createdAt,
    }));
    applyFates(list, role, null);
    if (comments) withComments(list);
    posts.push(...list);
  }

  // Explicit posts: old posts that exist throughout; one in three removed during the run, one in
  // three edited, the rest left alone.
  wants.posts.forEach(({ mid, role, comments }, i) => {
    const author = rng.pick(authors);
    const createdAt = Math.min(midTime(mid), span.start - HOUR);
    const p: Post = { mid, uid: author.uid, text: keywordPostText(rng, '这条微博'), keywords: [], createdAt };
    const at = span.start + Math.round((span.end - span.start) * (0.2 + 0.4 * rng.next()));
    if (i % 3 === 0 && role === 'topic') p.fate = { at, cause: 'removed_by_platform', reveal: 'message' };
    else if (i % 3 === 0) p.fate = { at, cause: 'deleted_by_author', reveal: 'message' };
    else if (i % 3 === 1) p.edits = [{ at, text: editedText(rng, p.text) }];
    if (comments) withComments([p]);
    posts.push(p);
  });

  for (const p of posts) if (p.mid === '') p.mid = newMid(p.createdAt);
  const topic = wants.keywords.find((k) => k.role === 'topic');
  // Search withholding (部分搜索结果未予显示) on the first topic keyword for a stretch mid-run.
  const searchBlocks: SimSearchBlock[] = topic
    ? [
        {
          keyword: topic.keyword,
          from: span.start + Math.round((span.end - span.start) * 0.5),
          to: span.start + Math.round((span.end - span.start) * 0.65),
          partial: true,
        },
      ]
    : [];
  return { accounts, posts: posts.sort((a, b) => a.createdAt - b.createdAt), searchBlocks };
}

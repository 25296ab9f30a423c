/**
 * How many posts of a custom world go, how, and how soon after they were posted, in the
 * proportions the literature reports (../shared/research/weibo.md §5):
 * - a sensitive topic loses about 12–16% of its posts (Zhu et al. 2013: 12% of the sensitive group's
 *   posts; Bamman et al. 2012: >16% of checked messages), about a third of that by the platform
 *   ("permission denied": some 1,500 of 4,500 daily deletions in Zhu et al.);
 * - an ordinary topic loses about 5%, nearly all by its authors (Weiboscope 2012: 4.8% deleted,
 *   0.8% of the deletions censored);
 * - removals are fast: about 30% 5–30 minutes after posting, about 90% within 24 hours (Zhu et al.).
 * Each kind a watch could meet is kept at least once per topic keyword or account, so a short
 * demo shows every cause; the counts are fixed by the list's size, the seed picks which posts.
 */
import type { Cause } from '../../domain/glossary';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Whether a watch is the topic under study or a baseline to compare it with. */
export type WatchRole = 'topic' | 'baseline';

/**
 * A watch whose id or name says baseline (or control, 对照, 基线) is taken for a baseline and gets
 * an ordinary topic's losses; every other watch is a topic.
 */
export function watchRole(w: { readonly id: string; readonly name: string }): WatchRole {
  return /baseline|control|对照|基线/i.test(`${w.id} ${w.name}`) ? 'baseline' : 'topic';
}

/** Posts of one list (a keyword's results, an account's timeline) that meet each fate. */
export interface FateCounts {
  readonly removedByPlatform: number;
  readonly deletedByAuthor: number;
  readonly restricted: number;
  /** Gone with no stated cause (errno 20101 / a bare 404). */
  readonly unspecified: number;
  /** Posts by an author whose account is banned or closed during the run (keyword lists only). */
  readonly accountGone: number;
  readonly edited: number;
}

const SHARES: Readonly<Record<WatchRole, Record<keyof FateCounts, number>>> = {
  topic: {
    removedByPlatform: 0.07,
    deletedByAuthor: 0.03,
    restricted: 0.015,
    unspecified: 0.015,
    accountGone: 0.03,
    edited: 0.08,
  },
  baseline: {
    removedByPlatform: 0.004,
    deletedByAuthor: 0.04,
    restricted: 0.003,
    unspecified: 0.003,
    accountGone: 0,
    edited: 0.05,
  },
};

/**
 * The fate counts for a list of `n` posts that can meet a fate. Topic lists get at least one of
 * each kind (`accountGone` only when `withAccounts`); baseline lists at least one author deletion.
 */
export function fateCounts(n: number, role: WatchRole, withAccounts: boolean): FateCounts {
  const s = SHARES[role];
  const least = (share: number, min: number): number => Math.max(min, Math.round(n * share));
  const topic = role === 'topic' ? 1 : 0;
  const counts = {
    // The censorship signal leads a topic list: twice any other kind, as in Zhu et al.'s sensitive group.
    removedByPlatform: least(s.removedByPlatform, 2 * topic),
    deletedByAuthor: least(s.deletedByAuthor, 1),
    restricted: least(s.restricted, topic),
    unspecified: least(s.unspecified, topic),
    accountGone: withAccounts ? least(s.accountGone, topic) : 0,
    edited: least(s.edited, 1),
  };
  // Never more fates than posts: a short list keeps the most telling ones.
  let room = n;
  const out: Record<string, number> = {};
  for (const k of [
    'removedByPlatform',
    'deletedByAuthor',
    'accountGone',
    'restricted',
    'unspecified',
  ] as const) {
    out[k] = Math.min(counts[k], Math.max(0, room));
    room -= out[k];
  }
  return { ...(out as Omit<FateCounts, 'edited'>), edited: Math.min(counts.edited, n) };
}

/** The PRNG call the delays need. */
export interface DelayRng {
  next(): number;
}

/**
 * How long after posting a post meets its fate. Platform removals follow Zhu et al.: 30% within
 * 5–30 min, 60% within the first day, 10% over the next two; author deletions and restrictions
 * are spread over two days.
 */
export function fateDelay(rng: DelayRng, cause: Cause): number {
  const between = (a: number, b: number): number => Math.round(a + (b - a) * rng.next());
  if (cause === 'removed_by_platform') {
    const r = rng.next();
    if (r < 0.3) return between(5 * MINUTE, 30 * MINUTE);
    if (r < 0.9) return between(30 * MINUTE, DAY);
    return between(DAY, 3 * DAY);
  }
  if (cause === 'gone_unspecified') return between(10 * MINUTE, DAY);
  return between(20 * MINUTE, 2 * DAY);
}

/**
 * When a post created at `createdAt` meets its fate: {@link fateDelay} after it, drawn again (up to
 * five times) while that would fall in the run's last hour or after it, so that a short demo shows
 * the fates it was given; a post too young for any still gets the last draw.
 */
export function fateTime(
  rng: DelayRng,
  createdAt: number,
  cause: Cause,
  span: { readonly end: number },
): number {
  let at = createdAt + fateDelay(rng, cause);
  for (let i = 0; i < 5 && at > span.end - HOUR; i++) at = createdAt + fateDelay(rng, cause);
  return at;
}

/** When an edit comes: 1–12 h after posting. */
export function editDelay(rng: DelayRng): number {
  return Math.round(HOUR + 11 * HOUR * rng.next());
}

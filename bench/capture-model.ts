/**
 * A deterministic discrete-event model of how the scheduler spends requests on one host: posts on a
 * topic arrive in bursts, some are deleted after a delay drawn from a Zhu et al. (2013)-shaped
 * distribution, and discovery rounds and re-checks compete for one request every `minInterval`.
 * Re-checks are placed by the project's own `nextLadderCheck`, and where a schedule says so the
 * request budget (`RequestBudget`), adaptive discovery (`nextDiscoveryInterval`) and listing
 * sightings (`checkAfterSighting`) are the project's own code too; everything else (arrivals,
 * deletions, the request queue) is modelled here in simulated time, so a week runs in seconds.
 */
import { nextDiscoveryInterval } from '../src/domain/discovery-cadence';
import { nextLadderCheck } from '../src/domain/ladder';
import { checkAfterSighting } from '../src/domain/sighting';
import { checkClass, RequestBudget } from '../src/engine/budget';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** mulberry32: a small seeded PRNG, so every run of the model with one seed is identical. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A CDF given as anchors (delay ms, cumulative share), linear in log(delay) between anchors. */
export type DelayCdf = readonly (readonly [number, number])[];

/**
 * Zhu et al. 2013 ("The Velocity of Censorship"): about 30% of deletions 5–30 min after posting,
 * about 90% within 24 h. A single log-normal cannot meet both (the best fit puts only 23% in
 * 5–30 min), so the shape is piecewise log-uniform through these anchors.
 */
export const ZHU_CDF: DelayCdf = [
  [1 * MIN, 0],
  [5 * MIN, 0.05],
  [30 * MIN, 0.35],
  [24 * HOUR, 0.9],
  [14 * DAY, 1],
];

/** The variant heavier in the first 10 minutes: 40% of deletions by 10 min, still ~92% by 24 h. */
export const FAST_CDF: DelayCdf = [
  [1 * MIN, 0],
  [5 * MIN, 0.2],
  [10 * MIN, 0.4],
  [30 * MIN, 0.55],
  [24 * HOUR, 0.92],
  [14 * DAY, 1],
];

/** Inverse-CDF sample of a deletion delay (ms after posting) for a uniform `u` in [0, 1). */
export function sampleDelay(cdf: DelayCdf, u: number): number {
  for (let i = 1; i < cdf.length; i++) {
    const [t0, p0] = cdf[i - 1]!;
    const [t1, p1] = cdf[i]!;
    if (u <= p1 || i === cdf.length - 1) {
      const f = p1 > p0 ? Math.min(1, Math.max(0, (u - p0) / (p1 - p0))) : 0;
      return Math.exp(Math.log(t0) + f * (Math.log(t1) - Math.log(t0)));
    }
  }
  throw new RangeError('empty CDF');
}

/** One post of the simulated topic. */
export interface Post {
  readonly postedAt: number;
  /** When it is deleted, or Infinity. */
  readonly deleteAt: number;
}

/** The topic: a base rate plus bursts, over `days`. */
export interface TopicOptions {
  readonly days: number;
  readonly basePerHour: number;
  /** Bursts start as a Poisson process at this rate. */
  readonly burstsPerDay: number;
  readonly burstMeanMinutes: number;
  /** The arrival rate during a burst, as a multiple of the base rate. */
  readonly burstFactor: number;
  /** Share of posts that are deleted at all (Zhu et al. found about 13%). */
  readonly deletedShare: number;
  readonly cdf: DelayCdf;
}

/** Generates the posts of a topic, sorted by posting time. */
export function generateTopic(opts: TopicOptions, random: () => number): Post[] {
  const end = opts.days * DAY;
  const exp = (mean: number): number => -Math.log(1 - random()) * mean;
  const bursts: [number, number][] = [];
  for (let t = exp(DAY / opts.burstsPerDay); t < end; t += exp(DAY / opts.burstsPerDay))
    bursts.push([t, t + exp(opts.burstMeanMinutes * MIN)]);
  const inBurst = (t: number): boolean => bursts.some(([a, b]) => t >= a && t < b);
  const posts: Post[] = [];
  // Arrivals by thinning a Poisson process at the burst rate.
  const peak = (opts.basePerHour * opts.burstFactor) / HOUR;
  for (let t = exp(1 / peak); t < end; t += exp(1 / peak)) {
    const rate = inBurst(t) ? peak : opts.basePerHour / HOUR;
    if (random() * peak > rate) continue;
    const deleted = random() < opts.deletedShare;
    const u = random();
    posts.push({ postedAt: t, deleteAt: deleted ? t + sampleDelay(opts.cdf, u) : Infinity });
  }
  return posts;
}

/** One schedule under test. */
export interface Schedule {
  readonly name: string;
  readonly discoverEvery: number;
  readonly ladder: readonly number[];
  readonly jitter: number;
  /** Final observations needed for `gone`, each at least `confirmAfter` after the previous. */
  readonly confirmGone: number;
  readonly confirmAfter: number;
  /**
   * Listings as cheap checks: a tracked post that should appear in a search page's time window but
   * does not is checked at once (absence from a listing is never itself a deletion).
   */
  readonly listingChecks: boolean;
  /**
   * When requests queue, an overdue discovery round goes before overdue re-checks (otherwise the
   * queue is ordered by due time alone): a post never seen cannot be caught at all.
   */
  readonly discoveryFirst: boolean;
  /**
   * The request budget of src/engine/budget.ts, at the host's capacity: discovery first (up to its
   * ceiling), then confirmations, first-hour checks and the rest, each class leaving its reserve.
   */
  readonly budget?: boolean;
  /** Adaptive discovery between these bounds (src/domain/discovery-cadence.ts); absent: fixed. */
  readonly cadence?: { readonly min: number; readonly max: number };
  /** A listing that shows a post alive late in its check's rung stands in for the check. */
  readonly sightings?: boolean;
}

/** The host and the search listing. */
export interface HostOptions {
  /** One request per this many ms (production: 2 s for Weibo). */
  readonly minInterval: number;
  readonly pageSize: number;
  readonly maxPages: number;
  /**
   * A round stops paging at the first page with a post already known. The engine does not (it
   * pages while the listing has more, up to `maxPages`); the first version of this model did.
   * @defaultValue false
   */
  readonly stopAtKnown?: boolean;
  /** Simulated time to run past the last arrival, so late deletions can still be detected. */
  readonly tailMs: number;
}

/** What one schedule achieved on one topic. */
export interface CaptureResult {
  readonly schedule: string;
  readonly posts: number;
  /** Deleted posts whose deletion falls inside the arrival window. */
  readonly deleted: number;
  /** ... of which were seen alive (listed by discovery) before deletion. */
  readonly captured: number;
  /** ... of which had the deletion confirmed. */
  readonly detected: number;
  /** Detection delays (ms, deletion → confirmed) of detected deletions ≤ 1 h after posting. */
  readonly earlyDelays: readonly number[];
  /** Deletions ≤ 1 h after posting, detected or not. */
  readonly earlyDeleted: number;
  readonly requests: number;
  readonly discoveryRequests: number;
  readonly trackedPostDays: number;
  /** 90th percentile of how late requests ran against their due time (queueing), ms. */
  readonly p90Lag: number;
}

interface Job {
  readonly due: number;
  readonly seq: number;
  /** The post index. */
  readonly post: number;
  readonly version: number;
}

/** A binary min-heap of jobs by (due, seq): the request queue, earliest due first. */
class JobQueue {
  private readonly items: Job[] = [];
  get size(): number {
    return this.items.length;
  }
  push(job: Job): void {
    const a = this.items;
    a.push(job);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }
  peek(): Job | undefined {
    return this.items[0];
  }
  pop(): Job | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && before(a[l]!, a[m]!)) m = l;
        if (r < a.length && before(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}

function before(a: Job, b: Job): boolean {
  return a.due < b.due || (a.due === b.due && a.seq < b.seq);
}

interface Tracked {
  firstSeenAt: number;
  version: number;
  nextDue: number;
  absentSince: number | null;
  absences: number;
  goneAt: number | null;
  /** Whether it had a direct check yet. */
  checked: boolean;
}

/**
 * Runs one schedule over one topic. One request server: the earliest-due job runs at
 * max(due, server free) and occupies it for `minInterval` per request, so when more is due than
 * the budget allows, requests queue and run late (as in production, where due targets are picked
 * oldest-due first and the host's politeness wait spaces them).
 */
export function simulate(
  posts: readonly Post[],
  schedule: Schedule,
  host: HostOptions,
  arrivalEnd: number,
  random: () => number,
): CaptureResult {
  const end = arrivalEnd + host.tailMs;
  const tracked = new Map<number, Tracked>();
  const queue = new JobQueue();
  let seq = 0;
  let free = 0;
  let requests = 0;
  let discoveryRequests = 0;
  const lags: number[] = [];
  const enqueue = (due: number, post: number, version: number): void =>
    queue.push({ due, seq: seq++, post, version });

  const schedulePost = (i: number, t: Tracked, due: number): void => {
    t.version++;
    t.nextDue = due;
    enqueue(due, i, t.version);
  };

  // Index of the newest post posted at or before `t`.
  const newestAt = (t: number): number => {
    let lo = 0;
    let hi = posts.length - 1;
    let ans = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (posts[mid]!.postedAt <= t) {
        ans = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return ans;
  };

  /** One round at `at` of at most `maxPages` pages: the pages fetched and the new posts found. */
  const discover = (at: number, maxPages: number): { pages: number; found: number; listed: number } => {
    let i = newestAt(at);
    let pages = 0;
    let found = 0;
    let listedAll = 0;
    while (pages < maxPages) {
      pages++;
      const listed: number[] = [];
      while (i >= 0 && listed.length < host.pageSize) {
        if (posts[i]!.deleteAt > at) listed.push(i);
        i--;
      }
      let sawKnown = false;
      listedAll += listed.length;
      for (const p of listed) {
        const known = tracked.get(p);
        if (known) {
          sawKnown = true;
          if (schedule.sightings && known.goneAt === null) {
            const next = checkAfterSighting(
              {
                firstSeenAt: known.firstSeenAt,
                nextCheckAt: known.nextDue,
                checkedDirectly: known.checked,
                confirming: known.absences > 0,
              },
              at,
              schedule,
              random,
            );
            if (next !== null) schedulePost(p, known, next);
          }
          continue;
        }
        found++;
        const t: Tracked = {
          firstSeenAt: at,
          version: 0,
          nextDue: 0,
          absentSince: null,
          absences: 0,
          goneAt: null,
          checked: false,
        };
        tracked.set(p, t);
        schedulePost(p, t, nextLadderCheck(at, at, schedule, random));
      }
      if (schedule.listingChecks && listed.length > 0) {
        // Every tracked post inside the page's time window that is not on it gets checked now.
        const oldest = posts[listed[listed.length - 1]!]!.postedAt;
        for (let j = newestAt(at); j >= 0 && posts[j]!.postedAt >= oldest; j--) {
          const t = tracked.get(j);
          if (t && t.goneAt === null && posts[j]!.deleteAt <= at && t.nextDue > at) schedulePost(j, t, at);
        }
      }
      // Stop paging once a page reaches posts already known (the rest were seen before).
      if ((host.stopAtKnown === true && sawKnown) || listed.length < host.pageSize) break;
    }
    return { pages, found, listed: listedAll };
  };

  const check = (i: number, t: Tracked, at: number): void => {
    const post = posts[i]!;
    t.checked = true;
    if (post.deleteAt <= at) {
      if (t.absentSince === null || at - t.absentSince >= schedule.confirmAfter) {
        t.absences++;
        t.absentSince = at;
      }
      if (t.absences >= schedule.confirmGone) {
        t.goneAt = at;
        return;
      }
      const ladder = nextLadderCheck(t.firstSeenAt, at, schedule, random);
      schedulePost(i, t, Math.min(ladder, at + schedule.confirmAfter));
      return;
    }
    schedulePost(i, t, nextLadderCheck(t.firstSeenAt, at, schedule, random));
  };

  const budget = schedule.budget ? new RequestBudget({ weibo: Math.floor(HOUR / host.minInterval) }) : null;
  let discoveryDue = 0;
  let interval: number | null = null;
  const runDiscovery = (at: number, due: number, maxPages: number): number => {
    lags.push(at - due);
    const round = discover(at, maxPages);
    requests += round.pages;
    discoveryRequests += round.pages;
    free = at + round.pages * host.minInterval;
    interval = schedule.cadence
      ? nextDiscoveryInterval(
          interval,
          {
            newTargets: round.found,
            overflowed: round.pages >= maxPages && round.found >= round.listed && round.listed > 0,
          },
          { base: schedule.discoverEvery, ...schedule.cadence },
        )
      : schedule.discoverEvery;
    discoveryDue = free + interval;
    return round.pages;
  };
  for (;;) {
    // Drop stale entries (re-scheduled or already gone) so the head is a live check.
    let head = queue.peek();
    while (head && head.post >= 0) {
      const t = tracked.get(head.post);
      if (t && t.version === head.version && t.goneAt === null) break;
      queue.pop();
      head = queue.peek();
    }
    const slot = Math.max(free, Math.min(discoveryDue, head?.due ?? Infinity));
    const discoverNow =
      schedule.discoveryFirst || budget ? discoveryDue <= slot : discoveryDue <= (head?.due ?? Infinity);
    const due = discoverNow ? discoveryDue : head!.due;
    const at = Math.max(due, free);
    if (at > end) break;
    if (budget) {
      // As the engine: each item is admitted by its class, or waits until the budget has room.
      if (discoverNow) {
        const a = budget.admit('weibo', 'discovery', host.maxPages, at, 'd', 1);
        if ('retryAt' in a) {
          discoveryDue = a.retryAt;
          continue;
        }
        budget.settle('d', runDiscovery(at, due, a.granted));
        continue;
      }
      const t = tracked.get(head!.post)!;
      const cls =
        t.absences > 0 ? 'confirm' : checkClass({ verdict: 'alive', firstSeenAt: t.firstSeenAt }, at);
      const a = budget.admit('weibo', cls, 1, at);
      queue.pop();
      if ('retryAt' in a) {
        schedulePost(head!.post, t, a.retryAt);
        continue;
      }
      lags.push(at - due);
      requests++;
      free = at + host.minInterval;
      check(head!.post, t, at);
      continue;
    }
    if (discoverNow) {
      runDiscovery(at, due, host.maxPages);
    } else {
      lags.push(at - due);
      queue.pop();
      requests++;
      free = at + host.minInterval;
      check(head!.post, tracked.get(head!.post)!, at);
    }
  }

  let deleted = 0;
  let captured = 0;
  let detected = 0;
  let earlyDeleted = 0;
  const earlyDelays: number[] = [];
  let trackedMs = 0;
  for (const t of tracked.values()) trackedMs += (t.goneAt ?? end) - t.firstSeenAt;
  posts.forEach((p, i) => {
    if (p.deleteAt > arrivalEnd) return;
    deleted++;
    const early = p.deleteAt - p.postedAt <= HOUR;
    if (early) earlyDeleted++;
    const t = tracked.get(i);
    if (!t) return;
    if (t.firstSeenAt < p.deleteAt) captured++;
    if (t.goneAt === null) return;
    detected++;
    if (early) earlyDelays.push(t.goneAt - p.deleteAt);
  });
  return {
    schedule: schedule.name,
    posts: posts.length,
    deleted,
    captured,
    detected,
    earlyDelays,
    earlyDeleted,
    requests,
    discoveryRequests,
    trackedPostDays: trackedMs / DAY,
    p90Lag: quantile(lags, 0.9),
  };
}

/** The q-quantile (nearest rank) of `xs`, NaN when empty. */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
}

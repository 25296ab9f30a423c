import { FINAL_OUTCOMES, type Outcome, type Platform } from '../domain/glossary';

/** Outcomes that mean the platform is pushing back on us, not that a target changed. */
const PUSHBACK: ReadonlySet<Outcome> = new Set(['rate_limited', 'captcha', 'login_required']);

/** How many pushbacks in a row make a platform degraded (a `monitor.degraded` event, once). */
export const DEGRADED_AFTER = 3;

/**
 * How many failures in a row (resets, timeouts, 5xx, odd pages) with no answer in between make a
 * platform degraded: every target failing at once is an outage of the site or of our network, not
 * news about each target.
 */
export const OUTAGE_AFTER = 10;

/**
 * How many normal answers in a row end a degraded state. Backoff ends with the first answer, but a
 * platform that answers once between runs of failures (a template change on most endpoints, a
 * captcha on every other request) stays degraded, so `monitor.degraded` is raised once for the
 * episode, not once per round of discovery.
 */
export const RECOVERED_AFTER = 5;

const FAILURES: ReadonlySet<Outcome> = new Set(['network_error', 'server_error', 'unparseable']);

/**
 * How many transport failures in a row (reset, refused, timed out, each already retried by the
 * fetcher) with no answer in between pause the platform. One is a blip; a host that resets every
 * connection is pushing back as surely as a 418, and hammering it is what gets an IP banned.
 */
export const UNREACHABLE_AFTER = 3;

export interface HealthChange {
  /** True exactly when this outcome made the platform degraded. */
  readonly degraded: boolean;
  readonly backoffUntil: number;
  /** True when this outcome started or lengthened the platform's pause. */
  readonly paused: boolean;
  /** True when this outcome paused a platform that was not paused: the start of a series. */
  readonly started: boolean;
}

/** A platform's backoff state as other processes see it. */
export interface HostState {
  readonly strikes: number;
  readonly pausedUntil: number;
  readonly degraded: boolean;
}

/**
 * The seam of per-platform health: the recorder feeds it every outcome, the scheduler asks it when
 * a platform's work may go out again. {@link LocalHostHealth} keeps it in this process (embedded
 * mode); a distributed deployment shares it through Redis, so the scheduler role sees the backoff
 * the recorder role decided.
 */
export interface HostHealth {
  /** Time before which no work should go to the platform (0 when none). */
  pausedUntil(p: Platform): number;
  isDegraded(p: Platform): boolean;
  /** Current retry delay for a transient outcome on the platform. */
  retryDelay(p: Platform): number;
  /** Feeds one outcome of a request to the platform. */
  note(p: Platform, outcome: Outcome, at: number): HealthChange;
  /** Every platform's state, for status and for sharing. */
  snapshot(): Record<string, HostState>;
  /** Makes what was noted here visible to the deployment's other processes (nothing to do locally). */
  publish(): Promise<void>;
  /** Takes in what other processes published (nothing to do locally). */
  refresh(): Promise<void>;
  /**
   * The state as it is now, to go back to (what {@link note} changed since is forgotten): a
   * group of results recorded together and rolled back is noted again, not twice. Absent where
   * the state cannot be taken back (it is shared as it changes).
   */
  restorePoint?(): () => void;
}

interface PlatformHealth {
  /** Pushbacks (rate limits, captchas, login walls) since the last normal answer. */
  strikes: number;
  /** Failures of any kind in a row, for outage detection. */
  failures: number;
  /** Transport failures in a row, with no answer in between. */
  unreachable: number;
  /** Pauses started by transport failures since the last answer: the exponent of the next one. */
  pauses: number;
  until: number;
  degraded: boolean;
  /** Normal answers in a row, for recovery from a degraded state. */
  answers: number;
}

/**
 * Per-platform backoff after rate limits and captchas: exponential from `base`, capped at `max`,
 * reset by the first normal answer (the degraded state by {@link RECOVERED_AFTER} in a row). The same backoff after {@link UNREACHABLE_AFTER} transport
 * failures in a row, lengthened only by a failure that comes after the pause ran out (requests
 * already in flight when it began add nothing) and ended by any answer. And outage detection when
 * everything fails. It only delays work and raises `monitor.degraded`; it never becomes a verdict.
 * The rules themselves, kept in this process; the Redis adapter shares this state, it does not
 * decide differently.
 */
export class LocalHostHealth implements HostHealth {
  private readonly state = new Map<Platform, PlatformHealth>();

  constructor(private readonly backoff: (p: Platform) => { base: number; max: number }) {}

  /** Time before which no work should go to the platform (0 when none). */
  pausedUntil(p: Platform): number {
    return this.state.get(p)?.until ?? 0;
  }

  isDegraded(p: Platform): boolean {
    return this.state.get(p)?.degraded ?? false;
  }

  /** Current retry delay for a transient outcome on the platform. */
  retryDelay(p: Platform): number {
    const s = this.state.get(p);
    const { base, max } = this.backoff(p);
    const level = s ? Math.max(s.strikes, s.pauses) : 0;
    return level > 0 ? Math.min(max, base * 2 ** (level - 1)) : base;
  }

  /** Feeds one outcome of a request to the platform. */
  note(p: Platform, outcome: Outcome, at: number): HealthChange {
    const s = this.state.get(p) ?? {
      strikes: 0,
      failures: 0,
      unreachable: 0,
      pauses: 0,
      until: 0,
      degraded: false,
      answers: 0,
    };
    this.state.set(p, s);
    const before = s.until;
    if (outcome === 'network_error') {
      s.unreachable += 1;
      if (s.unreachable >= UNREACHABLE_AFTER && at >= s.until) {
        s.pauses += 1;
        const { base, max } = this.backoff(p);
        s.until = at + Math.min(max, base * 2 ** (s.pauses - 1));
      }
    } else {
      // The host answered: whatever it said, it can be reached again.
      s.unreachable = 0;
      if (s.pauses > 0) {
        s.pauses = 0;
        if (s.strikes === 0) s.until = 0;
      }
    }
    if (FAILURES.has(outcome)) {
      s.answers = 0;
      s.failures += 1;
      const degraded = !s.degraded && s.failures >= OUTAGE_AFTER;
      if (degraded) s.degraded = true;
      return {
        degraded,
        backoffUntil: s.until,
        paused: s.until > before,
        started: before <= at && s.until > at,
      };
    }
    s.failures = 0;
    if (PUSHBACK.has(outcome)) {
      s.answers = 0;
      s.strikes += 1;
      const { base, max } = this.backoff(p);
      s.until = Math.max(s.until, at + Math.min(max, base * 2 ** (s.strikes - 1)));
      const degraded = !s.degraded && s.strikes >= DEGRADED_AFTER;
      if (degraded) s.degraded = true;
      return {
        degraded,
        backoffUntil: s.until,
        paused: s.until > before,
        started: before <= at && s.until > at,
      };
    }
    s.strikes = 0;
    s.until = 0;
    s.answers += 1;
    if (s.answers >= RECOVERED_AFTER) s.degraded = false;
    return { degraded: false, backoffUntil: s.until, paused: false, started: false };
  }

  snapshot(): Record<string, HostState> {
    const out: Record<string, HostState> = {};
    for (const [p, s] of this.state)
      out[p] = { strikes: Math.max(s.strikes, s.pauses), pausedUntil: s.until, degraded: s.degraded };
    return out;
  }

  restorePoint(): () => void {
    const saved = [...this.state].map(([p, s]) => [p, { ...s }] as const);
    return () => {
      this.state.clear();
      for (const [p, s] of saved) this.state.set(p, { ...s });
    };
  }

  /** In one process there is no one else to tell. */
  publish(): Promise<void> {
    return Promise.resolve();
  }

  /** In one process there is no one else to hear from. */
  refresh(): Promise<void> {
    return Promise.resolve();
  }
}

/** Answers per endpoint kept for {@link ParseHealth}. */
export const PARSE_WINDOW = 20;
/** Fewest answers in the window before a share is judged. */
export const PARSE_MIN_ANSWERS = 10;
/** Share of unparseable answers that makes an endpoint degraded (a template change). */
export const PARSE_DEGRADED_SHARE = 0.5;

/** What one endpoint's parsing looks like now. */
export interface ParseChange {
  /** True exactly when this answer made the endpoint degraded. */
  readonly degraded: boolean;
  readonly answers: number;
  readonly unparseable: number;
}

/**
 * Per endpoint, the share of answers that no longer parse among its last {@link PARSE_WINDOW}
 * answers (alive, final or unparseable; blocking and transport failures say nothing about the
 * template). Half or more of at least {@link PARSE_MIN_ANSWERS} raises `monitor.degraded` once; it
 * re-arms when the share falls below half the threshold. At the ladder's early rungs an endpoint
 * answers many times an hour, so a new template shows within the hour as a parsing problem.
 */
export class ParseHealth {
  private readonly state = new Map<string, { recent: boolean[]; degraded: boolean }>();

  /** Feeds one answer of `endpoint`; outcomes that are not answers about the page are ignored. */
  note(endpoint: string, outcome: string): ParseChange | null {
    if (!(PARSED.has(outcome) || outcome === 'unparseable' || isFinalOutcomeName(outcome))) return null;
    const s = this.state.get(endpoint) ?? { recent: [], degraded: false };
    s.recent.push(outcome === 'unparseable');
    if (s.recent.length > PARSE_WINDOW) s.recent.shift();
    this.state.set(endpoint, s);
    const unparseable = s.recent.filter(Boolean).length;
    const share = unparseable / s.recent.length;
    let degraded = false;
    if (!s.degraded && s.recent.length >= PARSE_MIN_ANSWERS && share >= PARSE_DEGRADED_SHARE) {
      s.degraded = true;
      degraded = true;
    } else if (s.degraded && share < PARSE_DEGRADED_SHARE / 2) {
      s.degraded = false;
    }
    return { degraded, answers: s.recent.length, unparseable };
  }

  /** The state as it is now, to go back to (see {@link HostHealth.restorePoint}). */
  restorePoint(): () => void {
    const saved = [...this.state].map(([e, s]) => [e, s.recent.slice(), s.degraded] as const);
    return () => {
      this.state.clear();
      for (const [e, recent, degraded] of saved) this.state.set(e, { recent: recent.slice(), degraded });
    };
  }
}

/** Answers that parsed: a target's content, or a listing's results, emptiness or withholding. */
const PARSED: ReadonlySet<string> = new Set(['alive', 'results', 'empty', 'withheld']);

const FINAL_NAMES: ReadonlySet<string> = new Set<string>(FINAL_OUTCOMES);

function isFinalOutcomeName(outcome: string): boolean {
  return FINAL_NAMES.has(outcome);
}

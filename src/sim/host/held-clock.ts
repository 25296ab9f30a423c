import type { Clock } from '../../domain/clock';

/**
 * A moment of a scenario its clock does not pass until `ready()`: an edit that must not happen
 * before the crawler has seen the version it replaces, a deletion before the crawler has seen the
 * post's last version, the end of a search block before a search has met it.
 */
export interface Hold {
  /** Scenario time (epoch ms) of the change that waits. */
  readonly at: number;
  /** What waits, for a report of holds that ran out. */
  readonly what: string;
  /**
   * What the crawler must have seen, for an observer that can tell it from what was recorded
   * rather than served (a result can be lost between the two): version `version` of a post
   * (0 before its first edit), or a search of `keyword` answered with a block.
   */
  readonly awaits?:
    | { readonly platform: 'weibo' | 'netease'; readonly id: string; readonly version: number }
    | { readonly keyword: string };
  ready(): boolean;
}

/** Options of {@link HeldClock}. */
export interface HeldClockOptions {
  /** Scenario time shown until {@link HeldClock.go} and when it is called. */
  readonly start: number;
  /**
   * Real milliseconds one hold waits at most; then the change happens anyway and the hold is
   * listed in {@link HeldClock.expired}. @defaultValue 60000
   */
  readonly maxHoldMs?: number;
  /** Real time source. @defaultValue Date.now */
  readonly real?: () => number;
}

/**
 * The scenario's clock on real time, frozen at its start until {@link go} and stopped just before
 * each {@link Hold} until the hold is ready. A scenario played against a crawler on a loaded
 * machine then keeps its story: the crawler may be slow, but an edit still falls between two of its
 * checks and a block still meets a search, since the scenario waits for them instead of running on.
 * Holds are looked at whenever the time is read, which the simulator does for every answer.
 */
export class HeldClock implements Clock {
  private readonly start: number;
  private readonly maxHoldMs: number;
  private readonly real: () => number;
  private readonly pending: Hold[] = [];
  private startedAt: number | null = null;
  /** Real ms the clock has stood still at holds already released. */
  private held = 0;
  /** Real time the clock reached the first pending hold, while it stands there. */
  private pausedAt: number | null = null;
  private readonly expiredHolds: string[] = [];

  constructor(options: HeldClockOptions) {
    this.start = options.start;
    this.maxHoldMs = options.maxHoldMs ?? 60_000;
    this.real = options.real ?? Date.now;
  }

  /** Adds holds; those at or before the time already shown are dropped, as already passed. */
  addHolds(holds: readonly Hold[]): void {
    const shown = this.now();
    this.pending.push(...holds.filter((h) => h.at > shown));
    // Stable: holds at one moment wait in the order given.
    this.pending.sort((a, b) => a.at - b.at);
  }

  /** Starts the scenario's time running from its start. */
  go(): void {
    if (this.startedAt === null) this.startedAt = this.real();
  }

  /** Holds released by {@link HeldClockOptions.maxHoldMs} rather than by being ready. */
  get expired(): readonly string[] {
    return this.expiredHolds;
  }

  /** What the clock stands still for now, or null while it runs. */
  get waitingFor(): string | null {
    return this.pausedAt === null ? null : (this.pending[0]?.what ?? null);
  }

  now(): number {
    if (this.startedAt === null) return this.start;
    const real = this.real();
    for (;;) {
      const free = this.start + real - this.startedAt - this.held;
      const hold = this.pending[0];
      if (hold === undefined) return free;
      const ready = hold.ready();
      if (this.pausedAt === null) {
        if (free < hold.at) return free;
        // Ready by the first read past it: nothing was served since it got there, so it never stopped.
        if (ready) {
          this.pending.shift();
          continue;
        }
        // Reached since the last read: it stands still from the moment it got there.
        this.pausedAt = real - (free - hold.at);
      }
      if (!ready && real - this.pausedAt < this.maxHoldMs) return hold.at - 1;
      if (!ready) this.expiredHolds.push(hold.what);
      this.held += real - this.pausedAt;
      this.pausedAt = null;
      this.pending.shift();
    }
  }
}

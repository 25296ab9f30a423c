import type { Logger } from 'pino';
import type { Config } from '../config/types';
import type { Clock } from '../domain/clock';
import type { Platform } from '../domain/glossary';
import type { PlatformAdapter } from '../platforms/platform';
import type { ReleasedLeases, RunRecord } from '../store/leases';
import type { Store } from '../store/store';
import type { Dispatcher } from './dispatcher';
import { resolveExplicitTargets } from './explicit-targets';
import type { HostHealth, ParseHealth } from './host-health';
import type { RecordedEvent } from './recorder';
import type { RecordCounters, ResultRecorder } from './result-recorder';
import type { Scheduler } from './scheduler';
import type { WorkItem, WorkResult } from './work';

export { resolveExplicitTargets, type ExplicitTarget } from './explicit-targets';
export { LEASE_MS, type PeekOptions } from './scheduler';

/**
 * What an embedded engine is built from (src/cli/compose.ts builds it: a local host health, the
 * in-process pool). Kept as plain options so tests, the demo and benchmarks describe a run the
 * same way `run` does.
 */
export interface EngineDeps {
  readonly config: Config;
  readonly store: Store;
  readonly adapters: Partial<Record<Platform, PlatformAdapter>>;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly random?: () => number;
  /** Called with the events each recorded result produced (alerts, progress). */
  readonly onEvents?: (events: readonly RecordedEvent[]) => void;
  /** Called with every result once it is recorded (metrics). */
  readonly onResult?: (result: WorkResult) => void;
  /**
   * How long a taken item stays leased: if its result has not been recorded by then (a fetcher
   * died), it is taken again. Tests use seconds. @defaultValue LEASE_MS (10 minutes)
   */
  readonly leaseMs?: number;
  /**
   * The run id leases are taken in (see {@link Engine.reclaimLeases}); without one, leases have no
   * owner and only expire. @defaultValue none
   */
  readonly leaseOwner?: string;
}

/** The parts an {@link Engine} drives. */
export interface EngineParts {
  readonly config: Config;
  readonly adapters: Partial<Record<Platform, PlatformAdapter>>;
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  readonly results: ResultRecorder;
  readonly dispatcher: Dispatcher;
}

/** Options of {@link Engine.run}. */
export interface RunOptions {
  /** Stop once the clock passes this time. */
  readonly until?: number;
  readonly signal?: AbortSignal;
  /**
   * With a simulated clock: when nothing is due, jump the clock to the next due time instead of
   * waiting. The function moves the clock.
   */
  readonly advanceClock?: (to: number) => void;
  /** Longest real wait between polls of the schedule when idle. @defaultValue 1000 ms */
  readonly idlePoll?: number;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * The engine loop: rounds of the scheduler's due work through a dispatcher, and between rounds a
 * wait (or, on a simulated clock, a jump) to the next due time. Embedded mode runs it with the
 * in-process pool; a distributed deployment ticks the same Scheduler into BullMQ from its
 * scheduler role, and its recorder role applies results with the same ResultRecorder.
 */
export class Engine {
  readonly scheduler: Scheduler;
  readonly results: ResultRecorder;
  private readonly dispatcher: Dispatcher;

  constructor(private readonly parts: EngineParts) {
    this.scheduler = parts.scheduler;
    this.results = parts.results;
    this.dispatcher = parts.dispatcher;
  }

  /** The platforms' backoff and outage state, as the recorder feeds it. */
  get health(): HostHealth {
    return this.results.health;
  }

  /** Per endpoint: how many recent answers stopped parsing (a template change). */
  get parsing(): ParseHealth {
    return this.results.parsing;
  }

  get counters(): RecordCounters {
    return this.results.counters;
  }

  /**
   * Brings the store in line with the config: watches, their keyword and account sources, and
   * explicit posts as targets due at once. Every unusable post URL is reported before anything is
   * written.
   */
  sync(): void {
    this.results.sync(resolveExplicitTargets(this.parts.config, this.parts.adapters));
  }

  /** See {@link Scheduler.reclaimLeases}. */
  reclaimLeases(isGone: (holder: RunRecord) => boolean): ReleasedLeases & { runs: string[] } {
    return this.scheduler.reclaimLeases(isGone);
  }

  /** Takes the work due now, skipping platforms that are backing off. */
  takeDue(limit: number): WorkItem[] {
    return this.scheduler.take(limit);
  }

  /** Records a fetched result: verdicts, schedule, events, and the platform's health. */
  record(result: WorkResult): RecordedEvent[] {
    return this.results.apply(result);
  }

  /** One round of everything due now through the dispatcher. Returns the number of items. */
  async tick(signal?: AbortSignal, until?: number): Promise<number> {
    return (await this.dispatcher.dispatchDue({ signal, until })).dispatched;
  }

  /** Runs until `until` (clock time) or the signal aborts. */
  async run(opts: RunOptions = {}): Promise<void> {
    const { clock } = this.parts;
    const idlePoll = opts.idlePoll ?? 1000;
    while (!opts.signal?.aborted) {
      const now = clock.now();
      if (opts.until !== undefined && now >= opts.until) break;
      const n = await this.tick(opts.signal, opts.until);
      if (n > 0) continue;
      const due = this.scheduler.nextDueAt();
      const limit = opts.until ?? Number.POSITIVE_INFINITY;
      if (opts.advanceClock) {
        const to = due === null ? limit : Math.min(Math.max(due, now + 1), limit);
        if (!Number.isFinite(to)) break;
        opts.advanceClock(to);
      } else {
        const wait =
          due === null ? idlePoll : Math.min(Math.max(due - now, 5), idlePoll, Math.max(0, limit - now));
        await sleep(wait, opts.signal);
      }
    }
  }
}

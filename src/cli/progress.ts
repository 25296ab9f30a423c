/**
 * `run`'s progress line: every minute of the run's clock, one line on stderr with the checks and
 * discovery rounds done so far, the work due now, the gone targets (and how many this run found),
 * and the watch problems open, so a run that is working is never silent for minutes.
 */
import type { Logger } from 'pino';
import type { Clock } from '../domain/clock';
import { ProblemStore } from '../store/problems';
import { progressCounts } from '../store/progress';
import type { Store } from '../store/store';
import { plural } from '../report/format';

/** One progress reading. */
export interface Progress {
  readonly checks: number;
  readonly discoveries: number;
  readonly due: number;
  readonly gone: number;
  readonly goneThisRun: number;
  readonly problems: number;
}

/** The line a person reads. */
export function progressLine(p: Progress): string {
  return (
    `progress: ${plural(p.checks, 'check')}, ${plural(p.discoveries, 'discovery round')}, ${p.due} due, ` +
    `${p.gone} gone (+${p.goneThisRun} this run), ${plural(p.problems, 'open watch problem')}`
  );
}

/** Options of {@link ProgressReporter}. */
export interface ProgressOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Results recorded so far by the engine. */
  readonly counters: () => { readonly checks: number; readonly discoveries: number };
  /** Time between two lines, on `clock`. @defaultValue 60 000 ms */
  readonly every?: number;
}

/**
 * Writes a progress line whenever {@link tick} finds that `every` has passed on the clock since the
 * last one. Ticking is the caller's business (a timer in `run`, the clock's steps in a test), so
 * the line follows the injected clock and a test needs no real waiting.
 */
export class ProgressReporter {
  private readonly problems: ProblemStore;
  private readonly goneAtStart: number;
  private next: number;
  private readonly every: number;

  constructor(private readonly o: ProgressOptions) {
    this.problems = new ProblemStore(o.store);
    this.every = o.every ?? 60_000;
    this.goneAtStart = progressCounts(o.store, o.clock.now()).gone;
    this.next = o.clock.now() + this.every;
  }

  /** The reading now. */
  read(): Progress {
    const now = this.o.clock.now();
    const { due, gone } = progressCounts(this.o.store, now);
    const { checks, discoveries } = this.o.counters();
    return {
      checks,
      discoveries,
      due,
      gone,
      goneThisRun: Math.max(0, gone - this.goneAtStart),
      problems: this.problems.countOpen(),
    };
  }

  /** Writes a line if one is due; returns it, or null. One line however long the clock jumped. */
  tick(): Progress | null {
    const now = this.o.clock.now();
    if (now < this.next) return null;
    // The next line a whole interval after this one, not after the missed slot.
    this.next = now + this.every;
    const p = this.read();
    this.o.logger.info({ progress: p }, progressLine(p));
    return p;
  }
}

/**
 * Ticks a reporter on a real timer (a second apart, unref'd so it never holds the process) until
 * the returned function is called.
 */
export function startProgress(o: ProgressOptions): () => void {
  const reporter = new ProgressReporter(o);
  const timer = setInterval(
    () => {
      try {
        reporter.tick();
      } catch (err) {
        // A busy or closing database costs one line, never the run.
        o.logger.debug({ err }, 'progress line skipped');
      }
    },
    Math.min(1000, o.every ?? 60_000),
  );
  timer.unref();
  return () => clearInterval(timer);
}

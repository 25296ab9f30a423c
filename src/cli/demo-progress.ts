/**
 * Progress of a simulated run on stderr: a bar redrawn in place on a terminal, one line per
 * simulated day otherwise (a log file or CI keeps every line). Log lines written while the bar is
 * drawn go through {@link DemoProgress.logStream}, which clears the bar first and redraws it after.
 */
import { Writable } from 'node:stream';
import { plural } from '../report/format';

const DAY = 86_400_000;

/** What the run has done by simulated time `at`. */
export interface ProgressCounts {
  readonly at: number;
  readonly checks: number;
  readonly discoveries: number;
  /** Distinct posts (not comment threads) found so far. */
  readonly targets: number;
  /** Distinct posts gone so far. */
  readonly gone: number;
}

/** Options of {@link DemoProgress}. */
export interface DemoProgressOptions {
  readonly start: number;
  readonly end: number;
  readonly out: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** `bar` on a terminal, `lines` otherwise. @defaultValue by `out.isTTY` */
  readonly mode?: 'bar' | 'lines';
  /** Real time between two redraws of the bar. @defaultValue 150 */
  readonly redrawMs?: number;
  /** Real clock for throttling the redraws. @defaultValue Date.now */
  readonly now?: () => number;
}

/** Draws the progress of one simulated run. */
export class DemoProgress {
  readonly mode: 'bar' | 'lines';
  private last: ProgressCounts | null = null;
  private nextDay = 1;
  private drawn = false;
  private lastDraw = -Infinity;
  private readonly now: () => number;

  constructor(private readonly o: DemoProgressOptions) {
    this.mode = o.mode ?? (o.out.isTTY ? 'bar' : 'lines');
    this.now = o.now ?? Date.now;
  }

  private get days(): number {
    return (this.o.end - this.o.start) / DAY;
  }

  /** Called as the run goes; cheap enough to call after every result. */
  update(c: ProgressCounts): void {
    this.last = c;
    if (this.mode === 'lines') {
      while (this.nextDay <= Math.floor(this.days) && c.at >= this.o.start + this.nextDay * DAY) {
        this.o.out.write(`${this.describe(c, `day ${this.nextDay}/${fmtDays(this.days)}`)}\n`);
        this.nextDay++;
      }
      return;
    }
    const t = this.now();
    if (t - this.lastDraw < (this.o.redrawMs ?? 150)) return;
    this.lastDraw = t;
    this.draw();
  }

  /** The last line: the whole run, and the bar finished with a newline. */
  finish(note = 'done'): void {
    const c = this.last ?? { at: this.o.end, checks: 0, discoveries: 0, targets: 0, gone: 0 };
    if (this.mode === 'bar') {
      this.draw();
      this.o.out.write('\n');
      this.drawn = false;
      return;
    }
    this.o.out.write(`${this.describe(c, note)}\n`);
  }

  /** A stream for log lines that keeps the bar below them. */
  logStream(): Writable {
    return new Writable({
      write: (chunk: Buffer | string, _enc, done) => {
        if (this.mode === 'bar' && this.drawn) {
          this.o.out.write('\r\x1b[K');
          this.drawn = false;
        }
        this.o.out.write(chunk);
        if (this.mode === 'bar' && this.last) this.draw();
        done();
      },
    });
  }

  private draw(): void {
    const c = this.last;
    if (!c) return;
    const share = Math.min(1, Math.max(0, (c.at - this.o.start) / (this.o.end - this.o.start)));
    const width = Math.max(10, Math.min(30, (this.o.out.columns ?? 80) - 70));
    const full = Math.round(share * width);
    const bar = `[${'#'.repeat(full)}${'.'.repeat(width - full)}] ${String(Math.round(share * 100)).padStart(3)}%`;
    const total = this.o.end - this.o.start;
    const day =
      total >= DAY
        ? `day ${fmtDays((c.at - this.o.start) / DAY)}/${fmtDays(this.days)}`
        : `${fmtSpan(c.at - this.o.start)}/${fmtSpan(total)}`;
    this.o.out.write(`\r\x1b[K${this.describe(c, `${bar} ${day}`)}`);
    this.drawn = true;
  }

  private describe(c: ProgressCounts, head: string): string {
    // Seconds only matter to runs shorter than an hour (the quick scenarios).
    const when = new Date(c.at)
      .toISOString()
      .slice(0, this.o.end - this.o.start < 3_600_000 ? 19 : 16)
      .replace('T', ' ');
    return `demo: ${head} (simulated ${when} UTC): ${plural(c.checks, 'check')}, ${c.discoveries} searches and timelines, ${plural(c.targets, 'post')}, ${c.gone} gone`;
  }
}

/** A simulated span as the bar shows it: `40s`, `12m`, `5.5h`. */
function fmtSpan(ms: number): string {
  if (ms >= 3_600_000) return `${fmtDays(ms / 3_600_000)}h`;
  if (ms >= 60_000) return `${Math.floor(ms / 60_000)}m`;
  return `${Math.floor(ms / 1000)}s`;
}

function fmtDays(d: number): string {
  return Number.isInteger(d) ? String(d) : d.toFixed(1);
}

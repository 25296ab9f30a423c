import type { Logger } from 'pino';
import type { PageShooter } from '../browser/pool';
import type { BrowserCookie } from '../browser/remap';
import type { Clock } from '../domain/clock';
import type { Platform } from '../domain/glossary';
import type { ScreenshotRow, ScreenshotStore } from '../store/screenshots';

/** Options of {@link ScreenshotWorker}. */
export interface ScreenshotWorkerOptions {
  readonly screenshots: ScreenshotStore;
  readonly shooter: PageShooter;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The session's cookies for a real URL of a platform (its cookie jar); none when absent. */
  readonly cookiesFor?: (platform: Platform, url: string) => readonly BrowserCookie[];
  /** How a platform's pages are opened: its user agent and a viewport its site is made for. */
  readonly pageFor?: (platform: Platform) => PageOptions;
  /** Screenshots taken at once (the pool's size). @defaultValue 4 */
  readonly concurrency?: number;
  /** First wait after a failure, doubled per failure. @defaultValue 1 minute */
  readonly retryAfter?: number;
  /** Longest wait between retries. @defaultValue 1 hour */
  readonly maxRetryAfter?: number;
  /** Attempts before a screenshot is given up as failed. @defaultValue 8 */
  readonly maxAttempts?: number;
  /** Longest pause between looks at the queue while it is idle (ms). @defaultValue 1000 */
  readonly pollEvery?: number;
  /** Called after a round that took a screenshot, and once at the start (e.g. retention). */
  readonly afterRound?: () => void;
}

/** How pages of one platform are opened. */
export interface PageOptions {
  readonly userAgent?: string | null;
  readonly viewport?: { readonly width: number; readonly height: number };
}

/** What one round did. */
export interface ScreenshotRound {
  readonly queued: number;
  readonly taken: number;
  readonly failed: number;
}

/**
 * Takes the screenshots the store wants, beside monitoring and never in its way: it reads the log
 * for new wishes, takes what is due through the pool, and a screenshot that fails is logged and
 * tried again later with backoff, up to `maxAttempts`. Nothing it does can fail a check.
 */
export class ScreenshotWorker {
  private readonly log: Logger;
  private readonly busy = new Set<number>();

  constructor(private readonly o: ScreenshotWorkerOptions) {
    this.log = o.logger.child({ module: 'screenshots' });
  }

  /** Queues new wishes and takes every due screenshot; resolves when they are all done. */
  async round(signal?: AbortSignal): Promise<ScreenshotRound> {
    const { screenshots, clock } = this.o;
    const queued = screenshots.findWanted(clock.now());
    let taken = 0;
    let failed = 0;
    const limit = this.o.concurrency ?? 4;
    for (;;) {
      if (signal?.aborted) break;
      const due = screenshots.due(clock.now(), limit, this.busy);
      if (due.length === 0) break;
      const results = await Promise.all(due.map((row) => this.take(row, signal)));
      taken += results.filter(Boolean).length;
      failed += results.filter((r) => !r).length;
    }
    if (taken > 0) this.o.afterRound?.();
    return { queued, taken, failed };
  }

  /** Runs rounds until `signal` aborts. Resolves, never rejects. */
  async runUntil(signal: AbortSignal): Promise<void> {
    const every = this.o.pollEvery ?? 1000;
    try {
      this.o.afterRound?.();
    } catch (err) {
      this.log.error({ err }, 'screenshot retention failed');
    }
    while (!signal.aborted) {
      try {
        await this.round(signal);
      } catch (err) {
        // The store is busy or closing: the next round tries again.
        this.log.error({ err }, 'screenshot round failed');
      }
      const next = this.o.screenshots.nextDueAt();
      const wait = next === null ? every : Math.min(every, Math.max(0, next - this.o.clock.now()));
      await sleep(Math.max(50, wait), signal);
    }
  }

  private async take(row: ScreenshotRow, signal?: AbortSignal): Promise<boolean> {
    const { screenshots, shooter, clock } = this.o;
    this.busy.add(row.id);
    try {
      const shot = await shooter.shoot({
        url: row.url,
        cookies: this.o.cookiesFor?.(row.platform, row.url) ?? [],
        ...this.o.pageFor?.(row.platform),
        ...(signal ? { signal } : {}),
      });
      const stored = screenshots.taken(row.id, {
        takenAt: clock.now(),
        png: shot.png,
        width: shot.width,
        height: shot.height,
        finalUrl: shot.finalUrl,
        httpStatus: shot.status,
        pageText: shot.text,
      });
      this.log.info(
        {
          target: `${row.platform}:${row.nativeId}`,
          reason: row.reason,
          sha256: stored.pngSha256,
          bytes: stored.bytes,
        },
        'screenshot taken',
      );
      return true;
    } catch (err) {
      if (signal?.aborted) return false;
      const attempts = row.attempts + 1;
      const max = this.o.maxAttempts ?? 8;
      const wait = Math.min(
        this.o.maxRetryAfter ?? 3_600_000,
        (this.o.retryAfter ?? 60_000) * 2 ** Math.max(0, attempts - 1),
      );
      const retryAt = attempts >= max ? null : clock.now() + wait;
      const message = (err as Error).message || String(err);
      try {
        screenshots.attemptFailed(row.id, message, retryAt);
      } catch (storeErr) {
        this.log.error({ err: storeErr }, 'screenshot failure not recorded');
      }
      this.log.warn(
        {
          err,
          target: `${row.platform}:${row.nativeId}`,
          url: row.url,
          attempts,
          retryAt: retryAt === null ? null : new Date(retryAt).toISOString(),
        },
        retryAt === null ? 'screenshot failed; given up' : 'screenshot failed; retried later',
      );
      return false;
    } finally {
      this.busy.delete(row.id);
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

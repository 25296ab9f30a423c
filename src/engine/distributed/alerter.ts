import type { Logger } from 'pino';
import type { DatabaseIdentity } from '../../store/identity';
import type { Consumer, Queues } from './queues';
import { startConsumer } from './queues';
import type { RedisHandle } from './redis';
import type { Role } from './shutdown';

/** What the alerter role drives: the alerts module's `Alerter` fits. */
export interface AlertPoller {
  /** Reads new events and sends what is due; resolves to the number of requests made. */
  poll(): Promise<number>;
}

/** Options of {@link AlerterRole}. */
export interface AlerterRoleOptions {
  readonly queues: Queues;
  /** Worker connection (`maxRetriesPerRequest: null`). */
  readonly connection: RedisHandle;
  readonly poller: AlertPoller;
  /**
   * The identity of the database the poller reads. With it the role claims the queue prefix at
   * start like the recorder (a prefix of another database refuses the start) and wakes only for
   * its own database's events.
   */
  readonly identity?: () => DatabaseIdentity | null;
  readonly logger: Logger;
  /** Longest wait between polls when no wake-up comes (retries, digests). @defaultValue 1000 */
  readonly pollInterval?: number;
}

/**
 * The alerter role: polls the alerts module, at once when the recorder announces new events on the
 * alert queue, else every `pollInterval` (for retries and digests). Polls never overlap.
 */
export class AlerterRole implements Role {
  readonly name = 'alerter';
  private consumer: Consumer | null = null;
  private stopped = false;
  private wake: (() => void) | null = null;
  private loop: Promise<void> | null = null;
  private readonly log: Logger;

  constructor(private readonly o: AlerterRoleOptions) {
    this.log = o.logger.child({ role: 'alerter' });
  }

  async start(): Promise<void> {
    const identity = this.o.identity?.() ?? null;
    if (identity) await this.o.queues.claim(identity, Date.now());
    this.consumer = startConsumer(
      'alert',
      this.o.connection,
      this.o.queues.prefix,
      this.log,
      async (_data, ctx) => {
        // Another database's wake-up says nothing about ours; polling on schedule is enough.
        if (!identity || ctx.database === identity.id) this.wake?.();
      },
      { concurrency: 1 },
    );
    this.loop = this.run();
    this.log.info('alerter ready');
  }

  private async run(): Promise<void> {
    const interval = this.o.pollInterval ?? 1000;
    while (!this.stopped) {
      try {
        await this.o.poller.poll();
      } catch (err) {
        this.log.error({ err }, 'alert poll failed');
      }
      if (this.stopped) break;
      await new Promise<void>((resolve) => {
        const t = setTimeout(done, interval);
        function done(): void {
          clearTimeout(t);
          resolve();
        }
        this.wake = done;
      });
      this.wake = null;
    }
  }

  async drain(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.consumer?.drain();
    await this.loop;
  }

  async force(reason: string): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.consumer?.force(reason);
  }
}

import type { Logger } from 'pino';
import type { Clock } from '../../domain/clock';
import type { Platform } from '../../domain/glossary';
import type { Store } from '../../store/store';
import type { Engine } from '../engine';
import type { RecordedEvent } from '../recorder';
import type { WorkResult } from '../work';
import type { Consumer, HostState, Queues, RecordMessage } from './queues';
import { startConsumer } from './queues';
import type { RedisHandle } from './redis';
import type { Role } from './shutdown';

/** Keys of results already applied: a redelivered result job changes nothing. */
const APPLIED_TABLE = `
CREATE TABLE IF NOT EXISTS distributed_applied (
  key TEXT PRIMARY KEY,
  at  INTEGER NOT NULL
) WITHOUT ROWID`;

/** Applied keys older than this are forgotten (a redelivery comes within minutes, not weeks). */
const APPLIED_KEEP_MS = 7 * 86_400_000;

/** Options of {@link RecorderRole}. */
export interface RecorderRoleOptions {
  readonly queues: Queues;
  /** Worker connection (`maxRetriesPerRequest: null`). */
  readonly connection: RedisHandle;
  /** The engine over the read-write store: the only writer of targets, observations and events. */
  readonly engine: Engine;
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  /** See {@link ConsumerOptions.lockDuration}. */
  readonly lockDuration?: number;
}

/**
 * The recorder role, the single SQLite writer: applies fetched results with `engine.record` and
 * writes the leases the scheduler asks for. Idempotent twice over: each result's key is stored with
 * it in one transaction (a redelivered job is skipped whole), and observations and events carry
 * their own dedupe keys.
 */
export class RecorderRole implements Role {
  readonly name = 'recorder';
  private consumer: Consumer | null = null;
  private readonly log: Logger;
  private published = new Map<string, string>();
  private pending: RecordedEvent[] = [];

  constructor(private readonly o: RecorderRoleOptions) {
    this.log = o.logger.child({ role: 'recorder' });
  }

  async start(): Promise<void> {
    const { store, clock } = this.o;
    store.exec(APPLIED_TABLE);
    store.run(`DELETE FROM distributed_applied WHERE at < ?`, clock.now() - APPLIED_KEEP_MS);
    this.consumer = startConsumer<RecordMessage>(
      'record',
      this.o.connection,
      this.o.queues.prefix,
      this.log,
      async (message) => {
        if (message.kind === 'lease') {
          this.o.engine.applyLeases(message.leases.keys, message.leases.until);
          return;
        }
        const events = this.apply(message.result);
        await this.afterRecord(events);
      },
      { concurrency: 1, lockDuration: this.o.lockDuration },
    );
    this.log.info('recorder ready');
  }

  /**
   * Applies one result unless its key was applied before. Returns the events it produced (none for
   * a repeat).
   */
  apply(result: WorkResult): RecordedEvent[] {
    const { store, engine, clock } = this.o;
    return store.transaction(() => {
      // Writing first takes the write lock at once; a read first could be invalidated by the
      // alerter's commits (SQLITE_BUSY without waiting).
      const fresh = store.run(
        `INSERT INTO distributed_applied (key, at) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`,
        result.item.key,
        clock.now(),
      ).changes;
      if (!fresh) return [];
      return engine.record(result);
    });
  }

  /** Whether a result key has been applied. */
  isApplied(key: string): boolean {
    return this.o.store.query(`SELECT 1 FROM distributed_applied WHERE key = ?`, key).length > 0;
  }

  /** Publishes changed platform health and wakes the alerter; Redis trouble here loses nothing. */
  private async afterRecord(events: readonly RecordedEvent[]): Promise<void> {
    const { queues, engine } = this.o;
    this.pending.push(...events);
    try {
      for (const [platform, s] of Object.entries(engine.health.snapshot())) {
        const state: HostState = { strikes: s.strikes, pausedUntil: s.pausedUntil, degraded: s.degraded };
        const json = JSON.stringify(state);
        if (this.published.get(platform) === json) continue;
        await queues.setHostState(platform as Platform, state);
        this.published.set(platform, json);
      }
      if (this.pending.length) {
        await queues.notifyAlerts(Math.max(...this.pending.map((e) => e.id)));
        this.pending = [];
      }
    } catch (err) {
      // The alerter polls SQLite anyway and the scheduler re-reads host state next tick.
      this.log.warn({ err }, 'could not publish host state or wake the alerter');
    }
  }

  async drain(): Promise<void> {
    await this.consumer?.drain();
  }

  async force(reason: string): Promise<void> {
    await this.consumer?.force(reason);
  }
}

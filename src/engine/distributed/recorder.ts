import type { Logger } from 'pino';
import type { Clock } from '../../domain/clock';
import { NonRetryableError } from '../../errors';
import { AppliedResults } from '../../store/applied';
import { databaseIdentity, type DatabaseIdentity } from '../../store/identity';
import { DatabaseOwner, DatabaseTakenOverError } from '../../store/owner';
import type { Store } from '../../store/store';
import type { RecordedEvent } from '../recorder';
import type { ResultRecorder } from '../result-recorder';
import type { Scheduler } from '../scheduler';
import type { WorkResult } from '../work';
import type { Consumer, Queues, RecordMessage } from './queues';
import { HandOverError, startConsumer } from './queues';
import type { RedisHandle } from './redis';
import type { Role } from './shutdown';

/** Applied keys older than this are forgotten (a redelivery comes within minutes, not weeks). */
const APPLIED_KEEP_MS = 7 * 86_400_000;

/** Options of {@link RecorderRole}. */
export interface RecorderRoleOptions {
  readonly queues: Queues;
  /** Worker connection (`maxRetriesPerRequest: null`). */
  readonly connection: RedisHandle;
  /**
   * The recorder over the read-write store: the only writer of targets, observations and events.
   * Its host health is published after each result.
   */
  readonly results: ResultRecorder;
  /** The scheduler over the same store, for the leases the scheduler role asks for. */
  readonly scheduler: Scheduler;
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  /** See {@link ConsumerOptions.lockDuration}. */
  readonly lockDuration?: number;
  /**
   * This process's row in `runs` (its database claim) and the database's path for messages: each
   * write first checks that the row still owns the database, so a recorder taken over writes
   * nothing more. Without it (tests of the role alone) writes are not checked.
   */
  readonly owner?: { readonly id: string; readonly database: string };
}

/**
 * The recorder role, the single SQLite writer: applies fetched results with the same
 * {@link ResultRecorder} as embedded mode and writes the leases the scheduler asks for. Idempotent
 * twice over: each result's key is stored with it in one transaction (a redelivered job is skipped
 * whole), and observations and events carry their own dedupe keys.
 *
 * It takes only messages of its own database: the queue prefix is claimed for it at start (a prefix
 * of another database refuses the start with {@link PrefixInUseError}), and a message that names
 * another database, or none, fails without touching SQLite.
 */
export class RecorderRole implements Role {
  readonly name = 'recorder';
  private consumer: Consumer | null = null;
  private readonly log: Logger;
  private pending: RecordedEvent[] = [];
  private readonly applied: AppliedResults;
  private identity: DatabaseIdentity | null = null;
  private readonly owners: DatabaseOwner;
  private readonly disownedBy = new AbortController();
  /**
   * Aborted, with a {@link DatabaseTakenOverError} as its reason, once another process took the
   * database over: the role has stopped writing, and the process stops and exits 1.
   */
  readonly disowned: AbortSignal = this.disownedBy.signal;
  /** The same signal, as every role's fatal one. */
  readonly fatal: AbortSignal = this.disowned;

  constructor(private readonly o: RecorderRoleOptions) {
    this.log = o.logger.child({ role: 'recorder' });
    this.applied = new AppliedResults(o.store);
    this.owners = new DatabaseOwner(o.store);
  }

  /** Marks the role taken over (the claim's heartbeat found it so): no write after this one. */
  disown(err: DatabaseTakenOverError): void {
    if (!this.disownedBy.signal.aborted) this.disownedBy.abort(err);
  }

  /**
   * Throws unless this process still owns the database; called inside each write transaction,
   * so a takeover between two results is seen before the second one writes. The job goes back to
   * its queue (retryable) for the process that owns the database now.
   */
  private assertOwner(): void {
    const self = this.o.owner;
    if (!self) return;
    if (!this.disowned.aborted) {
      const now = this.owners.current();
      if (now?.id === self.id) return;
      this.disown(new DatabaseTakenOverError(self.database, now));
    }
    throw new HandOverError('this recorder no longer owns the database; left for the one that does');
  }

  async start(): Promise<void> {
    const { store, clock, queues } = this.o;
    const identity = databaseIdentity(store);
    // A writable store has run every migration, the identity's included.
    if (!identity) throw new NonRetryableError(`database ${store.file} has no identity`);
    await queues.claim(identity, Date.now());
    this.identity = identity;
    this.applied.forgetBefore(clock.now() - APPLIED_KEEP_MS);
    this.consumer = startConsumer<RecordMessage>(
      'record',
      this.o.connection,
      queues.prefix,
      this.log,
      async (message, ctx) => {
        if (ctx.database !== identity.id)
          throw new NonRetryableError(
            ctx.database === null
              ? `job ${ctx.id} names no database (queued by an older version); its lease ends and it is enqueued again`
              : `job ${ctx.id} belongs to database ${ctx.database}, not to this one (${identity.id})`,
          );
        if (message.kind === 'lease') {
          const { keys, until, holds } = message.leases;
          store.transaction(() => {
            this.assertOwner();
            this.o.scheduler.applyLeases(keys, until);
            if (holds?.length) this.o.scheduler.applyHolds(holds);
          });
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
    const { store, results, clock } = this.o;
    return store.transaction(() => {
      // Writing first takes the write lock at once; a read first could be invalidated by the
      // alerter's commits (SQLITE_BUSY without waiting).
      if (!this.applied.markApplied(result.item.key, clock.now())) return [];
      // After the first write, so the check and the writes see the same owner.
      this.assertOwner();
      return results.apply(result);
    });
  }

  /** Whether a result key has been applied. */
  isApplied(key: string): boolean {
    return this.applied.isApplied(key);
  }

  /** Publishes changed platform health and wakes the alerter; Redis trouble here loses nothing. */
  private async afterRecord(events: readonly RecordedEvent[]): Promise<void> {
    const { queues, results } = this.o;
    this.pending.push(...events);
    try {
      await results.health.publish();
      if (this.pending.length) {
        if (this.identity)
          await queues.notifyAlerts(this.identity.id, Math.max(...this.pending.map((e) => e.id)));
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

/**
 * What a distributed role's factory is given. Kept apart from the composition in ../distributed.ts
 * so the role factories and the composition that calls them do not import each other.
 */
import type { Logger } from 'pino';
import type { Config } from '../../config/types';
import type { Clock } from '../../domain/clock';
import { LEASE_MS } from '../../engine/scheduler';
import type { Queues, RedisHandle } from '../../engine/distributed';
import type { Store } from '../../store/store';
import type { Platforms } from '../compose';

/** The four roles. */
export const ROLE_NAMES = ['scheduler', 'fetcher', 'recorder', 'alerter'] as const;
export type RoleName = (typeof ROLE_NAMES)[number];

/** Timing of a deployment, all in ms. */
export interface DistributedTiming {
  /** Between scheduler ticks. @defaultValue 1000 */
  readonly tickEvery: number;
  /** SQLite lease of an enqueued item; also bounds how long a dead fetcher's job stays locked. @defaultValue 10 min */
  readonly leaseMs: number;
  /** First-signal drain deadline before jobs in flight are aborted. @defaultValue 30 s */
  readonly drainTimeout: number;
}

/** Defaults of {@link DistributedTiming}. */
export const DEFAULT_TIMING: DistributedTiming = { tickEvery: 1000, leaseMs: LEASE_MS, drainTimeout: 30_000 };

/** What every role's factory gets: shared connections and lazily opened resources. */
export interface RoleContext {
  readonly config: Config;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly queues: Queues;
  /** Worker connection (`maxRetriesPerRequest: null`), shared by consumers and the shared politeness. */
  readonly connection: RedisHandle;
  /** Producer connection (fails fast while Redis is away), for the shared host health. */
  readonly producer: RedisHandle;
  readonly timing: DistributedTiming;
  /** A job's lock: a killed consumer's job is taken over after about this long. */
  readonly lockDuration: number;
  /** Checks in flight per fetcher process. */
  readonly concurrency: number;
  /** The read-write store, opened once per process (recorder and alerter share it). */
  writableStore(): Store;
  /**
   * Whether this process runs the recorder: the scheduler then reads the recorder's read-write
   * store instead of opening its own read-only one.
   */
  recorderRuns: boolean;
  /** Adapters and their HTTP client (politeness shared through Redis), built once per process. */
  platforms(): Platforms;
  /** Registers cleanup run after the roles stop, in reverse order. */
  onClose(fn: () => Promise<void> | void): void;
}

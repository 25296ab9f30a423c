/**
 * The evidence work that runs beside monitoring in the process that owns the database (embedded
 * `run`, the distributed recorder role): time-stamping the log's head every
 * `evidence.timestamp.every` and taking the screenshots `evidence.screenshots` asks for. Neither
 * can stop a check: each retries on its own and reports in status.
 */
import type { Logger } from 'pino';
import type { Config } from '../config/types';
import type { Clock } from '../domain/clock';
import type { Role } from '../engine/distributed';
import { timestamperFor } from '../evidence/timestamper';
import type { Store } from '../store/store';
import type { Platforms } from './compose';
import { screenshotServiceFor } from './screenshots';

/** Background evidence work: run until a signal, then close. */
export interface EvidenceWork {
  /** Runs until `signal` aborts; resolves, never rejects. */
  run(signal: AbortSignal): Promise<void>;
  /** Releases the browser. */
  close(): Promise<void>;
}

/** The evidence work a config asks for (possibly none). */
export function evidenceWorkFor(
  config: Config,
  store: Store,
  platforms: Pick<Platforms, 'weiboSession'>,
  clock: Clock,
  logger: Logger,
): EvidenceWork {
  const stamper = timestamperFor(config, store, logger, clock);
  const shots = screenshotServiceFor(config, store, platforms, clock, logger);
  return {
    run: async (signal) => {
      await Promise.all([stamper?.runUntil(signal), shots?.runUntil(signal)]);
    },
    close: async () => {
      await shots?.close();
    },
  };
}

/**
 * A role with evidence work beside it: the work starts after the role and stops before it drains
 * (or is forced), so the last results are recorded by a role whose store is still open.
 */
export function withEvidenceWork(role: Role, work: EvidenceWork): Role {
  const stop = new AbortController();
  let running: Promise<void> | null = null;
  const halt = async (): Promise<void> => {
    stop.abort();
    await running;
    await work.close();
  };
  return {
    name: role.name,
    ...(role.fatal ? { fatal: role.fatal } : {}),
    start: async () => {
      await role.start();
      running = work.run(stop.signal);
    },
    drain: async () => {
      await halt();
      await role.drain();
    },
    force: async (reason) => {
      await halt();
      await role.force(reason);
    },
  };
}

import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { RunRecord } from '../store/leases';

/** Who this process is, as a lease owner. */
export interface RunIdentity {
  readonly id: string;
  readonly pid: number;
  readonly hostname: string;
  readonly startedAt: number;
}

/**
 * A run on another host is taken for dead after this long without a heartbeat (its pid cannot be
 * asked about from here). Heartbeats come every {@link HEARTBEAT_MS}.
 */
export const STALE_AFTER_MS = 2 * 60_000;

/** How often a run records that it is alive. */
export const HEARTBEAT_MS = 20_000;

/** This process as a run that starts now: pid, host, and a random part (pids are reused). */
export function thisRun(now: number): RunIdentity {
  const host = hostname();
  return {
    id: `${host}:${process.pid}:${now}:${randomBytes(4).toString('hex')}`,
    pid: process.pid,
    hostname: host,
    startedAt: now,
  };
}

/** Whether a process with this pid exists on this machine (EPERM: it exists, but is not ours). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether a run that holds leases no longer runs, so its leases can be taken back: it ended; or it
 * ran on this host and its pid is gone, or is this very process (the pid was reused, as pid 1 is
 * in every container); or it has not been heard from for {@link STALE_AFTER_MS} (on another host
 * its pid cannot be asked about; on this one the pid may belong to another process by now).
 */
export function runIsGone(
  holder: RunRecord,
  self: RunIdentity,
  now: number,
  exists: (pid: number) => boolean = processExists,
): boolean {
  if (holder.id === self.id) return false;
  if (holder.endedAt !== null) return true;
  const stale = now - holder.seenAt > STALE_AFTER_MS;
  // A live pid with a stale heartbeat is another process that was given the dead run's pid.
  if (holder.hostname === self.hostname) return holder.pid === self.pid || !exists(holder.pid) || stale;
  return stale;
}

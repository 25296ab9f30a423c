import type { DeadJob, HostState, QueueCounts, QueueName, Queues } from './queues';

/** What `status` shows of a distributed deployment. */
export interface QueueStatus {
  readonly redis: string;
  readonly prefix: string;
  /** False when Redis did not answer; the other fields are then empty. */
  readonly reachable: boolean;
  readonly error: string | null;
  readonly queues: Partial<Record<QueueName, QueueCounts>>;
  readonly dead: readonly DeadJob[];
  readonly hosts: Readonly<Record<string, HostState>>;
}

/** Gathers queue depths, dead letters and per-host backoff from Redis. */
export async function gatherQueueStatus(queues: Queues, redisUrl: string): Promise<QueueStatus> {
  const [counts, dead, hosts] = await Promise.all([
    queues.counts(),
    queues.deadJobs(10),
    queues.hostStates(),
  ]);
  return {
    redis: redisUrl,
    prefix: queues.prefix,
    reachable: true,
    error: null,
    queues: counts,
    dead,
    hosts,
  };
}

/** The status of a deployment whose Redis could not be reached. */
export function unreachableStatus(redisUrl: string, prefix: string, error: string): QueueStatus {
  return { redis: redisUrl, prefix, reachable: false, error, queues: {}, dead: [], hosts: {} };
}

/** Renders the queue part of `status` for a terminal. */
export function renderQueueStatus(s: QueueStatus, now: number): string {
  const lines = [`queues (redis ${s.redis}, prefix ${s.prefix}):`];
  if (!s.reachable) {
    lines.push(`  unreachable: ${s.error ?? 'no answer'}`);
    return lines.join('\n') + '\n';
  }
  for (const [name, c] of Object.entries(s.queues)) {
    lines.push(
      `  ${name.padEnd(8)} waiting ${c.waiting}, active ${c.active}, delayed ${c.delayed}, done ${c.completed}, dead ${c.failed}`,
    );
  }
  for (const [platform, h] of Object.entries(s.hosts)) {
    const paused = h.pausedUntil > now ? `paused until ${new Date(h.pausedUntil).toISOString()}` : 'ok';
    lines.push(`  host ${platform}: ${paused}, ${h.strikes} strikes${h.degraded ? ', DEGRADED' : ''}`);
  }
  if (s.dead.length) {
    lines.push('  dead letters (newest first):');
    for (const d of s.dead) {
      lines.push(`    ${d.queue} ${d.id} after ${d.attempts} attempts: ${d.reason}`);
    }
  }
  return lines.join('\n') + '\n';
}

import type { Outcome, Platform } from '../../domain/glossary';
import type { HealthChange, HostHealth, HostState, LocalHostHealth } from '../host-health';
import { OWN_KEYS, prefixKey } from './prefix';
import type { RedisHandle } from './redis';

/** Backoff states by platform as last published under `prefix` (empty when none was). */
export async function readHostStates(
  redis: RedisHandle,
  prefix: string,
): Promise<Partial<Record<Platform, HostState>>> {
  const raw = await redis.client.hgetall(prefixKey(prefix, OWN_KEYS.hosts));
  const out: Partial<Record<Platform, HostState>> = {};
  for (const [k, v] of Object.entries(raw)) out[k as Platform] = JSON.parse(v) as HostState;
  return out;
}

/** Publishes one platform's backoff state under `prefix`. */
export async function writeHostState(
  redis: RedisHandle,
  prefix: string,
  platform: Platform,
  state: HostState,
): Promise<void> {
  await redis.client.hset(prefixKey(prefix, OWN_KEYS.hosts), platform, JSON.stringify(state));
}

/**
 * Host health shared through Redis: the recorder role decides it with the same rules as embedded
 * mode (the {@link LocalHostHealth} it is given) and publishes each change; the scheduler role
 * refreshes it before a tick and holds back the platforms that are paused. `status` reads the same
 * hash. Use a producer connection: a publish or refresh while Redis is away fails at once and is
 * tried again after the next result or tick.
 */
export class RedisHostHealth implements HostHealth {
  private readonly published = new Map<string, string>();
  private shared: Partial<Record<Platform, HostState>> = {};

  constructor(
    private readonly redis: RedisHandle,
    private readonly prefix: string,
    private readonly rules: LocalHostHealth,
  ) {}

  pausedUntil(p: Platform): number {
    return Math.max(this.rules.pausedUntil(p), this.shared[p]?.pausedUntil ?? 0);
  }

  isDegraded(p: Platform): boolean {
    return this.rules.isDegraded(p) || (this.shared[p]?.degraded ?? false);
  }

  retryDelay(p: Platform): number {
    return this.rules.retryDelay(p);
  }

  note(p: Platform, outcome: Outcome, at: number): HealthChange {
    return this.rules.note(p, outcome, at);
  }

  snapshot(): Record<string, HostState> {
    return { ...this.shared, ...this.rules.snapshot() };
  }

  /** Writes the platforms whose state changed since the last publish. */
  async publish(): Promise<void> {
    for (const [platform, s] of Object.entries(this.rules.snapshot())) {
      const state: HostState = { strikes: s.strikes, pausedUntil: s.pausedUntil, degraded: s.degraded };
      const json = JSON.stringify(state);
      if (this.published.get(platform) === json) continue;
      await writeHostState(this.redis, this.prefix, platform as Platform, state);
      this.published.set(platform, json);
    }
  }

  /** Reads what the recorder published. */
  async refresh(): Promise<void> {
    this.shared = await readHostStates(this.redis, this.prefix);
  }
}

import type { Logger } from 'pino';

/** A running role of a distributed deployment. */
export interface Role {
  readonly name: string;
  start(): Promise<void>;
  /** Stops taking work and waits for the work running. */
  drain(): Promise<void>;
  /** Aborts the work running (its AbortSignals fire: requests and pages close) and stops. */
  force(reason: string): Promise<void>;
  /**
   * Aborted, with the error as its reason, when the role found it cannot go on (its queue prefix
   * taken by another database): every role is then stopped and the error ends the process.
   */
  readonly fatal?: AbortSignal;
}

/** The two stages of a shutdown as signals: the first asks to drain, the second to force. */
export interface ShutdownSignals {
  readonly drain: AbortSignal;
  readonly force: AbortSignal;
}

/** How a role set ended. */
export type StopOutcome = 'drained' | 'forced';

/**
 * Waits for the drain signal (or a role's fatal signal), then drains the roles in order (producers
 * first, so the recorder still takes the last results), within `deadlineMs`. When the deadline
 * passes or the force signal fires first, the roles still running are forced.
 *
 * @throws the fatal error of a role that stopped the run, once every role has stopped
 */
export async function superviseRoles(
  roles: readonly Role[],
  signals: ShutdownSignals,
  deadlineMs: number,
  logger: Logger,
): Promise<StopOutcome> {
  const fatal = roles.flatMap((r) => (r.fatal ? [r.fatal] : []));
  await untilAborted(AbortSignal.any([signals.drain, ...fatal]));
  const failed = fatal.find((f) => f.aborted);
  logger.info({ deadlineMs }, 'draining: finishing jobs in flight (signal again to force)');
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), deadlineMs);
  const forced = AbortSignal.any([deadline.signal, signals.force]);
  try {
    const drained = (async () => {
      for (const role of roles) {
        await role.drain();
        logger.debug({ role: role.name }, 'role drained');
      }
    })();
    const outcome = await Promise.race([
      drained.then(() => 'drained' as const),
      untilAborted(forced).then(() => 'forced' as const),
    ]);
    if (outcome === 'forced') {
      logger.warn({ byDeadline: deadline.signal.aborted }, 'forcing stop: aborting jobs in flight');
      await Promise.all(roles.map((r) => r.force('shutdown').catch(() => undefined)));
      // The drain promises settle once their workers are closed by force.
      await drained.catch(() => undefined);
    }
    if (failed) throw failed.reason;
    return outcome;
  } finally {
    clearTimeout(timer);
  }
}

function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

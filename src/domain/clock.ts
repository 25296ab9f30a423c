/** Time source, injected everywhere so tests and the demo can run on a simulated clock. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/**
 * A clock that moves only when told to. The demo and tests advance it as the engine runs out of
 * due work, so a simulated week takes seconds.
 */
export class ManualClock implements Clock {
  private t: number;
  constructor(start: number) {
    this.t = start;
  }
  now(): number {
    return this.t;
  }
  /** Moves the clock forward (never backward). */
  advanceTo(t: number): void {
    if (t > this.t) this.t = t;
  }
  advanceBy(ms: number): void {
    this.t += Math.max(0, ms);
  }
}

export function isoUtc(ms: number | null | undefined): string | null {
  return ms == null ? null : new Date(ms).toISOString();
}

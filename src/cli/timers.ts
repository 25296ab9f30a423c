import { LIMITS } from '../config/fields';

/**
 * Calls `fn` once `ms` have passed, in steps a timer can wait: Node's timers overflow past
 * 2^31 - 1 ms (about 24.8 days) and would fire at once. Returns what cancels it.
 */
export function afterLong(ms: number, fn: () => void): () => void {
  let timer: NodeJS.Timeout | null = null;
  const arm = (left: number): void => {
    const step = Math.min(left, LIMITS.timerMs);
    timer = setTimeout(() => (left > step ? arm(left - step) : fn()), step);
  };
  arm(ms);
  return () => {
    if (timer) clearTimeout(timer);
  };
}

import { createRng } from '../../../src/sim/world';

/** A small seeded PRNG (mulberry32), so every fuzz case replays from its seed. */
export interface FuzzRng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [0, n). */
  below(n: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

/** A PRNG from a 32-bit seed: the simulator's mulberry32, so a fuzz seed replays the same cases. */
export function fuzzRng(seed: number): FuzzRng {
  const rng = createRng(seed);
  return {
    next: rng.next,
    below: (n) => rng.int(0, n - 1),
    chance: rng.chance,
    pick: rng.pick,
  };
}

/** The seed of case `i` of a run seeded `seed`: each case replays on its own. */
export function caseSeed(seed: number, i: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ i, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** A fuzz run's setting from the environment (seed, case, count), or undefined when unset. */
export function envInt(name: string): number | undefined {
  const v = process.env[name];
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got ${v}`);
  return n;
}

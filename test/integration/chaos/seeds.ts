/**
 * Seeds of the chaos tests. Each test runs its fixed seeds; `CENSORWATCH_CHAOS_SEED` replaces them
 * with one, so a failure printed with its seed replays exactly.
 */
import type { GroundTruthRow } from '../../../src/sim';
import type { Store } from '../../../src/store/store';

/** The seeds a chaos test runs: `fixed`, or the one in `CENSORWATCH_CHAOS_SEED`. */
export function chaosSeeds(fixed: readonly number[]): number[] {
  const env = process.env.CENSORWATCH_CHAOS_SEED;
  return env !== undefined && env !== '' ? [Number(env)] : [...fixed];
}

/**
 * Runs `fn` and, when it fails, fails again with the seed and the command that replays it in
 * the message, so the seed is printed next to the assertion that broke.
 */
export async function withSeed<T>(test: string, seed: number, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new Error(
      `${test} failed with seed ${seed} (replay: CENSORWATCH_CHAOS_SEED=${seed} npx jest test/integration/chaos):\n${message}`,
      { cause: err },
    );
  }
}

/**
 * Deletions the crawler reported that did not happen, one line each: a `post.gone` event for a post
 * the simulator says was alive when the event was recorded (or never served), a `post.restored`
 * (the simulator never restores a post, so one means an earlier gone was false), and a post whose
 * current verdict is gone while the ground truth has it alive.
 */
export function falseGone(store: Store, truth: readonly GroundTruthRow[]): string[] {
  const byId = new Map(truth.map((r) => [`${r.platform}:${r.id}`, r]));
  const out: string[] = [];
  for (const e of store.listEvents()) {
    if (e.kind !== 'post') continue;
    const key = `${e.platform}:${e.nativeId ?? '-'}`;
    const row = byId.get(key);
    if (e.type === 'post.restored') out.push(`${key}: post.restored at ${iso(e.at)}`);
    if (e.type !== 'post.gone') continue;
    if (!row) out.push(`${key}: post.gone at ${iso(e.at)} for a post the simulator has no truth for`);
    else if (row.goneAt === null || row.goneAt > e.at)
      out.push(
        `${key}: post.gone at ${iso(e.at)}, but deleted ${row.goneAt === null ? 'never' : iso(row.goneAt)}`,
      );
  }
  for (const t of store.listTargets()) {
    if (t.kind !== 'post' || t.state.verdict !== 'gone') continue;
    const row = byId.get(`${t.platform}:${t.id}`);
    if (row?.verdict === 'alive') out.push(`${t.platform}:${t.id}: verdict gone, alive in the ground truth`);
  }
  return out;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

import type { GroundTruthRow } from '../../../src/sim';
import type { Store } from '../../../src/store/store';

/**
 * Every gone target whose deletion window (last alive observation, first gone observation] does
 * not hold the ground-truth deletion time, one line each; empty when all windows are right. A
 * target first seen already gone (a repost's placeholder) has no lower bound.
 */
export function windowViolations(store: Store, truth: readonly GroundTruthRow[]): string[] {
  const byId = new Map(truth.map((r) => [`${r.platform}:${r.id}`, r]));
  const out: string[] = [];
  let checked = 0;
  for (const t of store.listTargets()) {
    if (t.kind !== 'post' || t.state.verdict !== 'gone') continue;
    const row = byId.get(`${t.platform}:${t.id}`);
    if (!row || row.goneAt === null) continue;
    checked++;
    const { lastAliveAt, goneAt } = t.state;
    const inside =
      (lastAliveAt === null || lastAliveAt < row.goneAt) && goneAt !== null && row.goneAt <= goneAt;
    if (!inside)
      out.push(
        `${t.platform}:${t.id} deleted at ${iso(row.goneAt)}, window (${iso(lastAliveAt)}, ${iso(goneAt)}]`,
      );
  }
  if (checked === 0) out.push('no gone target with a ground-truth deletion time to check');
  return out;
}

function iso(ms: number | null): string {
  return ms === null ? '-' : new Date(ms).toISOString();
}

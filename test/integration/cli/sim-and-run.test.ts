import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { compareWithTruth } from '../../../src/cli/demo';
import type { GroundTruthRow } from '../../../src/sim';
import { MIGRATIONS } from '../../../src/store/schema';
import { Store } from '../../../src/store/store';
import { tempDir } from '../../helpers/temp';
import { cli, cliBackground, cliRunning, waitUntil } from './helpers';
import { rawSql } from '../../helpers/sql';
import { guardAgainstLeaks } from '../../helpers/leak-guard';

guardAgainstLeaks();

/** Far past the quick scenario's last change: the truth once every fate has happened. */
const END_OF_STORY = 8.64e15;

/** Mismatches between the run's database and the truth now, or why it cannot be read yet. */
function mismatches(database: string, truth: readonly GroundTruthRow[]): string[] {
  let store: Store;
  try {
    store = Store.open(database, { readonly: true });
  } catch (err) {
    return [`database not readable yet: ${(err as Error).message}`];
  }
  try {
    // The run creates its file first and its tables a moment later, one migration at a time.
    const version = rawSql(store).query<{ user_version: number }>('PRAGMA user_version')[0]!.user_version;
    if (version < MIGRATIONS.length) return [`database schema not complete yet (version ${version})`];
    return [...compareWithTruth(store, truth).mismatches];
  } finally {
    store.close();
  }
}

/** The simulator's truth as of now, or as of `at`. */
async function truthAt(base: string, at?: number): Promise<GroundTruthRow[]> {
  const res = await request(`${base}/__sim/truth${at === undefined ? '' : `?at=${at}`}`);
  return (await res.body.json()) as GroundTruthRow[];
}

/**
 * What the README promises: `censorwatch sim` in one process, `censorwatch run` against it in
 * another, on the real clock, then `export` rows whose verdicts and causes match the simulator.
 * The simulator holds each change until its crawler has seen the version before (`--hold`) and the
 * run goes on until its database agrees with a story that has played out: however slow the start
 * of either process, no deletion passes unseen and no confirmation is cut off by a fixed duration.
 */
describe('sim and run as separate processes on the real clock', () => {
  it('discovers, re-checks and exports rows that match the ground truth', async () => {
    const sim = await cliBackground(
      ['sim', '--port', '0', '--scenario', 'quick', '--hold'],
      /at (http:\/\/127\.0\.0\.1:\d+)/,
    );
    try {
      const base = sim.match[1]!;
      const dir = tempDir('censorwatch-run-');
      const db = join(dir, 'run.db');
      const res = await request(`${base}/__sim/config?db=${encodeURIComponent(db)}`);
      const yaml = await res.body.text();
      expect(res.statusCode).toBe(200);
      const config = join(dir, 'sim.yaml');
      writeFileSync(config, yaml);

      const run = cliRunning(['run', '--config', config]);
      let last: string[] = [];
      // A cap for a loaded machine, not a wait: the loop ends once the run agrees with the whole story.
      await waitUntil(
        'the run to agree with the played-out scenario',
        async () => {
          if (run.child.exitCode !== null) return true;
          const [now, end] = await Promise.all([truthAt(base), truthAt(base, END_OF_STORY)]);
          const over = JSON.stringify(now) === JSON.stringify(end);
          last = over ? mismatches(db, now) : ['the scenario is still playing'];
          return now.length >= 10 && last.length === 0;
        },
        240_000,
        () => last.join('; '),
      );
      const ran = await run.stop('SIGINT');
      expect(ran.stderr).not.toMatch(/"level":50/);
      expect(ran.code).toBe(0);

      const truth = await truthAt(base);
      expect(truth.length).toBeGreaterThanOrEqual(10);

      const exported = await cli(['export', '--config', config, '--format', 'jsonl']);
      expect(exported.code).toBe(0);
      const rows = exported.stdout
        .trim()
        .split('\n')
        .map(
          (l) =>
            JSON.parse(l) as {
              platform: string;
              kind: string;
              id: string;
              verdict: string;
              cause: string | null;
              watches: string[];
            },
        );
      // The truth is about posts; comment threads share their post's id.
      const byId = new Map(rows.filter((r) => r.kind === 'post').map((r) => [`${r.platform}:${r.id}`, r]));
      const wrong: string[] = [];
      for (const t of truth) {
        const r = byId.get(`${t.platform}:${t.id}`);
        const want = t.verdict === 'gone' ? `gone/${t.cause}` : t.verdict;
        const got = r ? (r.verdict === 'gone' ? `gone/${r.cause}` : r.verdict) : 'missing';
        if (want !== got) wrong.push(`${t.id}: want ${want}, got ${got}`);
      }
      expect(wrong).toEqual([]);
      expect(truth.some((t) => t.verdict === 'gone')).toBe(true);
      expect(rows.every((r) => r.watches.length > 0)).toBe(true);
    } finally {
      await sim.stop();
    }
  }, 300_000);
});

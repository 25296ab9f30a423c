import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { tempDir } from '../../helpers/temp';
import { cli, cliBackground } from './helpers';
import { guardAgainstLeaks } from '../../helpers/leak-guard';

guardAgainstLeaks();

interface TruthRow {
  platform: string;
  id: string;
  verdict: string;
  cause: string | null;
}

/**
 * What the README promises: `censorwatch sim` in one process, `censorwatch run` against it in
 * another, on the real clock, then `export` rows whose verdicts and causes match the simulator.
 */
describe('sim and run as separate processes on the real clock', () => {
  it('discovers, re-checks and exports rows that match the ground truth', async () => {
    const sim = await cliBackground(
      ['sim', '--port', '0', '--scenario', 'quick'],
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

      const run = await cli(['run', '--config', config, '--duration', '25s'], { timeoutMs: 90_000 });
      expect(run.stderr).not.toMatch(/"level":50/);
      expect(run.code).toBe(0);

      const truthRes = await request(`${base}/__sim/truth`);
      const truth = (await truthRes.body.json()) as TruthRow[];
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
      const mismatches: string[] = [];
      for (const t of truth) {
        const r = byId.get(`${t.platform}:${t.id}`);
        const want = t.verdict === 'gone' ? `gone/${t.cause}` : t.verdict;
        const got = r ? (r.verdict === 'gone' ? `gone/${r.cause}` : r.verdict) : 'missing';
        if (want !== got) mismatches.push(`${t.id}: want ${want}, got ${got}`);
      }
      expect(mismatches).toEqual([]);
      expect(truth.some((t) => t.verdict === 'gone')).toBe(true);
      expect(rows.every((r) => r.watches.length > 0)).toBe(true);
    } finally {
      await sim.stop();
    }
  }, 120_000);
});

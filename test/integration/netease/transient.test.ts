import { compareWithTruth } from '../../../src/cli/demo';
import { SECOND, observations, startPipeline } from './helpers';

describe('NetEase transient failures', () => {
  it('error_isp redirects, 5xx and resets never make a target gone, even after its removal', async () => {
    // Phase 1 (no faults): every article is seen alive. Phase 2 (every request faulted): the
    // removals happen, but the crawler only ever gets transient answers.
    const p = await startPipeline();
    try {
      await p.runUntil(3.5 * SECOND);
      const all = p.scenario.netease.articles;
      for (const a of all) expect(p.target(a.docid).state.verdict).toBe('alive');
      const seen = new Map(all.map((a) => [a.docid, observations(p, a.docid).length]));

      await p.restartSim(1);
      await p.runUntil(20 * SECOND);

      const later = all.flatMap((a) => observations(p, a.docid).slice(seen.get(a.docid)));
      expect(later.length).toBeGreaterThan(all.length * 3);
      expect(new Set(later.map((o) => o.outcome))).toEqual(new Set(['server_error', 'network_error']));
      expect(later.some((o) => /error_isp/.test(o.message ?? ''))).toBe(true);
      // The CDN's Location is plain http, as captured.
      expect(later.some((o) => o.final_url === 'http://www.163.com/special/0077jt/error_isp.html')).toBe(
        true,
      );
      expect(new Set(later.filter((o) => o.http_status >= 500).map((o) => o.http_status))).toEqual(
        new Set([502, 503, 504]),
      );
      for (const a of all) {
        const t = p.target(a.docid);
        expect({ id: a.docid, verdict: t.state.verdict }).toEqual({ id: a.docid, verdict: 'alive' });
      }
      expect(p.store.listEvents().filter((e) => e.platform === 'netease' && e.type === 'post.gone')).toEqual(
        [],
      );
      const stats = p.sim.stats();
      expect(stats['netease.article']?.faults).toBe(stats['netease.article']?.requests);
      expect(stats['netease.article']?.faultKinds.error_isp).toBeGreaterThan(0);
      expect(stats['netease.article']?.faultKinds.reset).toBeGreaterThan(0);
    } finally {
      await p.close();
    }
  });

  it.each([1, 2, 3])(
    'with 30%% of requests faulted (seed %i): no false gone, alive stays alive, verdicts match the truth',
    async (seed) => {
      const p = await startPipeline({ faultRate: 0.3, faultSeed: seed });
      try {
        await p.runUntil(45 * SECOND);
        const stats = p.sim.stats();
        const faults = Object.entries(stats)
          .filter(([k]) => k.startsWith('netease.'))
          .reduce((n, [, s]) => n + s.faults, 0);
        expect(faults).toBeGreaterThan(20);

        const truth = p.truth();
        expect(truth.map((r) => r.id).sort()).toEqual(p.scenario.netease.articles.map((a) => a.docid).sort());
        const falseGone = truth.filter(
          (r) => r.verdict === 'alive' && p.target(r.id).state.verdict !== 'alive',
        );
        expect(falseGone).toEqual([]);
        // No alive article ever passed through a gone verdict on the way.
        const goneIds = new Set(
          p.store
            .listEvents()
            .filter((e) => e.type === 'post.gone' && e.platform === 'netease')
            .map((e) => e.nativeId),
        );
        expect(truth.filter((r) => r.verdict === 'alive' && goneIds.has(r.id))).toEqual([]);
        const cmp = compareWithTruth(p.store, truth);
        expect(cmp.mismatches).toEqual([]);
        expect(cmp.truth.gone_unspecified).toBe(6);
      } finally {
        await p.close();
      }
    },
  );
});

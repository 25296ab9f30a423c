import {
  buildScenario,
  checkScenario,
  QUICK_KEYWORDS,
  SCENARIO_NAMES,
  UN_VOTE_BASELINE_KEYWORD,
  UN_VOTE_KEYWORDS,
} from '../../../src/sim';
import type { Scenario, SimPost } from '../../../src/sim';
import { HOUR } from './helpers';

const DAY = 24 * HOUR;
const START = Date.UTC(2023, 3, 26, 16);

function removedCount(s: Scenario, pred: (p: SimPost) => boolean): number {
  return s.weibo.posts.filter((p) => pred(p) && p.fate?.cause === 'removed_by_platform').length;
}

describe('scenarios', () => {
  it('lists its names and rejects unknown ones', () => {
    expect([...SCENARIO_NAMES]).toEqual(['un-vote', 'quick', 'quick-odd']);
    expect(() => buildScenario('nope')).toThrow(/un-vote, quick, quick-odd/);
  });

  it('is deterministic per seed and differs between seeds', () => {
    const a = buildScenario('un-vote', { start: START, seed: 5 });
    const b = buildScenario('un-vote', { start: START, seed: 5 });
    const c = buildScenario('un-vote', { start: START, seed: 6 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(c));
    expect(JSON.stringify(buildScenario('quick', { start: START, seed: 5 }))).toBe(
      JSON.stringify(buildScenario('quick', { start: START, seed: 5 })),
    );
  });

  describe.each([1, 2, 3, 2023])('un-vote with seed %i', (seed) => {
    const s = buildScenario('un-vote', { start: START, seed });
    const posts = s.weibo.posts;
    const topic = (p: SimPost): boolean =>
      p.keywords.some((k) => (UN_VOTE_KEYWORDS as readonly string[]).includes(k));

    it('is consistent', () => {
      expect(checkScenario(s)).toEqual([]);
    });

    it('has ~150 posts by ~30 accounts over the first 4 days, fates within 2 days', () => {
      expect(posts.length).toBeGreaterThanOrEqual(140);
      expect(posts.length).toBeLessThanOrEqual(175);
      expect(s.weibo.accounts).toHaveLength(30);
      expect(new Set(posts.map((p) => p.uid)).size).toBeGreaterThanOrEqual(20);
      for (const p of posts) {
        expect(p.createdAt).toBeGreaterThanOrEqual(START);
        expect(p.createdAt).toBeLessThanOrEqual(START + 4 * DAY + HOUR);
        if (p.fate) expect(p.fate.at - p.createdAt).toBeLessThanOrEqual(2 * DAY);
      }
      expect(s.duration).toBe(7 * DAY);
    });

    it('removes far more topic posts than baseline posts', () => {
      const t = removedCount(s, topic);
      const b = removedCount(s, (p) => p.keywords.includes(UN_VOTE_BASELINE_KEYWORD));
      expect(t).toBeGreaterThanOrEqual(5 * Math.max(1, b));
      for (const cause of ['deleted_by_author', 'restricted', 'gone_unspecified'] as const) {
        expect(posts.some((p) => p.fate?.cause === cause)).toBe(true);
      }
    });

    it('bans exactly one account, whose posts predate the ban', () => {
      const banned = s.weibo.accounts.filter((a) => a.banAt !== undefined);
      expect(banned).toHaveLength(1);
      const own = posts.filter((p) => p.uid === banned[0]!.uid);
      expect(own.length).toBeGreaterThan(0);
      expect(own.every((p) => p.createdAt < banned[0]!.banAt!)).toBe(true);
    });

    it('edits posts at most once, ≥ 1 h after creation and ≥ 1 h before the fate', () => {
      const edited = posts.filter((p) => p.edits !== undefined);
      expect(edited.length).toBeGreaterThanOrEqual(5);
      for (const p of edited) {
        expect(p.edits).toHaveLength(1);
        const e = p.edits![0]!;
        expect(e.at - p.createdAt).toBeGreaterThanOrEqual(HOUR);
        if (p.fate) expect(p.fate.at - e.at).toBeGreaterThanOrEqual(HOUR);
        expect(e.text).not.toBe(p.text);
      }
    });

    it('reposts ambiguous removals before they go, so only the repost can tell the cause', () => {
      const byMid = new Map(posts.map((p) => [p.mid, p]));
      const reposted = posts
        .filter((p) => p.repostOf !== undefined)
        .map((p) => [p, byMid.get(p.repostOf!)!] as const);
      const ambiguousRemoved = reposted.filter(
        ([, o]) => o.fate?.cause === 'removed_by_platform' && o.fate.reveal === 'ambiguous',
      );
      expect(ambiguousRemoved.length).toBeGreaterThanOrEqual(3);
      for (const [r, o] of ambiguousRemoved) {
        expect(r.createdAt).toBeLessThan(o.fate!.at);
        expect(r.fate).toBeUndefined();
        expect(r.keywords.length).toBeGreaterThan(0);
      }
    });

    it('has a few long texts and blocks one keyword from day 2', () => {
      const long = posts.filter((p) => p.isLongText);
      expect(long.length).toBeGreaterThanOrEqual(3);
      for (const p of long) expect(Array.from(p.longText!).length).toBeGreaterThan(140);
      expect(s.weibo.searchBlocks).toEqual([{ keyword: '中国 投票 赞成 入侵乌克兰', from: START + 2 * DAY }]);
    });
  });

  it('quick: ~20 posts within 3 s, fates and edits 4–12 s after start', () => {
    const s = buildScenario('quick', { start: START, seed: 9 });
    expect(checkScenario(s)).toEqual([]);
    const posts = s.weibo.posts;
    expect(posts).toHaveLength(20);
    expect(posts.every((p) => p.createdAt - START <= 3000)).toBe(true);
    const times = [
      ...posts.flatMap((p) => (p.fate ? [p.fate.at] : [])),
      ...posts.flatMap((p) => (p.edits ?? []).map((e) => e.at)),
    ];
    expect(times.length).toBeGreaterThan(8);
    expect(times.every((t) => t - START >= 4000 && t - START <= 12000)).toBe(true);
    expect(new Set(posts.flatMap((p) => p.keywords))).toEqual(
      new Set([QUICK_KEYWORDS.topic, QUICK_KEYWORDS.baseline]),
    );
    expect(s.watches.map((w) => w.id)).toEqual(['quick-topic', 'quick-baseline']);
  });
});

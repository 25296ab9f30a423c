/**
 * The world `demo --config` builds from a config (src/sim/custom): posts for every keyword, account
 * and explicit post or article on both platforms, fates in the research's proportions, the same
 * world for the same seed. Pure data, checked here without serving it; demo-config.test.ts serves it.
 */
import { parseConfig } from '../../../src/config';
import { checkScenario, type Scenario } from '../../../src/sim';
import { buildCustomWorld, listSize, midTime } from '../../../src/sim/custom';

const DAY = 86_400_000;
const START = Date.UTC(2026, 10, 20, 8, 0, 0);
const MID = '4895123456789012';
const DOCID = 'JQ3PK0VB0001899O';
const DY_ARTICLE = 'https://www.163.com/dy/article/HVB2I5E805346RBY.html';

const config = parseConfig(
  {
    database: '/nonexistent/never-opened.db',
    watches: [
      {
        id: 'topic',
        name: 'A topic',
        weibo: {
          keywords: ['甲 乙 丙', 'never-seen keyword'],
          accounts: ['2345678901', 'https://weibo.com/u/3456789012', '一个昵称'],
          posts: [`https://m.weibo.cn/detail/${MID}`],
          comments: true,
        },
        netease: {
          keywords: ['网易 关键词'],
          accounts: ['张佳栋看世界', 'T1111111111111', 'W1234567890123456789', DY_ARTICLE],
          articles: [`https://www.163.com/news/article/${DOCID}.html`],
        },
      },
      { id: 'control-watch', name: 'Everyday', weibo: { keywords: ['天气 今天'] } },
    ],
  },
  '<test>',
  {},
);

function world(seed = 7, days = 7): { scenario: Scenario; notes: readonly string[] } {
  return buildCustomWorld(config, { start: START, duration: days * DAY, seed });
}

describe('a world built from a config', () => {
  const { scenario: s, notes } = world();
  const posts = s.weibo.posts;
  const accountOf = new Map(s.weibo.accounts.map((a) => [a.uid, a]));
  const goneCause = (p: (typeof posts)[number]): string | null => {
    const a = accountOf.get(p.uid)!;
    const end = Math.min(a.banAt ?? Infinity, a.closeAt ?? Infinity);
    if (end < (p.fate?.at ?? Infinity)) return 'account_gone';
    return p.fate?.cause ?? null;
  };

  it('is a consistent scenario', () => {
    expect(checkScenario(s)).toEqual([]);
  });

  it('has posts for every Weibo keyword, account and explicit post', () => {
    for (const k of ['甲 乙 丙', 'never-seen keyword', '天气 今天'])
      expect([k, posts.filter((p) => p.keywords.includes(k) && !p.repostOf).length]).toEqual([
        k,
        listSize('keyword', 7),
      ]);
    for (const uid of ['2345678901', '3456789012'])
      expect([uid, posts.filter((p) => p.uid === uid).length]).toEqual([uid, listSize('account', 7)]);
    const explicit = posts.find((p) => p.mid === MID);
    expect(explicit?.createdAt).toBe(midTime(MID));
    // Each list starts with posts from before the run, so the first search or timeline finds some.
    expect(posts.filter((p) => p.keywords.includes('甲 乙 丙') && p.createdAt < START).length).toBe(2);
  });

  it('says what it could not give posts to, with the config path', () => {
    expect(notes).toEqual([expect.stringMatching(/^watches\[0\]\.weibo\.accounts: "一个昵称" is not a uid/)]);
  });

  it('has a 网易号 for every way an account can be given, and the explicit article', () => {
    const n = s.netease;
    const byName = n.accounts.find((a) => a.name === '张佳栋看世界');
    const byTid = n.accounts.find((a) => a.tid === 'T1111111111111');
    const byWemedia = n.accounts.find((a) => a.wemediaId === 'W1234567890123456789');
    const ofArticle = n.articles.find((a) => a.docid === 'HVB2I5E805346RBY');
    expect([byName, byTid, byWemedia, ofArticle].map((x) => x !== undefined)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    for (const a of [byName!, byTid!, byWemedia!])
      expect(n.articles.filter((x) => x.account === a.tid).length).toBe(listSize('account', 7));
    // Found through that article: alive, a 网易号 article, older than the run.
    expect(ofArticle!.channel).toBe('dy');
    expect(ofArticle!.fate).toBeUndefined();
    expect(ofArticle!.createdAt).toBeLessThan(START);
    // The name search finds an article of the account that is alive when the run starts.
    expect(n.articles.some((a) => a.account === byName!.tid && a.createdAt < START && !a.fate)).toBe(true);
    expect(n.articles.filter((a) => a.keywords.includes('网易 关键词')).length).toBe(listSize('keyword', 7));
    expect(n.articles.find((a) => a.docid === DOCID)).toMatchObject({ channel: 'news' });
  });

  it('gives each topic keyword every cause, the platform first, and the baseline few deletions', () => {
    for (const k of ['甲 乙 丙', 'never-seen keyword']) {
      const causes = posts.filter((p) => p.keywords.includes(k)).map(goneCause);
      const count = (c: string): number => causes.filter((x) => x === c).length;
      const kinds = [
        'removed_by_platform',
        'deleted_by_author',
        'restricted',
        'gone_unspecified',
        'account_gone',
      ];
      expect(kinds.filter((c) => count(c) === 0)).toEqual([]);
      for (const c of kinds.slice(1)) expect(count('removed_by_platform')).toBeGreaterThan(count(c));
    }
    const share = (f: (p: (typeof posts)[number]) => boolean): number => {
      const list = posts.filter(f);
      return list.filter((p) => goneCause(p) !== null).length / list.length;
    };
    const topic = share((p) => p.keywords.includes('甲 乙 丙') || p.keywords.includes('never-seen keyword'));
    const baseline = share((p) => p.keywords.includes('天气 今天'));
    // Zhu et al. and Bamman et al.: 12–16% of a sensitive topic; Weiboscope: about 5% of everything.
    expect(topic).toBeGreaterThanOrEqual(0.12);
    expect(topic).toBeLessThanOrEqual(0.3);
    expect(baseline).toBeLessThan(topic);
    expect(
      posts.filter((p) => p.keywords.includes('天气 今天') && p.fate?.cause === 'removed_by_platform'),
    ).toEqual([]);
  });

  it('reposts one removal of each topic keyword while it is up, the only place its cause shows', () => {
    for (const k of ['甲 乙 丙', 'never-seen keyword']) {
      const reposts = posts.filter((p) => p.keywords.includes(k) && p.repostOf !== undefined);
      expect([k, reposts.length]).toEqual([k, 1]);
      const orig = posts.find((p) => p.mid === reposts[0]!.repostOf)!;
      expect(orig.fate).toMatchObject({ cause: 'removed_by_platform', reveal: 'ambiguous' });
      expect(reposts[0]!.createdAt).toBeGreaterThan(orig.createdAt);
      expect(reposts[0]!.createdAt).toBeLessThan(orig.fate!.at);
      expect(reposts[0]!.uid).not.toBe(orig.uid);
    }
    expect(posts.filter((p) => p.keywords.includes('天气 今天') && p.repostOf !== undefined)).toEqual([]);
  });

  it('removes most posts within a day of posting, and edits before any fate', () => {
    const removals = posts.filter((p) => p.fate?.cause === 'removed_by_platform');
    const withinDay = removals.filter((p) => p.fate!.at - p.createdAt <= DAY).length;
    expect(withinDay / removals.length).toBeGreaterThanOrEqual(0.6);
    for (const p of posts)
      for (const e of p.edits ?? []) {
        expect(e.at).toBeGreaterThan(p.createdAt);
        if (p.fate) expect(e.at).toBeLessThan(p.fate.at);
      }
    expect(posts.filter((p) => (p.edits ?? []).length > 0).length).toBeGreaterThan(0);
    // comments: true on the topic's Weibo side: some of its posts have threads with deletions.
    expect(posts.some((p) => (p.comments?.deletions ?? []).length > 0)).toBe(true);
  });

  it('is the same world for the same seed, another for another', () => {
    expect(world(7)).toEqual(world(7));
    expect(world(8).scenario.weibo.posts.map((p) => p.mid)).not.toEqual(posts.map((p) => p.mid));
  });

  it('fits a short run: one day still has every list and fates inside it', () => {
    const short = world(7, 1).scenario;
    expect(checkScenario(short)).toEqual([]);
    const end = START + DAY;
    const gone = short.weibo.posts.filter((p) => p.fate && p.fate.at < end);
    expect(gone.some((p) => p.fate!.cause === 'removed_by_platform')).toBe(true);
    expect(short.weibo.posts.every((p) => p.createdAt < end)).toBe(true);
  });
});

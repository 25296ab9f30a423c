import { loadConfig } from '../../../src/config';
import { configError, removeTempDirs, writeYaml } from './helpers';

/**
 * The same keyword, account or post twice inside one watch is bad config naming both entries,
 * also when one post is given as a URL and again as its mid or bid (or an article as its URL and
 * its DOCID); the same entry in two watches is allowed. Watch ids are ASCII, and the message says so.
 */
afterAll(() => removeTempDirs());
const env = {};

function load(watches: string): () => unknown {
  return () => loadConfig(writeYaml(`database: data/test.db\nwatches:\n${watches}`), env);
}

const MID = '4383411844046171';
const BID = 'HyZVegYAP'; // the same post's bid
const DOCID = 'KC12OUHK000189FH';

describe('duplicate entries inside one watch', () => {
  it('one post as a URL, a bare mid and a bid: each later one names the first', () => {
    const err = configError(
      load(
        [
          '  - id: w',
          '    weibo:',
          '      posts:',
          `        - https://m.weibo.cn/detail/${MID}`,
          `        - "4383411844046172"`,
          `        - ${MID}`,
          `        - ${BID}`,
          '',
        ].join('\n'),
      ),
    );
    expect(err.issues.map(({ path, message }) => ({ path, message }))).toEqual([
      {
        path: 'watches[0].weibo.posts[2]',
        message: `same post as watches[0].weibo.posts[0] (both are mid ${MID}); remove one`,
      },
      {
        path: 'watches[0].weibo.posts[3]',
        message: `same post as watches[0].weibo.posts[0] (both are mid ${MID}); remove one`,
      },
    ]);
    expect(err.message).toContain(`watches[0].weibo.posts[2]: same post as watches[0].weibo.posts[0]`);
  });

  it('keywords (also differing only in spacing), accounts, and an article as URL and DOCID', () => {
    const err = configError(
      load(
        [
          '  - id: ok',
          '    weibo: { keywords: [天气] }',
          '  - id: w',
          '    weibo:',
          '      keywords: ["联合国 决议", "联合国  决议", 人权]',
          '      accounts: ["1669879400", "https://weibo.com/u/1669879400"]',
          '    netease:',
          '      keywords: [人权, 人权]',
          `      articles: ["https://www.163.com/news/article/${DOCID}.html", ${DOCID}]`,
          '',
        ].join('\n'),
      ),
    );
    expect(err.issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      'watches[1].weibo.keywords[1]: same keyword as watches[1].weibo.keywords[0]; remove one',
      'watches[1].weibo.accounts[1]: same account as watches[1].weibo.accounts[0] (both are uid 1669879400); remove one',
      'watches[1].netease.keywords[1]: same keyword as watches[1].netease.keywords[0]; remove one',
      `watches[1].netease.articles[1]: same article as watches[1].netease.articles[0] (both are DOCID ${DOCID}); remove one`,
    ]);
  });

  it('the same keyword and post in two watches, or on both platforms, is allowed', () => {
    const config = loadConfig(
      writeYaml(
        [
          'database: data/test.db',
          'watches:',
          '  - id: a',
          `    weibo: { keywords: [人权], posts: ["${MID}"] }`,
          '    netease: { keywords: [人权] }',
          '  - id: b',
          `    weibo: { keywords: [人权], posts: ["https://m.weibo.cn/detail/${MID}"] }`,
          '',
        ].join('\n'),
      ),
      env,
    ) as { watches: readonly { id: string }[] };
    expect(config.watches.map((w) => w.id)).toEqual(['a', 'b']);
  });

  it('a bad entry is reported once, as itself, not also as a duplicate', () => {
    const err = configError(load('  - id: w\n    weibo: { posts: ["nope nope", "nope nope"] }\n'));
    expect(err.issues.map((i) => i.path)).toEqual(['watches[0].weibo.posts[0]', 'watches[0].weibo.posts[1]']);
    expect(err.issues.every((i) => i.message.startsWith('not a weibo URL or id'))).toBe(true);
  });
});

describe('a watch id that is not ASCII-safe', () => {
  it.each(['联合国', 'café', 'a b'])('%s: the path and the rule in plain ASCII', (id) => {
    const err = configError(load(`  - id: "${id}"\n    weibo: { keywords: [x] }\n`));
    expect(err.issues).toHaveLength(1);
    const [issue] = err.issues;
    expect(issue!.path).toBe('watches[0].id');
    const rule = issue!.message.slice(0, issue!.message.indexOf(', received'));
    expect(rule).toBe(
      'expected an id of ASCII letters A-Z a-z, digits 0-9, "-" and "_" only (no spaces or Chinese characters: put the topic\'s own words in name)',
    );
    expect(rule).toMatch(/^[\x20-\x7e]+$/);
    expect(issue!.message).toContain(JSON.stringify(id));
  });
});

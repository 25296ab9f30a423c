import * as path from 'node:path';
import { loadConfig } from '../../../src/config';

const EXAMPLE = path.join(__dirname, '../../../config/watch.example.yaml');

describe('config/watch.example.yaml', () => {
  const config = loadConfig(EXAMPLE, {});

  it('has the UN-vote watch on Weibo and NetEase', () => {
    const watch = config.watches.find((w) => w.id === 'un-vote-2023');
    expect(watch?.name).toContain('A/77/L.65');
    expect(watch?.weibo.keywords).toEqual(
      expect.arrayContaining(['联合国 欧洲委员会 决议', '中国 投票 赞成 入侵乌克兰', 'A/77/L.65']),
    );
    expect(watch?.netease.accounts).toContain('张佳栋看世界');
    expect(watch?.netease.keywords.length).toBeGreaterThan(0);
  });

  it('has a baseline watch to compare deletion rates against', () => {
    expect(config.watches.map((w) => w.id)).toEqual(['un-vote-2023', 'baseline-weather']);
    expect(config.watches[1]?.weibo.keywords).toContain('天气预报');
  });

  it('points at the real platforms and the default database', () => {
    expect(config.database).toBe(path.resolve('data/censorwatch.db'));
    expect(config.platforms.weibo.hosts['m.weibo.cn']).toBe('https://m.weibo.cn');
    expect(config.platforms.netease.hosts['www.163.com']).toBe('https://www.163.com');
    expect(config.queue.redis).toBeNull();
  });
});

import { parse } from 'yaml';
import { parseDuration } from '../../../src/domain/duration';
import { WEIBO_HOSTS } from '../../../src/platforms/weibo/hosts';
import { startSim } from './helpers';
import type { Harness, Json } from './helpers';

describe('/__sim/config', () => {
  let h: Harness;
  afterEach(async () => {
    await h.sim.stop();
  });

  it('gives a YAML config with every Weibo host pointed at the simulator and the quick watches', async () => {
    h = await startSim('quick');
    const res = await h.get('/__sim/config?db=/tmp/x%20y/sim.db');
    expect(res.status).toBe(200);
    const doc: Json = parse(res.text);
    expect(doc.database).toBe('/tmp/x y/sim.db');
    // www.weibo.com included: real redirects lead there, and an unmapped one would leave the simulator.
    expect(doc.platforms.weibo.hosts).toEqual(Object.fromEntries(WEIBO_HOSTS.map((x) => [x, h.base])));
    expect(doc.platforms.weibo.hosts['www.weibo.com']).toBe(h.base);
    expect(doc.watches.map((w: Json) => w.id)).toEqual(['quick-topic', 'quick-baseline']);
    expect(doc.watches[0].weibo.keywords).toEqual(['quick-topic']);
    for (const d of [
      ...doc.schedule.ladder,
      doc.schedule.discoverEvery,
      doc.schedule.confirmAfter,
      doc.platforms.weibo.minInterval,
    ]) {
      expect(parseDuration(d)).not.toBeNull();
    }
    // Seconds scale: the whole ladder fits in the scenario's 15 s.
    expect(parseDuration(doc.schedule.discoverEvery)).toBeLessThanOrEqual(1000);
  });

  it('names the un-vote topic and baseline watches with their keywords', async () => {
    h = await startSim('un-vote');
    const doc: Json = parse((await h.get('/__sim/config')).text);
    expect(doc.database).toBe('data/censorwatch.db');
    expect(doc.watches.map((w: Json) => w.id)).toEqual(['un-vote-2023', 'baseline-weather']);
    expect(doc.watches[0].weibo.keywords).toEqual([
      '联合国 欧洲委员会 决议',
      '中国 投票 赞成 入侵乌克兰',
      'A/77/L.65',
    ]);
    expect(doc.watches[1].weibo.keywords).toEqual(['天气预报']);
    expect(parseDuration(doc.schedule.discoverEvery)).toBe(600_000);
  });
});

import { parseConfig } from '../../../src/config';
import { configError } from './helpers';

const WATCHES = [{ id: 'w', weibo: { keywords: ['联合国 决议'] } }];
const parse = (extra: Record<string, unknown>) =>
  parseConfig({ database: 'x.db', watches: WATCHES, ...extra }, '<t>');
const problems = (extra: Record<string, unknown>): string[] =>
  configError(() => parse(extra))
    .message.split('\n')
    .filter((l) => /^\s*\S+: /.test(l))
    .map((l) => l.trim());

describe('platforms.<p>.budget', () => {
  it('defaults to what minInterval lets one host serve in an hour, unlimited without a wait', () => {
    const c = parse({ platforms: { netease: { minInterval: 0 } } });
    expect(c.platforms.weibo.budget).toBe(1800);
    expect(c.platforms.netease.budget).toBeNull();
    expect(parse({ platforms: { weibo: { minInterval: '5s' } } }).platforms.weibo.budget).toBe(720);
  });

  it('takes requests per hour, and names the field when it is not a positive whole number', () => {
    expect(parse({ platforms: { weibo: { budget: 600 } } }).platforms.weibo.budget).toBe(600);
    expect(problems({ platforms: { weibo: { budget: 0 } } })).toEqual([
      expect.stringMatching(/^platforms\.weibo\.budget: expected a number >= 1/),
    ]);
    expect(problems({ platforms: { netease: { budget: '600/h' } } })).toEqual([
      expect.stringMatching(/^platforms\.netease\.budget: expected number, received string/),
    ]);
    expect(problems({ platforms: { weibo: { budget: 1.5 } } })).toEqual([
      expect.stringMatching(/^platforms\.weibo\.budget: expected an integer/),
    ]);
  });
});

describe('schedule.discoverMin and discoverMax', () => {
  it('default to half and five times discoverEvery', () => {
    const s = parse({ schedule: { discoverEvery: '4m' } }).schedule;
    expect([s.discoverMin, s.discoverMax]).toEqual([120_000, 1_200_000]);
  });

  it('may pin discovery to a fixed interval', () => {
    const s = parse({ schedule: { discoverEvery: '2m', discoverMin: '2m', discoverMax: '2m' } }).schedule;
    expect([s.discoverMin, s.discoverEvery, s.discoverMax]).toEqual([120_000, 120_000, 120_000]);
  });

  it('must hold discoverEvery between them, each named when it does not', () => {
    expect(problems({ schedule: { discoverEvery: '2m', discoverMin: '3m', discoverMax: '1m' } })).toEqual([
      'schedule.discoverMin: must be at most discoverEvery',
      'schedule.discoverMax: must be at least discoverEvery',
    ]);
  });
});

import { loadConfig } from '../../../src/config';
import { configError, MINIMAL, removeTempDirs, writeYaml } from './helpers';

afterEach(removeTempDirs);

describe('platforms.weibo.timeline', () => {
  it('defaults to mobile (m.weibo.cn getIndex)', () => {
    const config = loadConfig(writeYaml(MINIMAL), {});
    expect(config.platforms.weibo.timeline).toBe('mobile');
    expect(config.platforms.netease.timeline).toBe('mobile');
  });

  it('accepts desktop (weibo.com ajax/statuses/mymblog)', () => {
    const config = loadConfig(writeYaml(`${MINIMAL}platforms:\n  weibo:\n    timeline: desktop\n`), {});
    expect(config.platforms.weibo.timeline).toBe('desktop');
  });

  it('rejects any other value, naming the path', () => {
    const err = configError(() =>
      loadConfig(writeYaml(`${MINIMAL}platforms:\n  weibo:\n    timeline: pc\n`), {}),
    );
    expect(err.message).toMatch(/^platforms\.weibo\.timeline: /);
    expect(err.message).toContain('desktop');
  });

  it('is not a NetEase setting', () => {
    const err = configError(() =>
      loadConfig(writeYaml(`${MINIMAL}platforms:\n  netease:\n    timeline: desktop\n`), {}),
    );
    expect(err.issues).toEqual([
      expect.objectContaining({
        path: 'platforms.netease.timeline',
        message: 'only platforms.weibo has a timeline setting',
      }),
    ]);
  });
});

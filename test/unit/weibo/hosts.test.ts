import { parseConfig } from '../../../src/config';
import { WEIBO_HOSTS } from '../../../src/platforms/weibo/hosts';

const watches = [{ id: 'w1', weibo: { keywords: ['联合国 决议'] } }];

describe('Weibo hosts', () => {
  test('www.weibo.com is remappable, since real redirects lead there', () => {
    const config = parseConfig(
      {
        database: ':memory:',
        platforms: {
          weibo: {
            hosts: { 'weibo.com': 'http://127.0.0.1:8081', 'www.weibo.com': 'http://127.0.0.1:8081/' },
          },
        },
        watches,
      },
      'test',
      {},
    );
    expect(config.platforms.weibo.hosts['www.weibo.com']).toBe('http://127.0.0.1:8081');
  });

  test('config knows exactly the platform list, each host defaulting to itself', () => {
    const config = parseConfig({ database: ':memory:', watches }, 'test', {});
    expect(config.platforms.weibo.hosts).toEqual(
      Object.fromEntries(WEIBO_HOSTS.map((h) => [h, `https://${h}`])),
    );
  });
});

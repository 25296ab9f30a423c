import { parseConfig } from '../../../src/config';
import { NETEASE_HOSTS } from '../../../src/platforms/netease';

/** Hosts that real NetEase pages and redirects lead to must be remappable (issue 9). */
describe('platforms.netease.hosts', () => {
  const remapped = [
    'www.163.com',
    'm.163.com',
    '3g.163.com',
    'news.163.com',
    'dy.163.com',
    'money.163.com',
    'gov.163.com',
    'tech.163.com',
    'c.m.163.com',
    'comment.api.163.com',
    'comment.tie.163.com',
  ];

  it('accepts every host an article page, a redirect or the comment API leads to', () => {
    const hosts = Object.fromEntries(remapped.map((h) => [h, 'http://127.0.0.1:8082']));
    const config = parseConfig(
      {
        database: ':memory:',
        watches: [{ id: 'a', netease: { articles: ['HUGE1234000189FM'] } }],
        platforms: { netease: { hosts } },
      },
      '<test>',
      {},
    );
    for (const h of remapped)
      expect([h, config.platforms.netease.hosts[h]]).toEqual([h, 'http://127.0.0.1:8082']);
  });

  it('config knows the hosts from the platform module, every one a 163.com host', () => {
    expect(NETEASE_HOSTS).toEqual(expect.arrayContaining(remapped));
    for (const h of NETEASE_HOSTS) expect(h.endsWith('.163.com')).toBe(true);
    expect(new Set(NETEASE_HOSTS).size).toBe(NETEASE_HOSTS.length);
  });

  it('still refuses a host that is not NetEase', () => {
    expect(() =>
      parseConfig(
        {
          database: ':memory:',
          watches: [{ id: 'a', netease: { articles: ['HUGE1234000189FM'] } }],
          platforms: { netease: { hosts: { 'www.126.com': 'http://127.0.0.1:8082' } } },
        },
        '<test>',
        {},
      ),
    ).toThrow(/www\.126\.com/);
  });
});

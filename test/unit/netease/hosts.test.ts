import { parseConfig } from '../../../src/config';
import {
  isHomeOrChannelUrl,
  NETEASE_APEX,
  NETEASE_HOSTS,
  NETEASE_PORTAL_HOSTS,
} from '../../../src/platforms/netease';

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

/** One list says which hosts are remappable and which are the portal a removed article is sent to. */
describe('NetEase portal hosts', () => {
  it('every portal host can be remapped, and its home page counts as where removed articles go', () => {
    expect(NETEASE_HOSTS).toEqual(expect.arrayContaining([...NETEASE_PORTAL_HOSTS]));
    for (const h of [NETEASE_APEX, ...NETEASE_PORTAL_HOSTS]) {
      expect([h, isHomeOrChannelUrl(`https://${h}/`)]).toEqual([h, true]);
      expect([h, isHomeOrChannelUrl(`https://${h}/news/`)]).toEqual([h, true]);
      // A wall or a tool on a portal host is never a removal.
      expect([h, isHomeOrChannelUrl(`https://${h}/search?q=x`)]).toEqual([h, false]);
      expect([h, isHomeOrChannelUrl(`https://${h}/captcha/`)]).toEqual([h, false]);
    }
  });

  it('comment, app and template hosts are remappable but never a portal page', () => {
    const others = NETEASE_HOSTS.filter((h) => !(NETEASE_PORTAL_HOSTS as readonly string[]).includes(h));
    expect([...others].sort()).toEqual(
      [
        'c.m.163.com',
        'comment.api.163.com',
        'comment.news.163.com',
        'comment.tie.163.com',
        'temp.163.com',
      ].sort(),
    );
    for (const h of [...others, 'dun.163.com', 'reg.163.com', 'mail.163.com'])
      expect([h, isHomeOrChannelUrl(`https://${h}/`)]).toEqual([h, false]);
  });
});

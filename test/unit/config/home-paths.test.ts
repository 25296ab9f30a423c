import * as os from 'node:os';
import * as path from 'node:path';
import { expandHome, parseConfig } from '../../../src/config';
import { configError } from './helpers';

const WATCHES = [{ id: 'w', weibo: { keywords: ['联合国'] } }];
const home = os.homedir();
/** No override from the outer environment changes the database. */
const ENV = {};

describe('expandHome', () => {
  it('takes ~ and ~/… as the home folder, and leaves other paths alone', () => {
    expect(expandHome('~', '/home/me')).toEqual({ ok: true, path: '/home/me' });
    expect(expandHome('~/cw/x.db', '/home/me')).toEqual({ ok: true, path: '/home/me/cw/x.db' });
    expect(expandHome('data/~/x.db', '/home/me')).toEqual({ ok: true, path: 'data/~/x.db' });
    expect(expandHome('./~/x.db', '/home/me')).toEqual({ ok: true, path: './~/x.db' });
    expect(expandHome('/srv/x.db', '/home/me')).toEqual({ ok: true, path: '/srv/x.db' });
  });

  it('refuses another user’s home, saying what to write', () => {
    const r = expandHome('~alice/x.db', '/home/me');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toBe(
      '"~alice/x.db": only ~ and ~/ (your own home folder) are expanded, not ~alice: write the full path, or ./~alice/x.db for a folder named so',
    );
  });
});

describe('a leading ~ in the config is the home folder, not a folder named ~', () => {
  it('database, from the file and from CENSORWATCH_DATABASE', () => {
    expect(parseConfig({ database: '~/cw/x.db', watches: WATCHES }, 't', ENV).database).toBe(
      path.join(home, 'cw', 'x.db'),
    );
    expect(
      parseConfig({ database: 'data/x.db', watches: WATCHES }, 't', { CENSORWATCH_DATABASE: '~/y.db' })
        .database,
    ).toBe(path.join(home, 'y.db'));
    // A folder really called ~ can still be named.
    expect(parseConfig({ database: './~/x.db', watches: WATCHES }, 't', ENV).database).toBe(
      path.resolve('~', 'x.db'),
    );
    expect(parseConfig({ database: ':memory:', watches: WATCHES }, 't', ENV).database).toBe(':memory:');
  });

  it('cookieFile and secretFile are read from the home folder', () => {
    const name = `censorwatch-absent-${process.pid}`;
    const err = configError(() =>
      parseConfig(
        {
          database: 'x.db',
          watches: WATCHES,
          platforms: { weibo: { cookieFile: `~/${name}.cookie` } },
          alerts: { webhooks: [{ name: 'h', url: 'https://h.example.org', secretFile: `~/${name}.secret` }] },
        },
        't',
        ENV,
      ),
    );
    expect(err.issues).toEqual([
      {
        path: 'platforms.weibo.cookieFile',
        message: `cannot read ${path.join(home, `${name}.cookie`)}: no such file`,
      },
      {
        path: 'alerts.webhooks[0].secretFile',
        message: `cannot read ${path.join(home, `${name}.secret`)}: no such file`,
      },
    ]);
  });

  it('browser.executablePath is expanded, and a bare name is left for the PATH', () => {
    const at = (executablePath: string): string | null =>
      parseConfig({ database: 'x.db', watches: WATCHES, browser: { executablePath } }, 't', ENV).browser
        .executablePath;
    expect(at('~/chrome/chrome')).toBe(path.join(home, 'chrome', 'chrome'));
    expect(at('chromium')).toBe('chromium');
  });

  it('~alice/… is exit 2 naming the field', () => {
    const err = configError(() => parseConfig({ database: '~alice/x.db', watches: WATCHES }, 't', ENV));
    expect(err.issues).toEqual([
      {
        path: 'database',
        message:
          '"~alice/x.db": only ~ and ~/ (your own home folder) are expanded, not ~alice: write the full path, or ./~alice/x.db for a folder named so',
      },
    ]);
  });
});

import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import YAML from 'yaml';
import { Store } from '../../../src/store/store';
import { cli as runCli, type CliResult } from '../cli/helpers';
import { CHROMIUM, startSim, type SimHarness } from './helpers';

// Each test starts the CLI two to four times (login waits for the simulated QR scan): a loaded
// machine needs more than the default minute.
jest.setTimeout(300_000);

/** The real CLI in a child process, as a person runs it (killed after the file if still running). */
function cli(args: readonly string[], cwd: string): Promise<CliResult> {
  return runCli(args, { cwd, env: { CENSORWATCH_WEIBO_COOKIE: '' }, timeoutMs: 90_000 });
}

/** A logged-in SUB from the simulator's QR login, fetched over plain HTTP (no browser needed). */
async function simLogin(base: string): Promise<string> {
  const page = await (await request(`${base}/sso/signin?entry=miniblog&source=miniblog`)).body.text();
  const qrid = /qrid=([^&'"]+)/.exec(page)?.[1];
  if (!qrid) throw new Error('no qrid on the sign-in page');
  const res = await request(`${base}/sso/qrcode/check?qrid=${qrid}`);
  await res.body.text();
  const lines = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const sub = lines.map((l) => /^SUB=([^;]+)/.exec(l)?.[1]).find(Boolean);
  if (!sub) throw new Error('the simulated login set no SUB');
  return sub;
}

describe('censorwatch login weibo and the status session line', () => {
  let h: SimHarness;
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cw-login-'));
  });
  afterEach(async () => {
    await h.sim.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  function writeConfig(weibo: Record<string, unknown>, browser: Record<string, unknown> = {}): string {
    const file = join(dir, 'watch.yaml');
    const doc = {
      database: join(dir, 'cw.db'),
      platforms: { weibo: { hosts: h.hosts, ...weibo } },
      watches: [{ id: 'w', name: 'login test', weibo: { keywords: ['quick-topic'] } }],
      browser: { executablePath: CHROMIUM, headless: true, ...browser },
    };
    writeFileSync(file, YAML.stringify(doc));
    // status reads the database and never creates one: give it the file a run would have written.
    if (!existsSync(doc.database)) Store.open(doc.database).close();
    return file;
  }

  it('login without platforms.weibo.cookieFile exits 2 naming the field', async () => {
    h = await startSim({});
    const config = writeConfig({});
    const r = await cli(['login', 'weibo', '--config', config], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('platforms.weibo.cookieFile');
  });

  it('status shows the saved session as logged in, and login --check agrees', async () => {
    h = await startSim({ loginDelay: 0 });
    const sub = await simLogin(h.base);
    writeFileSync(join(dir, 'weibo.cookie'), `SUB=${sub}; SSOLoginState=1\n`, { mode: 0o600 });
    const config = writeConfig({ cookieFile: 'weibo.cookie' });
    const status = await cli(['status', '--config', config], dir);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('weibo session: logged in (uid 5600000001)');
    const check = await cli(['login', 'weibo', '--check', '--config', config], dir);
    expect(check.code).toBe(0);
    expect(check.stdout).toContain('weibo session: logged in');
  });

  it('status without a cookie says not logged in, in text and JSON; --check exits 1', async () => {
    h = await startSim({});
    const config = writeConfig({});
    const text = await cli(['status', '--config', config], dir);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('weibo session: not logged in (no cookie configured');
    const json = await cli(['status', '--json', '--config', config], dir);
    expect(JSON.parse(json.stdout).weiboSession).toEqual({ state: 'not_logged_in' });
    const skipped = await cli(['status', '--no-session', '--config', config], dir);
    expect(skipped.stdout).not.toContain('weibo session');
    const check = await cli(['login', 'weibo', '--check', '--config', config], dir);
    expect(check.code).toBe(1);
  });

  it('login in headless Chromium: QR code PNG printed, session saved mode 0600 with SUB, and it works', async () => {
    h = await startSim({ requireLogin: true, loginDelay: 1500 });
    const cookieFile = join(dir, 'secrets', 'weibo.cookie');
    expect(existsSync(cookieFile)).toBe(false);
    const config = writeConfig({ cookieFile: 'secrets/weibo.cookie' });
    const r = await cli(['login', 'weibo', '--config', config, '--timeout', '60s'], dir);
    expect(r.stderr).toContain('QR code saved to');
    expect(r.code).toBe(0);
    const png = /QR code saved to (\S+)/.exec(r.stderr)?.[1];
    expect(png).toBeDefined();
    expect(readFileSync(png!).subarray(0, 8)).toEqual(
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    );
    expect(statSync(cookieFile).mode & 0o777).toBe(0o600);
    const saved = readFileSync(cookieFile, 'utf8');
    expect(saved).toMatch(/(^|; )SUB=_2A25/);
    expect(saved).toMatch(/(^|; )SSOLoginState=/);
    expect(saved.trim().split('\n')).toHaveLength(1);
    // The saved cookie passes the simulator's login wall.
    const check = await cli(['login', 'weibo', '--check', '--config', config], dir);
    expect(check.stdout).toContain('weibo session: logged in');
    const res = await request(`${h.base}/statuses/show?id=1`, {
      headers: { cookie: saved.trim() },
    });
    await res.body.text();
    expect(res.statusCode).toBe(200);
  });
});

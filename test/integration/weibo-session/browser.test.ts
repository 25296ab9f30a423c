import { BrowserCookieSource } from '../../../src/browser/cookies';
import { M_WEIBO_HOME } from '../../../src/platforms/weibo/session';
import { alivePosts, chromiumSource, client, startSim, type Client, type SimHarness } from './helpers';

describe('visitor cookies from Chromium when the HTTP flow fails', () => {
  let h: SimHarness;
  let c: Client | null = null;
  afterEach(async () => {
    await c?.fetcher.close();
    c = null;
    await h.sim.stop();
  });

  it('loads the remapped m.weibo.cn home page and reads back Set-Cookie and script-set cookies', async () => {
    h = await startSim({});
    const cookies = await chromiumSource().cookiesFrom(`${h.base}/`);
    const byName = new Map(cookies.map((x) => [x.name, x]));
    // Set by the response header (HttpOnly, so no script could have set it).
    expect(byName.get('_T_WM')?.httpOnly).toBe(true);
    // Set only by the page's script: a plain HTTP client never sees it.
    expect(byName.get('SUB')?.value).toMatch(/^_2AkM/);
    expect(byName.get('SUB')?.domain).toBe('127.0.0.1');
  });

  it('genvisitor2 failing, the browser fallback gets a SUB the simulator accepts and the retried check is alive', async () => {
    h = await startSim({ requireCookies: true, failVisitor: true });
    c = client(h, { browser: chromiumSource() });
    const [target] = alivePosts(h.scenario, 1);
    const r = await c.adapter.check(target!);
    expect(r.observations[0]?.outcome).toBe('alive');
    expect(c.session.snapshot().lastRefresh).toMatchObject({
      ok: true,
      detail: 'visitor cookies via browser',
    });
    // Filed under the real host, one SUB only, as the browser's script set it.
    const subs = c.jar.cookiesFor(M_WEIBO_HOME).filter((x) => x.name === 'SUB');
    expect(subs).toHaveLength(1);
    expect(subs[0]?.value).toMatch(/^_2AkM/);
    expect(subs[0]?.domain).toBe('m.weibo.cn');
    const stats = h.sim.stats();
    expect(stats['show']?.requests).toBe(2);
    // The HTTP flow was tried first: one failing genvisitor2 besides the wall page.
    expect(stats['visitor']?.requests).toBe(2);
  });

  it('a browser that cannot start leaves the check transient and the failure explained', async () => {
    h = await startSim({ requireCookies: true, failVisitor: true });
    c = client(h, { browser: new BrowserCookieSource({ executablePath: '/nonexistent/chromium' }) });
    const [target] = alivePosts(h.scenario, 1);
    const r = await c.adapter.check(target!);
    expect(r.observations[0]?.outcome).toBe('login_required');
    const last = c.session.snapshot().lastRefresh;
    expect(last?.ok).toBe(false);
    expect(last?.detail).toMatch(/genvisitor2: no visitor ticket.*; browser: /);
  });
});

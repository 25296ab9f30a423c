import { alivePosts, client, startSim, type Client, type SimHarness } from './helpers';

describe('visitor cookies over HTTP against the simulator', () => {
  let h: SimHarness;
  let c: Client;
  afterEach(async () => {
    await c.fetcher.close();
    await h.sim.stop();
  });

  it('a cookieless check meets the visitor wall, genvisitor2 + crossdomain set SUB, the retried check is alive', async () => {
    h = await startSim({ requireCookies: true });
    c = client(h);
    const [target] = alivePosts(h.scenario, 1);
    const r = await c.adapter.check(target!);
    expect(r.observations[0]?.outcome).toBe('alive');
    expect(r.observations[0]?.target.id).toBe(target!.id);
    const names = c.jar.cookiesFor('https://m.weibo.cn/statuses/show').map((x) => x.name);
    expect(names).toEqual(expect.arrayContaining(['SUB', 'SUBP', '_T_WM', 'XSRF-TOKEN']));
    // The crossdomain step's own cookies stay with weibo.com.
    expect(c.jar.cookiesFor('https://weibo.com/').map((x) => x.name)).toContain('SUB');
    const stats = h.sim.stats();
    expect(stats['visitor']?.requests).toBe(3); // the wall page, genvisitor2, crossdomain
    expect(stats['show']?.requests).toBe(2); // the walled check and its one retry
    expect(c.session.needsLogin).toBe(false);
    expect(c.session.snapshot().lastRefresh).toMatchObject({ ok: true, detail: 'visitor cookies via http' });
  });

  it('concurrent checks behind the wall share one refresh and all come back alive', async () => {
    h = await startSim({ requireCookies: true });
    c = client(h);
    const targets = alivePosts(h.scenario, 4);
    const results = await Promise.all(targets.map((t) => c.adapter.check(t)));
    expect(results.map((r) => r.observations[0]?.outcome)).toEqual(['alive', 'alive', 'alive', 'alive']);
    // One genvisitor2 and one crossdomain, however many checks hit the wall.
    expect(h.sim.stats()['visitor']!.requests - 4).toBe(2);
  });

  it('without a browser a failing visitor flow leaves the check login_required and keeps the cool-down', async () => {
    h = await startSim({ requireCookies: true, failVisitor: true });
    c = client(h, { browser: null, refreshCooldown: 60_000 });
    const [a, b] = alivePosts(h.scenario, 2);
    const first = await c.adapter.check(a!);
    expect(first.observations[0]?.outcome).toBe('login_required');
    expect(first.observations[0]?.message).toMatch(/visitor/);
    expect(c.session.snapshot().lastRefresh).toMatchObject({ ok: false });
    expect(c.session.snapshot().lastRefresh?.detail).toMatch(/genvisitor2: no visitor ticket/);
    const visitorBefore = h.sim.stats()['visitor']!.requests;
    // Inside the cool-down a second walled check does not try again.
    const second = await c.adapter.check(b!);
    expect(second.observations[0]?.outcome).toBe('login_required');
    expect(h.sim.stats()['visitor']!.requests - visitorBefore).toBe(1); // only its wall page
    // After the cool-down, a refresh is attempted again.
    h.clock.advanceTo(h.clock.now() + 61_000);
    await c.adapter.check(b!);
    expect(h.sim.stats()['visitor']!.requests - visitorBefore).toBe(3);
  });

  it('an expired configured SUB meeting the visitor wall is replaced, not sent beside the new one', async () => {
    h = await startSim({ requireCookies: true });
    c = client(h, { cookie: 'SUB=_2A25expired; SUBP=0033old' });
    const [target] = alivePosts(h.scenario, 1);
    expect((await c.adapter.check(target!)).observations[0]?.outcome).toBe('alive');
    const subs = c.jar.cookiesFor('https://m.weibo.cn/statuses/show').filter((x) => x.name === 'SUB');
    expect(subs).toHaveLength(1);
    expect(subs[0]?.value).toMatch(/^_2AkM/);
    expect(c.session.generation).toBe(1);
  });

  it('a configured logged-in cookie keeps SUB for m.weibo.cn only, and drops weibo.com cookies', async () => {
    h = await startSim({});
    c = client(h, { cookie: 'SUB=_2A25abc; SUBP=0033xyz; WBPSESS=desk; _T_WM=old; SINAGLOBAL=1' });
    const [target] = alivePosts(h.scenario, 1);
    expect((await c.adapter.check(target!)).observations[0]?.outcome).toBe('alive');
    const sent = new Map(c.jar.cookiesFor('https://m.weibo.cn/').map((x) => [x.name, x.value]));
    expect(sent.get('SUB')).toBe('_2A25abc');
    expect(sent.get('SUBP')).toBe('0033xyz');
    expect(sent.has('WBPSESS')).toBe(false);
    expect(sent.has('SINAGLOBAL')).toBe(false);
    // The warm-up issued a fresh _T_WM, so the configured one is not used.
    expect(sent.get('_T_WM')).not.toBe('old');
    expect(sent.get('_T_WM')).toBeTruthy();
  });
});

describe('captchas', () => {
  it('ok:-100 to the captcha page is a captcha: no visitor refresh, no login mark', async () => {
    const h = await startSim({ block: 'captcha' });
    const c = client(h);
    try {
      const [target] = alivePosts(h.scenario, 1);
      const r = await c.adapter.check(target!);
      expect(r.observations[0]?.outcome).toBe('captcha');
      expect(h.sim.stats()['visitor']).toBeUndefined();
      expect(h.sim.stats()['show']?.requests).toBe(1);
      expect(c.session.needsLogin).toBe(false);
    } finally {
      await c.fetcher.close();
      await h.sim.stop();
    }
  });
});

describe('login walls', () => {
  let h: SimHarness;
  let c: Client;
  afterEach(async () => {
    await c.fetcher.close();
    await h.sim.stop();
  });

  it('a redirect to passport.weibo.cn/signin is login_required and marks the session, without a visitor refresh', async () => {
    h = await startSim({ requireLogin: true });
    c = client(h);
    const [a, b] = alivePosts(h.scenario, 2);
    const r = await c.adapter.check(a!);
    expect(r.observations[0]?.outcome).toBe('login_required');
    expect(r.observations[0]?.message).toMatch(/passport\.weibo\.cn\/signin/);
    expect(c.session.needsLogin).toBe(true);
    expect((await c.adapter.check(b!)).observations[0]?.outcome).toBe('login_required');
    expect(c.session.needsLogin).toBe(true);
    expect(h.sim.stats()['visitor']).toBeUndefined();
    expect(h.sim.stats()['show']?.requests).toBe(2);
  });

  it('a keyword search behind the login wall is a login_required listing, not an empty one', async () => {
    h = await startSim({ requireLogin: true });
    c = client(h);
    const listing = await c.adapter.discover({ mode: 'keyword', query: 'quick-topic' });
    expect(listing.outcome).toBe('login_required');
    expect(listing.observations).toHaveLength(0);
    expect(c.session.needsLogin).toBe(true);
  });
});

import { join } from 'node:path';
import { request } from 'undici';
import { parse } from 'yaml';
import { gatherProblems, renderProblems } from '../../../src/cli/status-problems';
import { parseConfig } from '../../../src/config';
import { ManualClock } from '../../../src/domain/clock';
import type { Engine } from '../../../src/engine/engine';
import { buildScenario, Simulator, type SimulatorOptions } from '../../../src/sim';
import { ProblemStore } from '../../../src/store/problems';
import type { Store } from '../../../src/store/store';
import { type EventRow } from '../../../src/store/store';
import { beforeTempRemoval, tempDir } from '../../helpers/temp';
import { rawSql } from '../../helpers/sql';
import { engineOnClock } from '../../helpers/engine';

const MIN = 60_000;
const START = Date.UTC(2024, 0, 10, 2, 0, 0);
// A closed port: every request to the host it stands for fails to connect.
const CLOSED = 'http://127.0.0.1:1';
const FAILING_ARTICLE = 'https://www.163.com/news/article/I1ZZZZZZ000189Q7.html';

/** Foreign rows under test (parsed YAML). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

interface Run {
  readonly store: Store;
  readonly clock: ManualClock;
  readonly engine: Engine;
  until(ms: number): Promise<void>;
}

/**
 * The crawler against the quick scenario's simulator, with a researcher's watch the simulator
 * was not built for: a screen name where Weibo needs a uid, a NetEase account name no article
 * names, a keyword nothing matches, an article URL on a host that never answers (`neteaseHosts`).
 */
async function start(
  watch: Json,
  session: SimulatorOptions['session'] = undefined,
  neteaseHosts: Record<string, string> = {},
): Promise<Run> {
  const clock = new ManualClock(START);
  const scenario = buildScenario('quick', { start: START, seed: 7 });
  const sim = new Simulator({ clock, scenario, faultRate: 0, seed: 5, session });
  const base = await sim.start(0);
  const dir = tempDir('censorwatch-problems-');
  const res = await request(`${base}/__sim/config?db=${encodeURIComponent(join(dir, 'p.db'))}`);
  const raw: Json = parse(await res.body.text());
  Object.assign(raw.platforms.netease.hosts, neteaseHosts);
  // Discovery at a fixed 10 minutes (no adaptive cadence), so the rounds each rule counts fall at known times.
  raw.schedule = {
    discoverEvery: '10m',
    discoverMin: '10m',
    discoverMax: '10m',
    ladder: ['10m'],
    confirmGone: 2,
    confirmAfter: '1m',
  };
  // Backoffs of a real deployment: a failing host is retried after minutes, not the simulator's 200 ms.
  for (const p of ['weibo', 'netease']) raw.platforms[p].backoff = { base: '1m', max: '10m' };
  raw.watches = [{ id: 'mine', name: 'My topic', ...watch }];
  const config = parseConfig(raw, '<test>');
  const { store, platforms, engine } = engineOnClock(config, clock);
  beforeTempRemoval(async () => {
    await platforms.close();
    store.close();
    await sim.stop();
  });
  return {
    store,
    clock,
    engine,
    until: (ms) => engine.run({ until: START + ms, advanceClock: (t) => clock.advanceTo(t) }),
  };
}

const problemEvents = (store: Store): EventRow[] =>
  store.listEvents().filter((e) => e.type === 'watch.problem');

describe('watch problems against the simulator', () => {
  it('tells each configured item that cannot work once, when its rule is met, and lists them as open', async () => {
    const run = await start({
      weibo: { keywords: ['quick-topic', '绝对没有这个词语'], accounts: ['国际观察员小李'], posts: [] },
      netease: { keywords: [], accounts: ['从未有过的网易号'], articles: [] },
    });
    await run.until(65 * MIN);
    const events = problemEvents(run.store);
    expect(events.map((e) => [e.platform, e.detail.problem, e.detail.query, e.watchId])).toEqual(
      expect.arrayContaining([
        ['weibo', 'account_unresolved', '国际观察员小李', 'mine'],
        ['netease', 'account_unresolved', '从未有过的网易号', 'mine'],
        ['weibo', 'keyword_empty', '绝对没有这个词语', 'mine'],
      ]),
    );
    // One event per onset, not per round; the keyword that finds posts has none.
    expect(events).toHaveLength(3);

    const byKind = new Map(events.map((e) => [e.detail.problem as string, e]));
    // Unresolved accounts open on their first round; an empty keyword once 3 rounds span 30 minutes.
    expect(byKind.get('account_unresolved')!.at).toBe(START);
    expect(String(byKind.get('account_unresolved')!.detail.hint)).toMatch(/uid|home page/);
    const empty = byKind.get('keyword_empty')!;
    expect(empty.keyword).toBe('绝对没有这个词语');
    expect(empty.detail.since).toBe(START);
    expect(empty.at).toBe(START + 30 * MIN);
    expect(empty.detail.count).toBe(4);
    // An unresolved account is looked up once per discovery interval, not after every backoff.
    const rounds = rawSql(run.store).query<{ n: number }>(
      `SELECT COUNT(*) AS n FROM search_observations so JOIN sources s ON s.id = so.source_id
       WHERE s.mode = 'account' AND s.platform = 'netease'`,
    )[0]!.n;
    expect(rounds).toBe(7);

    const open = new ProblemStore(run.store).open();
    expect(open.map((p) => p.kind).sort()).toEqual([
      'account_unresolved',
      'account_unresolved',
      'keyword_empty',
    ]);
    expect(open.every((p) => p.watches.join() === 'mine')).toBe(true);
    const text = renderProblems(gatherProblems(run.store));
    expect(text).toContain('watch problems (3 open):');
    expect(text).toContain(
      'weibo keyword "绝对没有这个词语" returned nothing in 7 rounds, since 2024-01-10T02:00:00.000Z',
    );
    expect(text).toContain('screen names are not resolved');
    expect(text).not.toContain('quick-topic');

    // Another half hour of the same: still three events.
    await run.until(95 * MIN);
    expect(problemEvents(run.store)).toHaveLength(3);
  });

  it('tells a configured article URL whose checks never reach it, once', async () => {
    const run = await start(
      { netease: { keywords: [], accounts: [], articles: [FAILING_ARTICLE] } },
      undefined,
      { 'www.163.com': CLOSED },
    );
    await run.until(45 * MIN);
    const events = problemEvents(run.store);
    expect(events.map((e) => [e.detail.problem, e.nativeId, e.detail.lastOutcome])).toEqual([
      ['url_failing', 'I1ZZZZZZ000189Q7', 'network_error'],
    ]);
    const e = events[0]!;
    expect(e.at - (e.detail.since as number)).toBeGreaterThanOrEqual(30 * MIN);
    expect(e.detail.count).toBeGreaterThanOrEqual(5);
    const open = new ProblemStore(run.store).open();
    expect(open.map((p) => [p.kind, p.subject, p.watches])).toEqual([['url_failing', 'url', ['mine']]]);
  });

  it('tells a login wall after two rounds that hit it', async () => {
    const run = await start(
      { weibo: { keywords: ['quick-topic'], accounts: [], posts: [] } },
      { requireLogin: true },
    );
    await run.until(25 * MIN);
    const events = problemEvents(run.store);
    expect(events.map((e) => [e.detail.problem, e.keyword, e.detail.count])).toEqual([
      ['login_wall', 'quick-topic', 2],
    ]);
    // The second round comes after the platform's backoff (1 minute), not the discovery interval.
    expect(events[0]!.at).toBe(START + MIN);
    expect(String(events[0]!.detail.hint)).toContain('censorwatch login');
  });
});

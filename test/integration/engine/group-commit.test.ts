import pino from 'pino';
import { parseConfig } from '../../../src/config';
import { ManualClock } from '../../../src/domain/clock';
import type { Observation } from '../../../src/domain/glossary';
import { BudgetGate } from '../../../src/engine/budget-gate';
import { LocalHostHealth } from '../../../src/engine/host-health';
import { ResultRecorder } from '../../../src/engine/result-recorder';
import { Scheduler } from '../../../src/engine/scheduler';
import type { Store } from '../../../src/store/store';
import { verifyStore } from '../../../src/store/verify';
import type { WorkItem, WorkResult } from '../../../src/engine/work';
import { rawSql } from '../../helpers/sql';
import { tempDatabase } from '../../helpers/temp-db';

const MIN = 60_000;
const T0 = Date.UTC(2024, 0, 10, 2, 0, 0);
const MIDS = [
  '4383000000000011',
  '4383000000000012',
  '4383000000000013',
  '4383000000000014',
  '4383000000000015',
];
const ENDPOINT = 'm.statuses.show';

const urlOf = (mid: string): string => `https://m.weibo.cn/statuses/show?id=${mid}`;

/** An alive answer for a post, with one exchange whose Date header is the observation's time. */
function alive(mid: string, at: number): Observation {
  const url = urlOf(mid);
  const body = Buffer.from(JSON.stringify({ ok: 1, data: { id: mid, text: `post ${mid}` } }));
  return {
    target: { platform: 'weibo', kind: 'post', id: mid },
    at,
    endpoint: ENDPOINT,
    outcome: 'alive',
    url,
    content: {
      html: `post ${mid}`,
      text: `post ${mid}`,
      author: { id: 'a1', name: 'name-a1' },
      createdAt: new Date(T0 - MIN).toISOString(),
      counts: { reposts: null, comments: null, likes: null },
      media: [],
      repostOf: null,
      editCount: null,
    },
    evidence: {
      url,
      finalUrl: url,
      status: 200,
      contentType: 'application/json',
      body,
      exchanges: [
        {
          method: 'GET',
          url,
          requestHeaders: [['accept', 'application/json']],
          status: 200,
          responseHeaders: [
            ['date', new Date(at - (at % 1000)).toUTCString()],
            ['content-type', 'application/json'],
          ],
          body,
        },
      ],
    },
  } as Observation;
}

function setUp() {
  const { store, file } = tempDatabase('censorwatch-group-commit-');
  const config = parseConfig(
    {
      database: file,
      platforms: { weibo: { budget: 1000 } },
      schedule: { ladder: ['1m'], jitter: 0 },
      watches: [{ id: 'w', name: 'w', weibo: { posts: MIDS } }],
    },
    '<test>',
  );
  const clock = new ManualClock(T0);
  const logger = pino({ level: 'silent' });
  const health = new LocalHostHealth((p) => config.platforms[p].backoff);
  const budget = new BudgetGate(config, store, clock.now());
  const scheduler = new Scheduler({ config, store, clock, logger, health, budget });
  const announced: string[] = [];
  const results = new ResultRecorder({
    config,
    store,
    clock,
    logger,
    health,
    budget,
    onResult: (r) => announced.push(r.item.key),
  });
  results.sync(
    MIDS.map((mid) => ({ ref: { platform: 'weibo', kind: 'post', id: mid }, url: urlOf(mid), watchId: 'w' })),
  );
  const sql = rawSql(store);
  const observationsOf = (mid: string): number =>
    sql.query<{ n: number }>(
      `SELECT COUNT(*) AS n FROM observations o JOIN targets t ON t.id = o.target_id WHERE t.native_id = ?`,
      mid,
    )[0]!.n;
  /** Every due post taken (leased and admitted now) and answered alive at `at`. */
  const answered = (at: number): { item: WorkItem; result: WorkResult }[] =>
    scheduler.take(MIDS.length).map((item) => {
      if (item.type !== 'check') throw new Error('a check was expected');
      return { item, result: { type: 'check', item, observations: [alive(item.target.id, at)] } };
    });
  const failed: string[] = [];
  /** As the pool takes a failed item: noted, and due again at once. */
  const fail = (item: WorkItem): void => {
    failed.push(item.key);
    scheduler.defer(item, clock.now());
  };
  return { store, clock, budget, results, announced, sql, observationsOf, answered, failed, fail };
}

/** Makes the recorder throw, after its writes, on the check of `mid`. */
function failOn(results: ResultRecorder, mid: string): jest.SpyInstance {
  const check = results.recorder.check.bind(results.recorder);
  return jest.spyOn(results.recorder, 'check').mockImplementation((checked, observations, ctx) => {
    const events = check(checked, observations, ctx);
    if (checked.row.id === mid) throw new Error(`recording ${mid} fails`);
    return events;
  });
}

/** The log and the captures check, the log holding `entries` entries. */
function expectIntact(store: Store, entries: number): void {
  const report = verifyStore(store);
  expect(report.problems).toEqual([]);
  expect(report.firstBroken).toBeNull();
  expect(report.entries).toBe(entries);
}

describe('group commit', () => {
  it('keeps the other results of a group in which the third throws, and rolls the third back alone', () => {
    const { store, clock, budget, results, announced, sql, observationsOf, answered, failed, fail } = setUp();
    const third = MIDS[2]!;
    // Admitted now, recorded in a later minute: the stored spending is the admission's minute.
    const batch = answered(T0);
    clock.advanceTo(T0 + 5 * MIN);
    const spy = failOn(results, third);
    results.applyAll(batch, fail);
    spy.mockRestore();

    expect(failed).toEqual([batch[2]!.item.key]);
    expect(MIDS.map(observationsOf)).toEqual([1, 1, 0, 1, 1]);
    // Each kept result announced once, after it was recorded; the failed one not at all.
    expect(announced).toEqual(batch.filter((_, i) => i !== 2).map((b) => b.item.key));
    expect(results.counters.checks).toBe(4);
    // The endpoint's health heard each of the five answers once, not once more for the replay.
    expect(results.parsing.note(ENDPOINT, 'alive')?.answers).toBe(6);
    // Every kept result was settled where it had been admitted, none counted twice.
    const spent = sql.query<{ minute: number; requests: number }>(
      `SELECT minute, requests FROM budget_spend`,
    );
    expect(spent).toEqual([{ minute: T0, requests: 4 }]);
    for (const b of batch) expect(budget.budget.isOpen(b.item.key)).toBe(false);
    // The log holds the four kept observations, chained without a gap.
    expectIntact(store, 4);

    // What the store keeps in memory follows what was kept: the next group records all five.
    clock.advanceTo(T0 + 7 * MIN);
    const next = answered(T0 + 7 * MIN);
    expect(next.map((b) => (b.item.type === 'check' ? b.item.target.id : '')).sort()).toEqual(MIDS);
    results.applyAll(next, fail);
    expect(failed).toHaveLength(1);
    expect(MIDS.map(observationsOf)).toEqual([2, 2, 1, 2, 2]);
    expectIntact(store, 9);
  });

  it('records a group without a failure in one piece, announcing each result once', () => {
    const { store, results, announced, observationsOf, answered, failed, fail } = setUp();
    const batch = answered(T0);
    results.applyAll(batch, fail);
    expect(failed).toEqual([]);
    expect(announced).toEqual(batch.map((b) => b.item.key));
    expect(MIDS.map(observationsOf)).toEqual([1, 1, 1, 1, 1]);
    expect(results.counters.checks).toBe(5);
    expectIntact(store, 5);
  });
});

import { gatherStatus, renderStatus } from '../../../src/cli/status';
import { parseConfig } from '../../../src/config';
import { SourceCadenceStore } from '../../../src/store/cadence';
import { tempDatabase } from '../../helpers/temp-db';

const MIN = 60_000;
const T0 = Date.UTC(2026, 11, 1, 8);

describe('status: where discovery requests go', () => {
  it("shows each keyword's and account's adaptive interval, its last round and what it brought", () => {
    const { store, file } = tempDatabase();
    const config = parseConfig(
      {
        database: file,
        schedule: { discoverEvery: '10m', discoverMin: '2m', discoverMax: '1h' },
        watches: [
          {
            id: 'w',
            name: 'W',
            weibo: { keywords: ['busy', 'quiet'], accounts: ['1234567890'] },
          },
        ],
      },
      'test.yaml',
      {},
    );
    store.syncWatches(
      config.watches,
      [
        { watchId: 'w', platform: 'weibo', mode: 'keyword', query: 'busy' },
        { watchId: 'w', platform: 'weibo', mode: 'keyword', query: 'quiet' },
        { watchId: 'w', platform: 'weibo', mode: 'account', query: '1234567890' },
      ],
      T0,
    );
    const [busy, quiet] = store.listSources('w');
    const cadence = new SourceCadenceStore(store);
    // What the recorder writes as it finishes a round: the busy keyword sped up, the quiet one slowed.
    cadence.set(busy!.id, { intervalMs: 5 * MIN, lastNew: 4, updatedAt: T0 + MIN });
    store.finishSource(busy!.id, T0 + MIN, T0 + 6 * MIN);
    cadence.set(quiet!.id, { intervalMs: 15 * MIN, lastNew: 0, updatedAt: T0 + 2 * MIN });
    store.finishSource(quiet!.id, T0 + 2 * MIN, T0 + 17 * MIN);

    const status = gatherStatus(config, store, T0 + 3 * MIN);
    expect(status.discovery).toEqual({ everyMs: 10 * MIN, minMs: 2 * MIN, maxMs: 60 * MIN });
    expect(
      status.watches[0]!.keywords.map(({ query, discoveryIntervalMs, lastRound, nextRunAt }) => ({
        query,
        discoveryIntervalMs,
        lastRound,
        nextRunAt,
      })),
    ).toEqual([
      {
        query: 'keyword:busy',
        discoveryIntervalMs: 5 * MIN,
        lastRound: { at: '2026-12-01T08:01:00.000Z', newPosts: 4 },
        nextRunAt: '2026-12-01T08:06:00.000Z',
      },
      {
        query: 'keyword:quiet',
        discoveryIntervalMs: 15 * MIN,
        lastRound: { at: '2026-12-01T08:02:00.000Z', newPosts: 0 },
        nextRunAt: '2026-12-01T08:17:00.000Z',
      },
      // Not run yet: it starts at discoverEvery.
      {
        query: 'account:1234567890',
        discoveryIntervalMs: 10 * MIN,
        lastRound: null,
        nextRunAt: '2026-12-01T08:00:00.000Z',
      },
    ]);

    const text = renderStatus(status);
    expect(text).toContain(
      'discovery: each keyword and account starts every 10 min, then adapts between 2 min and 1 h to how often',
    );
    expect(text).toContain(
      '  weibo keyword:busy: not run yet, last run 2026-12-01T08:01:00.000Z\n' +
        '    every 5 min; last round 2026-12-01T08:01:00.000Z brought 4 new; next 2026-12-01T08:06:00.000Z\n',
    );
    expect(text).toContain('    every 15 min; last round 2026-12-01T08:02:00.000Z brought 0 new;');
    expect(text).toContain(
      '  weibo account:1234567890: not run yet\n    every 10 min; next 2026-12-01T08:00:00.000Z\n',
    );
  });

  it('equal discoverMin and discoverMax are a fixed interval, not "adapts between 1 min and 1 min"', () => {
    const { store, file } = tempDatabase();
    const config = parseConfig(
      {
        database: file,
        schedule: { discoverEvery: '1m', discoverMin: '1m', discoverMax: '1m' },
        watches: [{ id: 'w', weibo: { keywords: ['x'] } }],
      },
      'test.yaml',
      {},
    );
    const text = renderStatus(gatherStatus(config, store, T0));
    expect(text).toContain(
      'discovery: each keyword and account runs every 1 min (schedule.discoverMin and discoverMax are equal: it does not adapt)\n',
    );
    expect(text).not.toContain('adapts between');
  });
});

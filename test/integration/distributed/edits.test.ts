import { join } from 'node:path';
import { parseConfig } from '../../../src/config/load';
import type { Config } from '../../../src/config/types';
import { createEngine } from '../../../src/cli/compose';
import { ManualClock } from '../../../src/domain/clock';
import type { Observation } from '../../../src/domain/glossary';
import { RecorderRole, connectRedis, type Queues } from '../../../src/engine/distributed';
import type { WorkResult } from '../../../src/engine/work';
import { databaseIdentity } from '../../../src/store/identity';
import { Store } from '../../../src/store/store';
import { guardAgainstLeaks } from '../../helpers/leak-guard';
import {
  cleanupDirs,
  obliterate,
  restartableRedis,
  scratchDir,
  silent,
  sleep,
  uniquePrefix,
  withQueues,
  type RestartableRedis,
} from './helpers';

guardAgainstLeaks();

/**
 * A post in two watches, the second finding it later, then edited: the edit is one `post.edited`
 * row for each watch the post is in, once, whatever the order its observations are recorded in and
 * whatever Redis loses or delivers twice in between. Results are built here (what a fetcher would
 * hand over), so each case is exact; the recording is the real one, embedded and distributed.
 */
const T0 = Date.UTC(2024, 0, 10, 2, 0, 0);
const SEC = 1000;
const MID = '4900000000000042';
const REF = { platform: 'weibo', kind: 'post', id: MID } as const;
const V1 = '联合国决议投票结果公布。';
const V2 = '联合国决议投票结果公布。（已修改措辞）';

afterAll(() => cleanupDirs());

function configFor(database: string, queue?: { redis: string; prefix: string }): Config {
  return parseConfig(
    {
      database,
      watches: [
        { id: 'first', name: 'First', weibo: { keywords: ['决议'] } },
        { id: 'second', name: 'Second', weibo: { keywords: ['投票'] } },
      ],
      ...(queue ? { queue } : {}),
    },
    '<test>',
    {},
  );
}

/** The post alive with `text`, as a search listing or a direct check shows it. */
function alive(at: number, text: string, endpoint: string): Observation {
  return {
    target: REF,
    at,
    endpoint,
    outcome: 'alive',
    url: `https://m.weibo.cn/detail/${MID}`,
    content: {
      html: text,
      text,
      author: { id: '6548090242', name: '测试账号' },
      createdAt: new Date(T0).toISOString(),
      counts: { reposts: 0, comments: 0, likes: 0 },
      media: [],
      repostOf: null,
      editCount: null,
    },
  };
}

/** What a fetcher hands over: built from the store's state now, with the keys the scheduler gives. */
class Results {
  constructor(private readonly store: Store) {}

  /** A search round of `watch`'s keyword that lists the post with `text`. */
  discover(watch: string, at: number, text: string): WorkResult {
    const source = this.store.listSources(watch)[0]!;
    return {
      type: 'discover',
      item: {
        type: 'discover',
        key: `d-${source.id}-${at}`,
        sourceId: source.id,
        platform: 'weibo',
        mode: source.mode,
        query: source.query,
        maxPages: 1,
      },
      pages: [
        {
          cursor: null,
          at,
          listing: { outcome: 'results', observations: [alive(at, text, 'm.search')], nextCursor: null },
        },
      ],
    };
  }

  /** The post's due check, keyed as the scheduler keys it (one key per observation count). */
  check(at: number, text: string): Extract<WorkResult, { type: 'check' }> {
    const t = this.store.listTargets().find((x) => x.id === MID)!;
    return {
      type: 'check',
      item: { type: 'check', key: `c-${t.rowId}-${t.state.observations}`, rowId: t.rowId, target: REF },
      observations: [alive(at, text, 'm.statuses.show')],
    };
  }
}

/** The post's events as `type watch`, plus each edit's texts, in the order recorded. */
function postEvents(database: string): string[] {
  const store = Store.open(database, { readonly: true });
  try {
    return store
      .listEvents()
      .filter((e) => e.nativeId === MID)
      .map((e) =>
        e.type === 'post.edited'
          ? `${e.type} ${e.watchId} ${String(e.detail.before)} -> ${String(e.detail.after)}`
          : `${e.type} ${e.watchId}`,
      );
  } finally {
    store.close();
  }
}

/** The story both modes must record, in either order of the second watch's listing and the edit. */
const STORY = [
  'post.discovered first',
  'post.discovered second',
  `post.edited first ${V1} -> ${V2}`,
  `post.edited second ${V1} -> ${V2}`,
];

describe('embedded: a post joins a second watch, then is edited', () => {
  function embedded(): { store: Store; database: string; apply(r: WorkResult): void; results: Results } {
    const database = join(scratchDir(), 'embedded.db');
    const config = configFor(database);
    const store = Store.open(database);
    const clock = new ManualClock(T0);
    const engine = createEngine({ config, store, adapters: {}, clock, logger: silent });
    engine.sync();
    return {
      store,
      database,
      results: new Results(store),
      apply: (r) => {
        clock.advanceTo(r.type === 'check' ? r.observations[0]!.at : r.pages[0]!.at);
        engine.results.apply(r);
      },
    };
  }

  it('in the order seen: one edit row for each watch', () => {
    const e = embedded();
    try {
      e.apply(e.results.discover('first', T0 + 1 * SEC, V1));
      e.apply(e.results.check(T0 + 2 * SEC, V1));
      e.apply(e.results.discover('second', T0 + 3 * SEC, V1));
      e.apply(e.results.check(T0 + 4 * SEC, V2));
      // A delivery of the edit's result again writes nothing.
      const again = e.results.check(T0 + 4 * SEC, V2);
      e.apply({ ...again, item: { ...again.item, key: `c-${again.item.rowId}-3` } });
    } finally {
      e.store.close();
    }
    expect(postEvents(e.database).sort()).toEqual(STORY);
  });

  it('the second watch listing recorded after a later check saw the edit: no edit back to the older text', () => {
    const e = embedded();
    try {
      e.apply(e.results.discover('first', T0 + 1 * SEC, V1));
      e.apply(e.results.check(T0 + 2 * SEC, V1));
      // Fetched at 3 s, its pages done only after the check fetched at 4 s was recorded.
      const listing = e.results.discover('second', T0 + 3 * SEC, V1);
      e.apply(e.results.check(T0 + 4 * SEC, V2));
      e.apply(listing);
      e.apply(e.results.check(T0 + 6 * SEC, V2));
    } finally {
      e.store.close();
    }
    expect(postEvents(e.database).filter((l) => l.endsWith(`-> ${V1}`))).toEqual([]);
    expect(postEvents(e.database).sort()).toEqual(STORY);
  });
});

describe('distributed: Redis restarted between a fetch and its record', () => {
  let redis: RestartableRedis;
  beforeAll(async () => {
    redis = await restartableRedis();
  });
  afterAll(() => redis.stop());

  it('the edit seen after the join is recorded once for each watch: the lost result is fetched again, and the late copy of it is skipped', async () => {
    const prefix = uniquePrefix();
    const database = join(scratchDir(), 'distributed.db');
    const config = configFor(database, { redis: redis.url, prefix });
    const store = Store.open(database);
    const clock = new ManualClock(T0);
    const engine = createEngine({ config, store, adapters: {}, clock, logger: silent });
    engine.sync();
    const results = new Results(store);
    const db = databaseIdentity(store)!.id;
    const worker = connectRedis(redis.url, 'worker', silent);
    let role: RecorderRole | null = null;
    const startRole = async (q: Queues): Promise<RecorderRole> => {
      const r = new RecorderRole({
        queues: q,
        connection: worker,
        results: engine.results,
        scheduler: engine.scheduler,
        store,
        clock,
        logger: silent,
      });
      await r.start();
      return r;
    };
    /** Hands a result to the recorder through Redis and waits until it is applied. */
    const record = async (q: Queues, r: WorkResult): Promise<void> => {
      clock.advanceTo(r.type === 'check' ? r.observations[0]!.at : r.pages[0]!.at);
      await q.pushResult(db, r);
      const until = Date.now() + 60_000;
      while (!role!.isApplied(r.item.key)) {
        if (Date.now() > until) throw new Error(`${r.item.key} not applied within 60 s`);
        await sleep(50);
      }
    };
    try {
      await worker.ready();
      await withQueues(redis.url, prefix, async (q) => {
        role = await startRole(q);
        await record(q, results.discover('first', T0 + 1 * SEC, V1));
        await record(q, results.check(T0 + 2 * SEC, V1));
        await record(q, results.discover('second', T0 + 3 * SEC, V1));

        // The edit's check is fetched; the recorder is down, and Redis restarts (no persistence)
        // with the result still queued: it is gone.
        const fetched = results.check(T0 + 4 * SEC, V2);
        await role.drain();
        role = null;
        await q.pushResult(db, fetched);
        await redis.restart();
        expect(await q.counts().then((c) => c.record?.waiting ?? 0)).toBe(0);

        // The scheduler enqueues the same key again (SQLite still has the target at that count);
        // a fetcher checks again, after the edit too.
        role = await startRole(q);
        const again = results.check(T0 + 5 * SEC, V2);
        expect(again.item.key).toBe(fetched.item.key);
        await record(q, again);
        // The first fetcher's copy, delivered late, is the same key: applied already, skipped whole.
        await q.pushResult(db, fetched);
        await sleep(200);
        await record(q, results.check(T0 + 7 * SEC, V2));
        await role.drain();
        role = null;
      });
    } finally {
      await (role as RecorderRole | null)?.force('test over');
      await worker.close();
      store.close();
      await obliterate(redis.url, prefix).catch(() => undefined);
    }
    expect(postEvents(database).sort()).toEqual(STORY);
  });
});

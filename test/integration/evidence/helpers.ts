import { rmSync } from 'node:fs';
import pino from 'pino';
import type { Content, Evidence, Observation, TargetRef } from '../../../src/domain/glossary';
import { Recorder } from '../../../src/engine/recorder';
import type { Store } from '../../../src/store/store';
import { tempDatabase } from '../../helpers/temp-db';

export const MIN = 60_000;
export const T0 = Date.UTC(2023, 3, 27, 2, 0, 0);
export const SCHEDULE = {
  discoverEvery: 10 * MIN,
  ladder: [2 * MIN, 10 * MIN],
  confirmGone: 2,
  confirmAfter: MIN,
  jitter: 0,
};
export const REMOVED = '该微博因被多人投诉，根据《微博社区公约》，已被删除。';

/** A fresh SQLite file in a temp dir; `cleanup` closes the store and deletes the dir. */
export function tempDb(prefix = 'censorwatch-evidence-'): {
  dir: string;
  file: string;
  store: Store;
  recorder: Recorder;
  cleanup: () => void;
} {
  const { store, file, dir } = tempDatabase(prefix);
  const recorder = new Recorder(store, SCHEDULE, pino({ level: 'silent' }), () => 0.5);
  return {
    dir,
    file,
    store,
    recorder,
    cleanup: () => {
      try {
        store.close();
      } catch {
        // already closed by the test
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function content(text: string): Content {
  return {
    html: text,
    text,
    author: { id: '6548090242', name: '国际观察员小李' },
    createdAt: new Date(T0 - MIN).toISOString(),
    counts: { reposts: 0, comments: 0, likes: 0 },
    media: [],
    repostOf: null,
    editCount: 0,
  };
}

/** Raw evidence as an adapter hands it over: a JSON body from m.weibo.cn's statuses/show. */
export function jsonEvidence(id: string, json: unknown, status = 200): Evidence {
  const url = `https://m.weibo.cn/statuses/show?id=${id}`;
  const body = Buffer.from(JSON.stringify(json), 'utf8');
  const contentType = 'application/json; charset=utf-8';
  return {
    url,
    finalUrl: url,
    status,
    contentType,
    body,
    exchanges: [
      {
        method: 'GET',
        url,
        requestHeaders: [
          ['host', 'm.weibo.cn'],
          ['accept', 'application/json'],
        ],
        status,
        responseHeaders: [['content-type', contentType]],
        body,
      },
    ],
  };
}

export function ref(id: string): TargetRef {
  return { platform: 'weibo', kind: 'post', id };
}

export const alive = (id: string, at: number, text: string): Observation => ({
  target: ref(id),
  at,
  endpoint: 'm.statuses.show',
  outcome: 'alive',
  content: content(text),
  url: `https://m.weibo.cn/detail/${id}`,
  evidence: jsonEvidence(id, { ok: 1, data: { id, text } }),
});

export const removed = (id: string, at: number): Observation => ({
  target: ref(id),
  at,
  endpoint: 'm.statuses.show',
  outcome: 'removed_by_platform',
  message: REMOVED,
  url: `https://m.weibo.cn/detail/${id}`,
  evidence: jsonEvidence(id, { ok: 0, msg: REMOVED }),
});

/** Checks one target through the recorder, creating it first. */
export function check(store: Store, recorder: Recorder, obs: Observation, watch = 'un-vote-2023'): void {
  store.syncWatches([{ id: watch, name: watch }], [], obs.at);
  const row =
    store.findTarget(obs.target) ??
    store.ensureTarget(obs.target, obs.url ?? '', [watch], 'post', obs.at, obs.at).row;
  recorder.recordCheck(row, [obs], {});
}

export const POSTS = ['4895000000000011', '4895000000000022', '4895000000000033'] as const;

/**
 * Three posts interleaved in time: one stays alive (checked twice unchanged), one is edited, one
 * is removed by the platform (two gone observations after alive ones).
 */
export function recordStory(store: Store, recorder: Recorder): void {
  const [a, b, c] = POSTS;
  check(store, recorder, alive(a, T0, '联合国大会表决'));
  check(store, recorder, alive(b, T0 + 1000, '欧洲委员会决议草案'));
  check(store, recorder, alive(c, T0 + 2000, '中国代表团投票'));
  check(store, recorder, alive(a, T0 + 2 * MIN, '联合国大会表决'));
  check(store, recorder, alive(b, T0 + 2 * MIN + 1000, '欧洲委员会决议草案（已修改）'));
  check(store, recorder, removed(c, T0 + 2 * MIN + 2000));
  check(store, recorder, removed(c, T0 + 4 * MIN + 2000));
  check(store, recorder, alive(a, T0 + 10 * MIN, '联合国大会表决'));
}

import * as fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';
import { Webhook } from 'standardwebhooks';
import type { WebhookConfig } from '../../../src/config/types';
import { createRootLogger } from '../../../src/logger';
import { generateSecret } from '../../../src/alerts/sign';
import { Store } from '../../../src/store/store';

/** One request as the receiver saw it, with the verdict of the independent `standardwebhooks` verifier. */
export interface Received {
  readonly id: string;
  readonly timestamp: string;
  readonly signature: string;
  readonly body: string;
  readonly headers: http.IncomingHttpHeaders;
  /** Null when the signature and timestamp verified; otherwise the verifier's message. */
  readonly rejected: string | null;
  /** The verified, parsed payload (undefined when rejected). */
  readonly payload: unknown;
}

/** How the receiver answers a verified request: a status, or `hold` to never answer. */
export type Reply = { status: number; headers?: Record<string, string> } | 'hold';

/**
 * A webhook receiver on 127.0.0.1, port 0, that verifies every request with `standardwebhooks`
 * (rejecting with 400 what fails) and, like a well-behaved receiver, processes each `webhook-id`
 * once.
 */
export interface Receiver {
  readonly url: string;
  readonly secret: string;
  readonly received: Received[];
  /** Ids processed (verified and seen for the first time), in order. */
  readonly processed: string[];
  /** Decides the answer to the n-th verified request (0-based); default 200. */
  reply: (n: number, r: Received) => Reply;
  /** Resolves when the receiver has seen `n` requests. */
  waitFor(n: number): Promise<void>;
  close(): Promise<void>;
}

const open: Receiver[] = [];

/** Starts a receiver; {@link closeReceivers} closes it. */
export async function startReceiver(secret: string = generateSecret(), urlPath = '/hook'): Promise<Receiver> {
  const verifier = new Webhook(secret);
  const received: Received[] = [];
  const processed: string[] = [];
  let verified = 0;
  const waiters: { n: number; resolve: () => void }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const h = (k: string): string => String(req.headers[k] ?? '');
      let rejected: string | null = null;
      let payload: unknown;
      try {
        payload = verifier.verify(body, {
          'webhook-id': h('webhook-id'),
          'webhook-timestamp': h('webhook-timestamp'),
          'webhook-signature': h('webhook-signature'),
        });
      } catch (err) {
        rejected = (err as Error).message;
      }
      const r: Received = {
        id: h('webhook-id'),
        timestamp: h('webhook-timestamp'),
        signature: h('webhook-signature'),
        body,
        headers: req.headers,
        rejected,
        payload,
      };
      received.push(r);
      for (const w of waiters.filter((x) => received.length >= x.n)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
      if (rejected !== null) {
        res.writeHead(400).end(rejected);
        return;
      }
      if (!processed.includes(r.id)) processed.push(r.id);
      const reply = receiver.reply(verified++, r);
      if (reply === 'hold') return;
      res.writeHead(reply.status, reply.headers ?? {}).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const receiver: Receiver = {
    url: `http://127.0.0.1:${port}${urlPath}`,
    secret,
    received,
    processed,
    reply: () => ({ status: 200 }),
    waitFor: (n) =>
      received.length >= n ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ n, resolve })),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  open.push(receiver);
  return receiver;
}

export async function closeReceivers(): Promise<void> {
  await Promise.all(open.splice(0).map((r) => r.close()));
}

const dirs: string[] = [];
const stores: Store[] = [];

/** A fresh SQLite file under the OS temp dir. */
export function tempDbFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'censorwatch-alerts-'));
  dirs.push(dir);
  return path.join(dir, 'censorwatch.db');
}

/** Opens a store that {@link cleanup} closes. */
export function openStore(file: string = tempDbFile()): Store {
  const store = Store.open(file);
  stores.push(store);
  return store;
}

/** Closes every store (twice is harmless) and removes the temp dirs. */
export function cleanup(): void {
  for (const s of stores.splice(0)) {
    try {
      s.close();
    } catch {
      // already closed by the test
    }
  }
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

/** A webhook config with the schema's defaults. */
export function webhook(over: Partial<WebhookConfig> & Pick<WebhookConfig, 'name' | 'url'>): WebhookConfig {
  return {
    secret: null,
    events: [],
    watches: [],
    format: 'standard',
    digest: null,
    timeout: 5_000,
    maxAttempts: 8,
    ...over,
  };
}

export const WATCH = 'un-vote-2023';
export const MID = '4383412345678901';

/**
 * A Weibo post seen alive at `t0`, then removed by the platform (two confirming observations), and
 * its `post.gone` event. Returns the event id.
 */
export function seedGonePost(store: Store, t0: number, mid: string = MID, watch: string = WATCH): number {
  store.syncWatches([{ id: watch, name: 'CCP vote on UN resolution A/77/L.65' }], [], t0);
  const ref = { platform: 'weibo' as const, kind: 'post' as const, id: mid };
  const { row } = store.ensureTarget(ref, `https://m.weibo.cn/detail/${mid}`, [watch], 'post', t0, t0);
  let chain = row.chain;
  const obs = (at: number, outcome: 'alive' | 'removed_by_platform', body: string): void => {
    chain = store.insertObservation(
      {
        targetRowId: row.rowId,
        at,
        endpoint: 'm.statuses.show',
        outcome,
        message: outcome === 'alive' ? null : '该微博因被多人投诉，根据《微博社区公约》，已被删除。',
        httpStatus: 200,
        url: `https://m.weibo.cn/statuses/show?id=${mid}`,
        finalUrl: null,
        contentHash: outcome === 'alive' ? 'c0ffee' : null,
        content: null,
        body: Buffer.from(body),
        keepBody: true,
        dedupeKey: null,
      },
      chain,
    )!;
  };
  const gone1 = t0 + 5 * 60_000;
  const gone2 = gone1 + 60_000;
  obs(t0, 'alive', '{"ok":1}');
  obs(gone1, 'removed_by_platform', '{"ok":0,"n":1}');
  obs(gone2, 'removed_by_platform', '{"ok":0,"n":2}');
  store.saveTargetState(
    row.rowId,
    {
      verdict: 'gone',
      cause: 'removed_by_platform',
      firstSeenAt: t0,
      lastAliveAt: t0,
      lastAliveHash: 'c0ffee',
      lastAliveText: '联合国 欧洲委员会 决议 投票',
      lastContentAt: t0,
      goneAt: gone1,
      finalStreak: 2,
      lastFinalAt: gone2,
      editCount: 0,
      observations: 3,
    },
    {
      chain,
      lastOutcome: 'removed_by_platform',
      lastCheckedAt: gone2,
      nextCheckAt: null,
      authorId: '1234',
      authorName: '某用户',
    },
  );
  return insertEvent(store, {
    type: 'post.gone',
    at: gone2,
    watchId: watch,
    targetRowId: row.rowId,
    nativeId: mid,
    cause: 'removed_by_platform',
    detail: { lastAliveAt: t0, goneAt: gone1, window: [t0, gone1], confirmations: 2 },
  });
}

let seq = 0;

/** Inserts an event with a unique dedupe key; returns its id. */
export function insertEvent(
  store: Store,
  e: {
    type: string;
    at: number;
    watchId?: string | null;
    targetRowId?: number | null;
    nativeId?: string | null;
    keyword?: string | null;
    cause?: 'removed_by_platform' | null;
    detail?: Record<string, unknown>;
  },
): number {
  const id = store.insertEvent({
    type: e.type,
    at: e.at,
    watchId: e.watchId === undefined ? WATCH : e.watchId,
    platform: 'weibo',
    targetRowId: e.targetRowId ?? null,
    nativeId: e.nativeId ?? null,
    keyword: e.keyword ?? null,
    cause: e.cause ?? null,
    detail: e.detail ?? {},
    dedupeKey: `test:${++seq}`,
  });
  if (id === null) throw new Error('event not inserted');
  return id;
}

/** A pino logger writing JSON lines to memory, with the process's redaction paths. */
export function memoryLogger(level: pino.Level = 'trace'): {
  logger: Logger;
  lines: string[];
  text: () => string;
} {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      cb();
    },
  });
  const logger = createRootLogger({ level, destination: stream });
  return { logger, lines, text: () => lines.join('\n') };
}

/** A logger that drops everything, for tests that do not look at logs. */
export const silent: Logger = pino({ level: 'silent' });

/** Deliveries rows of a webhook, in id order. */
export function deliveries(store: Store, webhookName?: string): Record<string, unknown>[] {
  return store.outbox.rows(webhookName || undefined);
}

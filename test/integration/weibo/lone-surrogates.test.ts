/**
 * A post cut mid-emoji: Weibo's JSON can carry half of a surrogate pair (`\ud83d` without its
 * low half) in a post's text, its author's name and a placeholder's notice. Checked twice through
 * the real pipeline (the embedded engine, its fetcher, the SQLite store) against a local server,
 * the post shows no edit, `verify` finds nothing altered, the evidence bundle's own check.py passes,
 * and the text read back is the text that was hashed: one well-formed string from the parser on.
 */
import { spawnSync, execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Platforms } from '../../../src/cli/compose';
import { parseConfig } from '../../../src/config';
import type { Config } from '../../../src/config/types';
import { ManualClock } from '../../../src/domain/clock';
import type { Content } from '../../../src/domain/glossary';
import { contentHash } from '../../../src/domain/hash';
import { buildBundle } from '../../../src/evidence/bundle';
import { exportTargets } from '../../../src/report/export';
import type { Store } from '../../../src/store/store';
import { verifyStore } from '../../../src/store/verify';
import { engineOnClock } from '../../helpers/engine';
import { guardAgainstLeaks } from '../../helpers/leak-guard';
import { tempDir } from '../../helpers/temp';
import { Sink } from '../report/helpers';

guardAgainstLeaks();
jest.setTimeout(120_000);

const START = Date.UTC(2024, 0, 10, 2, 0, 0);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** The live post, cut after the high half of 😀 (U+D83D U+DE00). */
const MID = '4990000000000101';
/** A repost of the removed original whose placeholder notice is cut the same way. */
const REPOST_MID = '4990000000000102';
const ORIGINAL_MID = '4990000000000103';
const TEXT = '联合国大会表决，结果出来了\ud83d';
const AUTHOR = '观察者\ud83d';
const NOTICE = '该微博因被多人投诉，根据《微博社区公约》，已被删除。\udc00';

const mblog = (mid: string, text: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  mid,
  id: mid,
  text,
  created_at: 'Wed Jan 10 09:00:00 +0800 2024',
  user: { id: 1669879400, screen_name: AUTHOR },
  reposts_count: 1,
  comments_count: 2,
  attitudes_count: 3,
  ...extra,
});

/** statuses/show answers as Weibo does; JSON.stringify writes a lone surrogate as its `\uXXXX` escape. */
function show(mid: string | null): string | null {
  if (mid === MID) return JSON.stringify({ ok: 1, data: mblog(MID, TEXT) });
  if (mid === REPOST_MID)
    return JSON.stringify({
      ok: 1,
      data: mblog(REPOST_MID, '转发微博', {
        retweeted_status: {
          mid: ORIGINAL_MID,
          id: ORIGINAL_MID,
          state: 8,
          deleted: '1',
          user: null,
          text: NOTICE,
        },
      }),
    });
  return null;
}

function startServer(): Promise<Server> {
  const server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const body = u.pathname === '/statuses/show' ? show(u.searchParams.get('id')) : null;
    if (body === null) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not here');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('a post whose text, author and notice hold a lone surrogate', () => {
  let server: Server;
  let dir: string;
  let store: Store;
  let platforms: Platforms;
  let config: Config;

  beforeAll(async () => {
    server = await startServer();
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    dir = tempDir('censorwatch-surrogates-');
    config = parseConfig(
      {
        database: join(dir, 'cw.db'),
        platforms: {
          weibo: {
            hosts: { 'm.weibo.cn': base, 'weibo.com': base, 'passport.weibo.com': base },
            minInterval: '0s',
          },
        },
        schedule: { ladder: ['2m', '5m'], confirmAfter: '1m' },
        watches: [{ id: 'cut', name: 'cut mid-emoji', weibo: { posts: [MID, REPOST_MID] } }],
      },
      '<test>',
    );
    const clock = new ManualClock(START);
    const built = engineOnClock(config, clock);
    ({ store, platforms } = built);
    const { engine } = built;
    // Long enough for each post's first check and two re-checks on the ladder.
    await engine.run({ until: START + 12 * MINUTE, advanceClock: (t) => clock.advanceTo(t) });
  });

  afterAll(async () => {
    await platforms?.close();
    store?.close();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  });

  const target = (id: string) => store.findTarget({ platform: 'weibo', kind: 'post', id })!;

  it('is checked more than once and never looks edited', () => {
    const t = target(MID);
    const alive = (store.observationsOf(t.rowId) as { outcome: string }[]).filter(
      (o) => o.outcome === 'alive',
    );
    expect(alive.length).toBeGreaterThanOrEqual(2);
    expect(t.state.verdict).toBe('alive');
    expect(t.state.editCount ?? 0).toBe(0);
    expect(store.listEvents().filter((e) => e.type === 'post.edited')).toEqual([]);
  });

  it('reads back the text it hashed, made well-formed', () => {
    const t = target(MID);
    const c = store.lastContent(t.rowId) as Content;
    expect(c.text).toBe('联合国大会表决，结果出来了\ufffd');
    expect(c.author?.name).toBe('观察者\ufffd');
    for (const o of store.observationsOf(t.rowId) as { content_hash: string | null }[])
      if (o.content_hash) expect(o.content_hash).toBe(contentHash(c));
  });

  it("keeps the placeholder's notice as the store reads it back", () => {
    const t = target(ORIGINAL_MID);
    // Each re-check of the repost reads its placeholder again; the original's own URL answers 404.
    const embedded = (
      store.observationsOf(t.rowId) as { endpoint: string; outcome: string; message: string }[]
    ).filter((o) => o.endpoint === 'm.repost-embed');
    expect(embedded.length).toBeGreaterThanOrEqual(2);
    for (const o of embedded) {
      expect(o.outcome).toBe('removed_by_platform');
      expect(o.message).toBe('该微博因被多人投诉，根据《微博社区公约》，已被删除。\ufffd');
    }
    expect(t.state.verdict).toBe('gone');
  });

  it('exports the text as stored', async () => {
    const sink = new Sink();
    await exportTargets(store, { format: 'jsonl' }, sink);
    const rows = sink
      .text()
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as { id: string; text: string | null; author: string | null; notice: string | null },
      );
    const post = rows.find((r) => r.id === MID)!;
    expect(post.text).toBe('联合国大会表决，结果出来了\ufffd');
    expect(post.author).toBe('观察者\ufffd');
  });

  it('passes verify', () => {
    const r = verifyStore(store);
    expect(r.problems).toEqual([]);
    expect(r.observations).toBeGreaterThanOrEqual(4);
  });

  it("passes the evidence bundle's check.py, for the post and for the removed original", async () => {
    for (const id of [MID, ORIGINAL_MID]) {
      const out = join(dir, `bundle-${id}`);
      const zip = join(dir, `${id}.zip`);
      const bundle = await buildBundle({
        store,
        target: { platform: 'weibo', kind: 'post', id },
        watches: config.watches,
        version: 'test',
        now: START + HOUR,
      });
      writeFileSync(zip, bundle.zip);
      execFileSync('unzip', ['-q', zip, '-d', out]);
      const r = spawnSync('python3', ['check.py'], { cwd: out, encoding: 'utf8', timeout: 60_000 });
      expect({ code: r.status, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    }
  });
});

/**
 * NetEase JSON cut mid-emoji: the comment API and `list.do` can carry half of a surrogate pair
 * (`\ud83d` alone) in a comment's text, its author's name and location, and a thread's or listed
 * article's title (an HTML page cannot: its bytes decode to U+FFFD at worst). A proxy in front of
 * the simulator cuts those fields in every JSON answer. Checked again and again through the real
 * pipeline, the article and its thread show no edit and no deleted comment, `verify` finds nothing
 * altered, and what is read back is what was hashed.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { request } from 'undici';
import type { Platforms } from '../../../src/cli/compose';
import { parseConfig } from '../../../src/config';
import { ManualClock } from '../../../src/domain/clock';
import type { Content } from '../../../src/domain/glossary';
import { contentHash, threadHash } from '../../../src/domain/hash';
import { buildScenario, Simulator, type SimNetease } from '../../../src/sim';
import type { Store } from '../../../src/store/store';
import { verifyStore } from '../../../src/store/verify';
import { engineOnClock } from '../../helpers/engine';
import { guardAgainstLeaks } from '../../helpers/leak-guard';
import { tempDir } from '../../helpers/temp';

guardAgainstLeaks();
jest.setTimeout(120_000);

const START = Date.UTC(2024, 0, 10, 2, 0, 0);
const MINUTE = 60_000;
const LONE = '\ud83d';
const DOCID = 'I1IPRUH00553SURR';
const TITLE = '联合国大会通过决议，中国投了赞成票';
/** The JSON fields the proxy cuts mid-emoji: comments' text, author and place, titles and sources. */
const CUT = new Set(['content', 'nickname', 'location', 'title', 'source']);

/** `v` with a lone high surrogate after every string under one of {@link CUT}'s keys. */
function cut(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(cut);
  if (typeof v !== 'object' || v === null) return v;
  return Object.fromEntries(
    Object.entries(v).map(([k, x]) => [k, CUT.has(k) && typeof x === 'string' ? x + LONE : cut(x)]),
  );
}

/** Forwards to the simulator; comment API answers come back with their comments cut. */
function startProxy(sim: string): Promise<Server> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const r = await request(`${sim}${req.url ?? '/'}`, {
        method: 'GET',
        headers: { accept: req.headers.accept ?? '*/*', host: req.headers.host ?? '' },
      });
      let body = Buffer.from(await r.body.arrayBuffer());
      const type = String(r.headers['content-type'] ?? '');
      if (r.statusCode === 200 && type.includes('json')) {
        body = Buffer.from(JSON.stringify(cut(JSON.parse(body.toString('utf8')))), 'utf8');
        expect(body.toString('latin1')).toContain('\\ud83d');
      }
      const headers: Record<string, string> = {};
      for (const [k, x] of Object.entries(r.headers))
        if (typeof x === 'string' && k !== 'content-length' && k !== 'transfer-encoding') headers[k] = x;
      res.writeHead(r.statusCode, headers).end(body);
    })().catch((err: Error) => res.writeHead(502).end(err.message));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('a NetEase article and thread whose title and comments hold a lone surrogate', () => {
  let sim: Simulator;
  let proxy: Server;
  let store: Store;
  let platforms: Platforms;

  beforeAll(async () => {
    const quick = buildScenario('quick', { start: START, seed: 7 });
    const account = quick.netease.accounts[0]!;
    const netease: SimNetease = {
      accounts: [account],
      articles: [
        {
          docid: DOCID,
          channel: 'dy',
          title: TITLE,
          paragraphs: ['4月26日，第77届联合国大会通过了决议。', '多家外国媒体报道了中国的赞成票。'],
          source: account.name,
          region: '浙江',
          createdAt: START - MINUTE,
          keywords: [],
          account: account.tid,
          comments: 4,
          commentSpread: 10_000,
        },
      ],
    };
    const clock = new ManualClock(START);
    sim = new Simulator({ clock, scenario: { ...quick, netease } });
    proxy = await startProxy(await sim.start(0));
    const base = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const hosts = Object.fromEntries(
      ['www.163.com', 'dy.163.com', 'comment.api.163.com'].map((h) => [h, base]),
    );
    const config = parseConfig(
      {
        database: join(tempDir('censorwatch-netease-surrogates-'), 'cw.db'),
        platforms: { netease: { hosts, minInterval: '0s' } },
        schedule: { ladder: ['2m', '5m'], discoverEvery: '3m', confirmAfter: '1m' },
        watches: [
          {
            id: 'cut',
            name: 'cut mid-emoji',
            netease: {
              accounts: [account.wemediaId],
              articles: [`https://www.163.com/dy/article/${DOCID}.html`],
              comments: true,
            },
          },
        ],
      },
      '<test>',
    );
    const built = engineOnClock(config, clock);
    ({ store, platforms } = built);
    const { engine } = built;
    await engine.run({ until: START + 15 * MINUTE, advanceClock: (t) => clock.advanceTo(t) });
  });

  afterAll(async () => {
    await platforms?.close();
    store?.close();
    await new Promise<void>((r) => (proxy ? proxy.close(() => r()) : r()));
    await sim?.stop();
  });

  const target = (kind: 'post' | 'thread') => store.findTarget({ platform: 'netease', kind, id: DOCID })!;
  type Row = { endpoint: string; outcome: string; content_hash: string | null };
  const alive = (kind: 'post' | 'thread'): Row[] =>
    (store.observationsOf(target(kind).rowId) as Row[]).filter((o) => o.outcome === 'alive');

  it('checks the article, its listing and its thread more than once, and sees no edit or deleted comment', () => {
    expect(alive('post').filter((o) => o.endpoint === 'netease.article').length).toBeGreaterThanOrEqual(2);
    expect(alive('post').filter((o) => o.endpoint !== 'netease.article').length).toBeGreaterThanOrEqual(1);
    expect(alive('thread').length).toBeGreaterThanOrEqual(2);
    const events = store.listEvents().map((e) => e.type);
    expect(events).toContain('post.discovered');
    expect(events.filter((t) => t === 'post.edited' || t === 'comment.gone')).toEqual([]);
    expect(target('post').state.editCount ?? 0).toBe(0);
    expect(target('thread').state.editCount ?? 0).toBe(0);
  });

  it('reads back the titles and comments it hashed, made well-formed', () => {
    const cutTitle = `${TITLE}\ufffd`;
    const rows = store.observationsOf(target('post').rowId) as (Row & { content: string | null })[];
    const listed = rows.filter((o) => o.endpoint === 'netease.list.do' && o.content !== null);
    expect(listed.length).toBeGreaterThanOrEqual(1);
    for (const o of listed) expect((JSON.parse(o.content!) as Content).title).toBe(cutTitle);
    const post = store.lastContent(target('post').rowId) as Content;
    expect(post.title).toBe(TITLE);
    for (const o of alive('post'))
      if (o.endpoint === 'netease.article') expect(o.content_hash).toBe(contentHash(post));

    const thread = target('thread');
    expect((store.lastContent(thread.rowId) as Content).title).toBe(cutTitle);
    const known = store.comments.known(thread.rowId);
    expect(known).toHaveLength(4);
    for (const c of known) {
      expect(c.text).toMatch(/[^\ufffd]\ufffd$/);
      if (c.author !== null) expect(c.author).toMatch(/[^\ufffd]\ufffd$/);
      expect(c.location).toMatch(/[^\ufffd]\ufffd$/);
    }
    // The thread's hash is of what the comments table now holds, newest first as listed.
    const items = [...known]
      .sort((a, b) => Number(b.id) - Number(a.id))
      .map((c) => ({
        id: c.id,
        text: c.text,
        author: c.author,
        location: c.location,
        createdAt: null,
        deleted: false,
      }));
    const hashes = new Set(alive('thread').map((o) => o.content_hash));
    expect(hashes.size).toBe(1);
    expect([...hashes][0]).toBe(
      threadHash({ items, complete: true, flags: store.comments.flags(thread.rowId) ?? {} }),
    );
  });

  it('passes verify', () => {
    const r = verifyStore(store);
    expect(r.problems).toEqual([]);
    expect(r.observations).toBeGreaterThanOrEqual(5);
  });
});

import { request } from 'undici';
import {
  Alerter,
  WebhookConfigError,
  digestMessageId,
  eventMessageId,
  listDeadLetters,
} from '../../../src/alerts/alerter';
import {
  shortTime,
  type DigestPayload,
  type EventPayload,
  type SlackMessage,
} from '../../../src/alerts/payload';
import { webhookHeaders } from '../../../src/alerts/sign';
import { ManualClock } from '../../../src/domain/clock';
import {
  MID,
  WATCH,
  cleanup,
  closeReceivers,
  deliveries,
  insertEvent,
  openStore,
  seedGonePost,
  silent,
  startReceiver,
  tempDbFile,
  webhook,
} from './helpers';

// standardwebhooks checks timestamps against the real clock, so the simulated one starts at real time.
const start = (): ManualClock => new ManualClock(Date.now());
const halfJitter = (): number => 0.5;

afterEach(async () => {
  await closeReceivers();
  cleanup();
});

describe('signed delivery', () => {
  test('a post.gone event reaches the receiver once, with a valid signature and the full payload', async () => {
    const rx = await startReceiver();
    const store = openStore();
    const clock = start();
    const eventId = seedGonePost(store, clock.now() - 10 * 60_000);
    const alerter = new Alerter({
      store,
      webhooks: [webhook({ name: 'lab', url: rx.url, secret: rx.secret })],
      clock,
      logger: silent,
    });

    expect(await alerter.poll()).toBe(1);
    expect(rx.received).toHaveLength(1);
    const r = rx.received[0]!;
    expect(r.rejected).toBeNull();
    expect(r.id).toBe(eventMessageId(eventId, 'lab'));
    expect(r.signature).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(r.headers['content-type']).toBe('application/json');

    const p = r.payload as EventPayload;
    expect(p.type).toBe('post.gone');
    expect(p.data.target).toMatchObject({
      platform: 'weibo',
      kind: 'post',
      id: MID,
      url: `https://m.weibo.cn/detail/${MID}`,
      author: { id: '1234', name: '某用户' },
      lastAliveText: '联合国 欧洲委员会 决议 投票',
    });
    expect(p.data.cause).toBe('removed_by_platform');
    expect(p.data.window?.lastAliveAt).not.toBeNull();
    expect(Date.parse(p.data.window!.goneAt!) - Date.parse(p.data.window!.lastAliveAt!)).toBe(5 * 60_000);
    expect(p.data.evidence).toHaveLength(3);
    for (const e of p.data.evidence) expect(e.bodyHash).toMatch(/^[0-9a-f]{64}$/);
    expect(p.data.summary).toMatch(
      new RegExp(`^weibo post ${MID} removed_by_platform \\(gone between .+\\) — watch ${WATCH}$`),
    );

    const row = deliveries(store, 'lab')[0]!;
    expect(row).toMatchObject({ state: 'delivered', attempts: 1, last_status: 200 });
    // Nothing new: a second poll sends nothing.
    expect(await alerter.poll()).toBe(0);
    expect(rx.received).toHaveLength(1);
  });

  test('webhooks get only the event types and watches they asked for', async () => {
    const rx = await startReceiver();
    const store = openStore();
    const clock = start();
    const t = clock.now();
    insertEvent(store, {
      type: 'post.discovered',
      at: t,
      watchId: 'w1',
      nativeId: '1',
      detail: { via: 'keyword:x' },
    });
    insertEvent(store, {
      type: 'post.gone',
      at: t,
      watchId: 'w1',
      nativeId: '2',
      cause: 'removed_by_platform',
    });
    insertEvent(store, {
      type: 'post.gone',
      at: t,
      watchId: 'w2',
      nativeId: '3',
      cause: 'removed_by_platform',
    });
    const alerter = new Alerter({
      store,
      webhooks: [
        webhook({
          name: 'narrow',
          url: `${rx.url}?h=narrow`,
          secret: rx.secret,
          events: ['post.gone'],
          watches: ['w1'],
        }),
        webhook({ name: 'all', url: `${rx.url}?h=all`, secret: rx.secret }),
      ],
      clock,
      logger: silent,
    });
    expect(await alerter.poll()).toBe(4);
    expect(rx.received.every((r) => r.rejected === null)).toBe(true);
    expect(deliveries(store, 'all')).toHaveLength(3);
    const narrow = deliveries(store, 'narrow');
    expect(narrow).toHaveLength(1);
    const got = rx.received.filter((r) => r.id === narrow[0]!.message_id);
    expect(got.map((r) => (r.payload as EventPayload).data.summary)).toEqual([
      `weibo post 2 removed_by_platform (gone by ${shortTime(t)}, never seen alive) — watch w1`,
    ]);
  });

  test('slack format sends signed Slack-compatible text blocks', async () => {
    const rx = await startReceiver();
    const store = openStore();
    const clock = start();
    seedGonePost(store, clock.now() - 10 * 60_000);
    const alerter = new Alerter({
      store,
      webhooks: [webhook({ name: 'slack', url: rx.url, secret: rx.secret, format: 'slack' })],
      clock,
      logger: silent,
    });
    await alerter.poll();
    const r = rx.received[0]!;
    expect(r.rejected).toBeNull();
    const msg = r.payload as SlackMessage;
    expect(msg.text).toContain(`weibo post ${MID} removed_by_platform`);
    expect(msg.blocks[0]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: `*${msg.text}*` } });
    expect(JSON.stringify(msg.blocks)).toContain(`<https://m.weibo.cn/detail/${MID}|open weibo post>`);
  });

  test('the receiver rejects a tampered body and a stale timestamp', async () => {
    const rx = await startReceiver();
    const body = JSON.stringify({
      type: 'post.gone',
      timestamp: new Date().toISOString(),
      data: { eventId: 1 },
    });
    const send = async (headers: Record<string, string>, payload: string): Promise<number> => {
      const res = await request(rx.url, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: payload,
      });
      await res.body.dump();
      return res.statusCode;
    };
    const good = { ...webhookHeaders(rx.secret, 'msg_a', Date.now(), body) } as Record<string, string>;
    expect(await send(good, body)).toBe(200);
    expect(await send(good, body.replace('"eventId":1', '"eventId":2'))).toBe(400);
    expect(rx.received[1]!.rejected).toBe('No matching signature found');

    // A stale timestamp, end to end: an alerter whose clock is 10 minutes behind the receiver's.
    const store = openStore();
    const clock = new ManualClock(Date.now() - 10 * 60_000);
    const eventId = seedGonePost(store, clock.now() - 60 * 60_000);
    const alerter = new Alerter({
      store,
      webhooks: [webhook({ name: 'lab', url: rx.url, secret: rx.secret })],
      clock,
      logger: silent,
    });
    await alerter.poll();
    expect(rx.received[2]!.rejected).toBe('Message timestamp too old');
    // A 400 is not retried: straight to the dead letters.
    expect(deliveries(store, 'lab')[0]).toMatchObject({ state: 'dead', attempts: 1, last_status: 400 });
    expect(alerter.deadLetters().map((d) => d.eventId)).toEqual([eventId]);
  });
});

describe('retries', () => {
  test('two 500s, then one success: same webhook-id each time, growing backoff, processed once', async () => {
    const rx = await startReceiver();
    rx.reply = (n) => ({ status: n < 2 ? 500 : 200 });
    const store = openStore();
    const clock = start();
    const eventId = seedGonePost(store, clock.now() - 10 * 60_000);
    const alerter = new Alerter({
      store,
      webhooks: [webhook({ name: 'lab', url: rx.url, secret: rx.secret })],
      clock,
      logger: silent,
      random: halfJitter,
      retry: { base: 1_000, max: 60_000 },
    });

    await alerter.poll();
    let row = deliveries(store, 'lab')[0]!;
    expect(row).toMatchObject({ state: 'pending', attempts: 1, last_status: 500, last_error: 'HTTP 500' });
    // Equal jitter at 0.5: 3/4 of base for the first retry.
    expect(row.next_attempt_at).toBe(clock.now() + 750);
    expect(await alerter.poll()).toBe(0);

    clock.advanceBy(750);
    await alerter.poll();
    row = deliveries(store, 'lab')[0]!;
    expect(row).toMatchObject({ state: 'pending', attempts: 2, last_status: 500 });
    expect(row.next_attempt_at).toBe(clock.now() + 1_500);

    clock.advanceBy(1_500);
    await alerter.poll();
    row = deliveries(store, 'lab')[0]!;
    expect(row).toMatchObject({ state: 'delivered', attempts: 3, last_status: 200, last_error: null });

    expect(rx.received).toHaveLength(3);
    expect(rx.received.every((r) => r.rejected === null)).toBe(true);
    expect(new Set(rx.received.map((r) => r.id))).toEqual(new Set([eventMessageId(eventId, 'lab')]));
    expect(rx.processed).toHaveLength(1);
    expect(await alerter.poll()).toBe(0);
  });

  test('429 is retried no sooner than its Retry-After', async () => {
    const rx = await startReceiver();
    rx.reply = (n) => (n === 0 ? { status: 429, headers: { 'retry-after': '120' } } : { status: 200 });
    const store = openStore();
    const clock = start();
    seedGonePost(store, clock.now() - 10 * 60_000);
    const alerter = new Alerter({
      store,
      webhooks: [webhook({ name: 'lab', url: rx.url, secret: rx.secret })],
      clock,
      logger: silent,
      retry: { base: 1_000 },
    });
    await alerter.poll();
    clock.advanceBy(119_000);
    expect(await alerter.poll()).toBe(0);
    clock.advanceBy(1_000);
    expect(await alerter.poll()).toBe(1);
    expect(deliveries(store, 'lab')[0]).toMatchObject({ state: 'delivered', attempts: 2 });
  });

  test('a timeout is retried; a 404 is not', async () => {
    const rx = await startReceiver();
    rx.reply = (n) => (n === 0 ? 'hold' : { status: 200 });
    const store = openStore();
    const clock = start();
    seedGonePost(store, clock.now() - 10 * 60_000);
    const gone = await startReceiver();
    gone.reply = () => ({ status: 404 });
    const alerter = new Alerter({
      store,
      webhooks: [
        webhook({ name: 'slow', url: rx.url, secret: rx.secret, timeout: 300 }),
        webhook({ name: 'missing', url: gone.url, secret: gone.secret }),
      ],
      clock,
      logger: silent,
      random: halfJitter,
      retry: { base: 1_000 },
    });
    await alerter.poll();
    expect(deliveries(store, 'slow')[0]).toMatchObject({
      state: 'pending',
      attempts: 1,
      last_status: null,
      last_error: 'timeout after 300ms',
    });
    expect(deliveries(store, 'missing')[0]).toMatchObject({ state: 'dead', attempts: 1, last_status: 404 });
    clock.advanceBy(750);
    await alerter.poll();
    expect(deliveries(store, 'slow')[0]).toMatchObject({ state: 'delivered', attempts: 2 });
    expect(gone.received).toHaveLength(1);
  });
});

describe('dead letters', () => {
  test('permanent failure ends as a dead letter; replay delivers it with the same webhook-id', async () => {
    const rx = await startReceiver();
    let down = true;
    rx.reply = () => ({ status: down ? 503 : 200 });
    const store = openStore();
    const clock = start();
    const eventId = seedGonePost(store, clock.now() - 10 * 60_000);
    const alerter = new Alerter({
      store,
      webhooks: [webhook({ name: 'lab', url: rx.url, secret: rx.secret, maxAttempts: 3 })],
      clock,
      logger: silent,
      random: halfJitter,
      retry: { base: 1_000 },
    });
    for (let i = 0; i < 3; i++) {
      await alerter.poll();
      clock.advanceBy(10_000);
    }
    expect(rx.received).toHaveLength(3);
    expect(deliveries(store, 'lab')[0]).toMatchObject({ state: 'dead', attempts: 3, last_status: 503 });
    const dead = alerter.deadLetters();
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({
      webhook: 'lab',
      eventId,
      eventType: 'post.gone',
      messageId: eventMessageId(eventId, 'lab'),
      attempts: 3,
      lastStatus: 503,
      lastError: 'HTTP 503',
    });
    expect(dead[0]!.summary).toContain(`weibo post ${MID} removed_by_platform`);
    // status reads the same list from the store alone.
    expect(listDeadLetters(store)).toEqual(dead);
    // A dead letter is not retried by polling.
    expect(await alerter.poll()).toBe(0);

    down = false;
    expect(await alerter.replayDead('lab')).toEqual({ requeued: 1, delivered: 1 });
    expect(rx.received).toHaveLength(4);
    expect(rx.received[3]!.id).toBe(eventMessageId(eventId, 'lab'));
    expect(rx.received[3]!.rejected).toBeNull();
    expect(alerter.deadLetters()).toEqual([]);
    expect(deliveries(store, 'lab')[0]).toMatchObject({ state: 'delivered', attempts: 1 });
    await expect(alerter.replayDead('nope')).rejects.toBeInstanceOf(WebhookConfigError);
  });
});

describe('restarts and concurrent alerters', () => {
  test('an alerter killed mid-request and restarted resends with the same webhook-id; the event counts once', async () => {
    const rx = await startReceiver();
    rx.reply = (n) => (n === 0 ? 'hold' : { status: 200 });
    const file = tempDbFile();
    const clock = start();
    const hooks = [webhook({ name: 'lab', url: rx.url, secret: rx.secret, timeout: 5_000 })];
    const store1 = openStore(file);
    const eventId = seedGonePost(store1, clock.now() - 10 * 60_000);

    const first = new Alerter({ store: store1, webhooks: hooks, clock, logger: silent, leaseGrace: 10_000 });
    const inFlight = first.poll();
    await rx.waitFor(1);
    // The receiver has processed the request but not answered: kill the alerter and its database handle.
    first.close();
    await inFlight;
    store1.close();
    expect(rx.processed).toEqual([eventMessageId(eventId, 'lab')]);

    const store2 = openStore(file);
    expect(deliveries(store2, 'lab')[0]).toMatchObject({ state: 'delivering', attempts: 1 });
    const second = new Alerter({ store: store2, webhooks: hooks, clock, logger: silent, leaseGrace: 10_000 });
    // Still leased to the first alerter: the second does not send it at once.
    expect(await second.poll()).toBe(0);
    clock.advanceBy(15_000);
    expect(await second.poll()).toBe(1);

    expect(rx.received.map((r) => r.id)).toEqual([
      eventMessageId(eventId, 'lab'),
      eventMessageId(eventId, 'lab'),
    ]);
    expect(rx.received.every((r) => r.rejected === null)).toBe(true);
    expect(rx.processed).toHaveLength(1);
    expect(deliveries(store2)).toHaveLength(1);
    expect(deliveries(store2, 'lab')[0]).toMatchObject({ state: 'delivered', attempts: 2 });
    expect(await second.poll()).toBe(0);
  });

  test('two alerters on one database (distributed mode) send each event once', async () => {
    const rx = await startReceiver();
    const file = tempDbFile();
    const clock = start();
    const hooks = [webhook({ name: 'lab', url: rx.url, secret: rx.secret })];
    const a = openStore(file);
    const b = openStore(file);
    seedGonePost(a, clock.now() - 10 * 60_000);
    insertEvent(a, {
      type: 'search.blocked',
      at: clock.now(),
      keyword: '联合国 决议',
      detail: { reason: 'notice' },
    });
    const one = new Alerter({ store: a, webhooks: hooks, clock, logger: silent });
    const two = new Alerter({ store: b, webhooks: hooks, clock, logger: silent });
    const sent = await Promise.all([one.poll(), two.poll(), one.poll(), two.poll()]);
    expect(sent.reduce((x, y) => x + y, 0)).toBe(2);
    expect(rx.received).toHaveLength(2);
    expect(new Set(rx.received.map((r) => r.id)).size).toBe(2);
    expect(deliveries(a).map((d) => d.state)).toEqual(['delivered', 'delivered']);
  });
});

describe('digests', () => {
  test('a digest webhook batches the events of one interval into one signed message', async () => {
    const rx = await startReceiver();
    const store = openStore();
    // Start on an interval boundary so the window is predictable.
    const clock = new ManualClock(Math.floor(Date.now() / 60_000) * 60_000);
    seedGonePost(store, clock.now() - 10 * 60_000);
    const alerter = new Alerter({
      store,
      webhooks: [
        webhook({ name: 'daily', url: rx.url, secret: rx.secret, digest: 60_000 }),
        webhook({ name: 'now', url: `${rx.url}?now`, secret: rx.secret, events: ['post.gone'] }),
      ],
      clock,
      logger: silent,
    });
    await alerter.poll();
    clock.advanceBy(20_000);
    insertEvent(store, {
      type: 'search.blocked',
      at: clock.now(),
      keyword: '联合国',
      detail: { reason: 'notice' },
    });
    insertEvent(store, { type: 'search.unblocked', at: clock.now(), keyword: '联合国', detail: {} });
    expect(await alerter.poll()).toBe(0);
    // Only the immediate webhook has sent so far.
    expect(rx.received).toHaveLength(1);

    clock.advanceBy(40_000);
    expect(await alerter.poll()).toBe(1);
    const digest = rx.received[1]!;
    expect(digest.rejected).toBeNull();
    const windowStart = clock.now() - 60_000;
    expect(digest.id).toBe(digestMessageId('daily', windowStart));
    const p = digest.payload as DigestPayload;
    expect(p.type).toBe('digest');
    expect(p.data.count).toBe(3);
    expect(p.data.events.map((e) => e.type)).toEqual(['post.gone', 'search.blocked', 'search.unblocked']);
    expect(p.data.from).toBe(new Date(windowStart).toISOString());
    expect(deliveries(store, 'daily').map((d) => d.state)).toEqual(['delivered', 'delivered', 'delivered']);
  });
});

describe('alerts test', () => {
  test('sends one signed webhook.test message', async () => {
    const rx = await startReceiver();
    const store = openStore();
    const alerter = new Alerter({
      store,
      webhooks: [webhook({ name: 'lab', url: rx.url, secret: rx.secret })],
      clock: start(),
      logger: silent,
    });
    const result = await alerter.sendTest('lab');
    expect(result).toMatchObject({ ok: true, status: 200, error: null });
    expect(rx.received).toHaveLength(1);
    expect(rx.received[0]!.rejected).toBeNull();
    expect(rx.received[0]!.id).toBe(result.messageId);
    expect(rx.received[0]!.payload).toMatchObject({ type: 'webhook.test', data: { webhook: 'lab' } });
    expect(deliveries(store)).toHaveLength(0);
    await expect(alerter.sendTest('other')).rejects.toThrow('no webhook named "other" (configured: lab)');
  });

  test('reports a refused connection without throwing', async () => {
    const rx = await startReceiver();
    const url = rx.url;
    await rx.close();
    const alerter = new Alerter({
      store: openStore(),
      webhooks: [webhook({ name: 'lab', url, secret: rx.secret })],
      clock: start(),
      logger: silent,
    });
    const result = await alerter.sendTest('lab');
    expect(result.ok).toBe(false);
    expect(result.status).toBeNull();
    expect(result.error).toMatch(/ECONNREFUSED/);
  });
});

describe('cursor and loop', () => {
  test("startAt 'latest' skips events recorded before the alerter first ran, not those after", async () => {
    const rx = await startReceiver();
    const store = openStore();
    const clock = start();
    seedGonePost(store, clock.now() - 10 * 60_000);
    const alerter = new Alerter({
      store,
      webhooks: [webhook({ name: 'lab', url: rx.url, secret: rx.secret })],
      clock,
      logger: silent,
      startAt: 'latest',
    });
    expect(await alerter.poll()).toBe(0);
    const later = insertEvent(store, {
      type: 'search.blocked',
      at: clock.now(),
      keyword: '联合国',
      detail: { reason: 'notice' },
    });
    expect(await alerter.poll()).toBe(1);
    expect((rx.received[0]!.payload as EventPayload).data.eventId).toBe(later);
  });

  test('runUntil keeps delivering until its signal aborts', async () => {
    const rx = await startReceiver();
    const store = openStore();
    const clock = start();
    const alerter = new Alerter({
      store,
      webhooks: [webhook({ name: 'lab', url: rx.url, secret: rx.secret })],
      clock,
      logger: silent,
      pollInterval: 5,
    });
    const ac = new AbortController();
    const running = alerter.runUntil(ac.signal);
    seedGonePost(store, clock.now() - 10 * 60_000);
    await rx.waitFor(1);
    insertEvent(store, {
      type: 'search.blocked',
      at: clock.now(),
      keyword: '联合国',
      detail: { reason: 'notice' },
    });
    await rx.waitFor(2);
    ac.abort();
    await running;
    expect(rx.received.map((r) => (r.payload as EventPayload).type)).toEqual(['post.gone', 'search.blocked']);
    expect(deliveries(store).map((d) => d.state)).toEqual(['delivered', 'delivered']);
  });
});

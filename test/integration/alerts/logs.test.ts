import { Alerter } from '../../../src/alerts/alerter';
import { ManualClock } from '../../../src/domain/clock';
import {
  cleanup,
  closeReceivers,
  insertEvent,
  memoryLogger,
  openStore,
  seedGonePost,
  startReceiver,
  webhook,
} from './helpers';

afterEach(async () => {
  await closeReceivers();
  cleanup();
});

const COOKIE = 'SUB=_2A25LxQ7sDeRhGeTyY3Lab; SUBP=0033WrSXqPxfM725Ws9jqgMF55529P9D9W';
/** Slack-style hook URLs are credentials too: the path must not reach a log. */
const URL_TOKEN = 'T0SECRET/B0SECRET/xoxbPathToken123';

test('a run with webhooks logs neither the secret, the signatures, the hook URL token nor a cookie', async () => {
  const rx = await startReceiver(undefined, `/services/${URL_TOKEN}`);
  // Every outcome the alerter logs: success, retry, timeout, dead letter, replay, test message.
  rx.reply = (n) => {
    if (n === 0) return { status: 200, headers: { 'set-cookie': `session=${COOKIE}` } };
    if (n === 1) return { status: 500 };
    if (n === 2) return 'hold';
    if (n === 3) return { status: 400 };
    return { status: 200 };
  };
  const { logger, lines, text } = memoryLogger('trace');
  const store = openStore();
  const clock = new ManualClock(Date.now());
  const hooks = [webhook({ name: 'lab', url: rx.url, secret: rx.secret, timeout: 300, maxAttempts: 3 })];

  // What a process root logger sees at startup: the loaded config, cookie and secrets included.
  logger.info(
    {
      config: {
        platforms: { weibo: { cookie: COOKIE, hosts: {} } },
        alerts: { webhooks: hooks },
      },
    },
    'config loaded',
  );
  logger.debug({ request: { headers: { cookie: COOKIE, 'webhook-signature': 'v1,abc' } } }, 'request');

  seedGonePost(store, clock.now() - 10 * 60_000, '4383000000000001');
  seedGonePost(store, clock.now() - 10 * 60_000, '4383000000000002');
  insertEvent(store, {
    type: 'search.blocked',
    at: clock.now(),
    keyword: '联合国',
    detail: { reason: 'notice' },
  });
  const alerter = new Alerter({
    store,
    webhooks: hooks,
    clock,
    logger,
    random: () => 0,
    retry: { base: 1_000 },
  });
  await alerter.poll();
  clock.advanceBy(60_000);
  await alerter.poll();
  clock.advanceBy(60_000);
  await alerter.poll();
  await alerter.replayDead();
  await alerter.sendTest('lab');

  // The run exercised what it should, so an empty or partial log cannot pass.
  const out = text();
  expect(rx.received.length).toBeGreaterThanOrEqual(6);
  expect(rx.received.every((r) => r.rejected === null)).toBe(true);
  for (const msg of [
    'webhook delivered',
    'webhook attempt failed, will retry',
    'webhook delivery failed for good; kept as a dead letter',
    'dead letters requeued',
    'webhook test sent',
  ]) {
    expect(lines.some((l) => (JSON.parse(l) as { msg: string }).msg === msg)).toBe(true);
  }
  expect(out).toContain('"webhook":"lab"');
  expect(out).toContain('[redacted]');

  const secretB64 = rx.secret.slice('whsec_'.length);
  expect(out).not.toContain(rx.secret);
  expect(out).not.toContain(secretB64);
  expect(out).not.toContain(URL_TOKEN);
  for (const r of rx.received) expect(out).not.toContain(r.signature.slice(3));
  expect(out).not.toContain('SUB=');
  expect(out).not.toContain('_2A25LxQ7sDeRhGeTyY3Lab');
  expect(out).not.toContain('v1,abc');
});

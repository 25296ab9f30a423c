import { Writable } from 'node:stream';
import type { Logger } from 'pino';
import { createRootLogger } from '../../src/logger';

function capture(): { log: Logger; out: () => Record<string, unknown>[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString('utf8'));
      cb();
    },
  });
  const log = createRootLogger({ level: 'info', destination: stream });
  return {
    log,
    out: () =>
      lines
        .join('')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

test('secrets, cookies, authorization and signatures are redacted where they usually sit', () => {
  const { log, out } = capture();
  log.info({ secret: 'whsec_A', cookie: 'SUB=1' }, 'top');
  log.info({ webhook: { name: 'lab', secret: 'whsec_B' } }, 'nested');
  log.info(
    { req: { headers: { cookie: 'SUB=2', authorization: 'Bearer x', 'webhook-signature': 'v1,sig' } } },
    'req',
  );
  log.info(
    { headers: { 'set-cookie': 'a=b', 'webhook-signature': 'v1,sig2', 'webhook-id': 'msg_1' } },
    'res',
  );
  log.info(
    {
      config: {
        platforms: { weibo: { cookie: 'SUB=3' } },
        alerts: {
          webhooks: [{ name: 'lab', url: 'https://hooks.slack.com/services/T/B/X', secret: 'whsec_C' }],
        },
      },
    },
    'config',
  );
  const text = JSON.stringify(out());
  for (const s of ['whsec_', 'SUB=', 'Bearer', 'v1,sig', 'a=b', 'hooks.slack.com'])
    expect(text).not.toContain(s);
  // What is not sensitive stays readable.
  expect(text).toContain('msg_1');
  expect(text).toContain('"name":"lab"');
  expect(out()[2]).toEqual(
    expect.objectContaining({
      req: {
        headers: { cookie: '[redacted]', authorization: '[redacted]', 'webhook-signature': '[redacted]' },
      },
    }),
  );
});

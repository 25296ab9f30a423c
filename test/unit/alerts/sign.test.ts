import { Webhook } from 'standardwebhooks';
import {
  WebhookSecretError,
  generateSecret,
  secretKey,
  sign,
  webhookHeaders,
} from '../../../src/alerts/sign';

// The Standard Webhooks specification's own example secret, id, timestamp and body.
const SPEC_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const SPEC_ID = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
const SPEC_TS = 1614265330;
const SPEC_BODY = '{"test": 2432232314}';

describe('sign', () => {
  test('matches the specification example', () => {
    expect(sign(SPEC_SECRET, SPEC_ID, SPEC_TS, SPEC_BODY)).toBe(
      'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    );
  });

  test('agrees with the standardwebhooks package for fresh secrets and non-ASCII bodies', () => {
    for (let i = 0; i < 5; i++) {
      const secret = generateSecret();
      const body = JSON.stringify({ type: 'post.gone', data: { text: `该微博已被删除 ${i}` } });
      const at = new Date(Date.now() - i * 1000);
      expect(sign(secret, `msg_${i}`, Math.floor(at.getTime() / 1000), body)).toBe(
        new Webhook(secret).sign(`msg_${i}`, at, body),
      );
    }
  });

  test('headers verify with standardwebhooks; a changed id or body does not', () => {
    const secret = generateSecret();
    const body = '{"type":"post.gone"}';
    const headers = webhookHeaders(secret, 'msg_1', Date.now(), body) as unknown as Record<string, string>;
    const wh = new Webhook(secret);
    expect(wh.verify(body, headers)).toEqual({ type: 'post.gone' });
    expect(() => wh.verify(body, { ...headers, 'webhook-id': 'msg_2' })).toThrow(
      'No matching signature found',
    );
    expect(() => wh.verify('{"type":"post.restored"}', headers)).toThrow('No matching signature found');
  });

  test('timestamp is whole seconds of the send time; no secret means no signature header', () => {
    const h = webhookHeaders(null, 'msg_1', 1_700_000_000_999, '{}');
    expect(h).toEqual({ 'webhook-id': 'msg_1', 'webhook-timestamp': '1700000000' });
  });

  test('a bad secret fails with a message that does not contain it', () => {
    const bad = 'whsec_not*base64!';
    expect(() => secretKey(bad)).toThrow(WebhookSecretError);
    try {
      secretKey(bad);
    } catch (err) {
      expect((err as Error).message).not.toContain('not*base64');
    }
    expect(() => secretKey('whsec_')).toThrow('webhook secret is empty');
    expect(secretKey(SPEC_SECRET)).toEqual(secretKey(SPEC_SECRET.slice('whsec_'.length)));
  });

  test('generated secrets are whsec_ and a 32-byte base64 key', () => {
    const s = generateSecret();
    expect(s).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(secretKey(s)).toHaveLength(32);
    expect(generateSecret()).not.toBe(s);
  });
});

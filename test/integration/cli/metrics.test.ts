import { existsSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import pino from 'pino';
import { request } from 'undici';
import { simulatePipeline } from '../../../src/cli/demo';
import { serveMetrics, parseListen, parsePort } from '../../../src/cli/metrics-server';
import { ConfigError } from '../../../src/errors';
import { Metrics } from '../../../src/engine/metrics';
import { tempDir } from '../../helpers/temp';
import { cli } from './helpers';

const logger = pino({ level: 'silent' });

// A simulated run or a Chromium page per test: a generous cap for a loaded 2-core machine.
jest.setTimeout(300_000);

describe('Prometheus /metrics', () => {
  it('counts observations by outcome, events, and deletion-window widths from a real run', async () => {
    const metrics = new Metrics();
    let results = 0;
    await simulatePipeline(
      {
        scenario: 'quick',
        days: 0,
        durationMs: 30_000,
        start: Date.UTC(2024, 0, 10, 2),
        faultRate: 0.2,
        seed: 4,
        database: null,
        logger,
      },
      undefined,
      {
        onResult: (r) => {
          results++;
          metrics.observeResult(r);
        },
        onEvents: (e) => metrics.observeEvents(e),
      },
    );
    const server = await serveMetrics({ metrics, host: '127.0.0.1', port: 0, token: null });
    try {
      const res = await request(server.url);
      const text = await res.body.text();
      expect(res.statusCode).toBe(200);
      expect(results).toBeGreaterThan(20);
      expect(text).toMatch(/censorwatch_observations_total\{platform="weibo",outcome="alive"\} [1-9]/);
      expect(text).toMatch(
        /censorwatch_observations_total\{platform="weibo",outcome="(rate_limited|captcha|server_error|network_error|unparseable)"\} [1-9]/,
      );
      expect(text).toMatch(/censorwatch_events_total\{type="post\.gone"\} [1-9]/);
      expect(text).toMatch(/censorwatch_detection_lag_seconds_count\{platform="weibo"\} [1-9]/);
    } finally {
      await server.close();
    }
  });

  it('off loopback it needs a token: refused at start without one, 401 for requests without it', async () => {
    const metrics = new Metrics();
    await expect(serveMetrics({ metrics, host: '127.0.0.2', port: 0, token: null })).rejects.toBeInstanceOf(
      ConfigError,
    );
    const server = await serveMetrics({ metrics, host: '127.0.0.2', port: 0, token: 's3cret' });
    try {
      expect((await request(server.url)).statusCode).toBe(401);
      expect((await request(server.url, { headers: { authorization: 'Bearer wrong!' } })).statusCode).toBe(
        401,
      );
      // The token is never read from the URL, where proxies and scrapers log it.
      const inUrl = await request(`${server.url}?token=s3cret`);
      expect(inUrl.statusCode).toBe(401);
      await inUrl.body.dump();
      const ok = await request(server.url, { headers: { authorization: 'Bearer s3cret' } });
      expect(ok.statusCode).toBe(200);
      expect(await ok.body.text()).toContain('censorwatch_observations_total');
    } finally {
      await server.close();
    }
  });

  it('run --metrics on a port in use: exit 2 in one line naming --metrics and the port, no database created', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      const dir = tempDir();
      const database = join(dir, 'never.db');
      const config = join(dir, 'watch.yaml');
      writeFileSync(
        config,
        `database: ${database}\nwatches:\n  - id: w\n    name: W\n    weibo: { keywords: [k] }\n`,
      );
      const r = await cli(['run', '--config', config, '--metrics', String(port), '--duration', '5s'], {
        timeoutMs: 120_000,
      });
      expect(r.code).toBe(2);
      const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`--metrics: cannot listen on 127.0.0.1:${port}: the address is in use`);
      expect(existsSync(database)).toBe(false);
      expect(existsSync(`${database}-wal`)).toBe(false);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it('parses listen addresses', () => {
    expect(parseListen('9464')).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(parseListen('0.0.0.0:9464')).toEqual({ host: '0.0.0.0', port: 9464 });
    expect(parseListen('[::1]:9464')).toEqual({ host: '::1', port: 9464 });
    expect(() => parseListen('metrics')).toThrow(ConfigError);
    expect(() => parseListen('0.0.0.0:99999')).toThrow('--metrics: port 99999 is out of range (0 to 65535)');
    expect(() => parsePort('99999', '--port')).toThrow('--port: port 99999 is out of range (0 to 65535)');
    expect(() => parsePort('80a')).toThrow('--port: expected a port number, got "80a"');
    expect(parsePort('0')).toBe(0);
  });

  it('an address in use is bad usage naming the option, not a crash', async () => {
    const metrics = new Metrics();
    const first = await serveMetrics({ metrics, host: '127.0.0.1', port: 0, token: null });
    try {
      const port = Number(new URL(first.url).port);
      const err: unknown = await serveMetrics({ metrics, host: '127.0.0.1', port, token: null }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).message).toBe(
        `--metrics: cannot listen on 127.0.0.1:${port}: the address is in use`,
      );
    } finally {
      await first.close();
    }
  });
});

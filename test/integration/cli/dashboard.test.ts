import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Redis from 'ioredis';
import { request } from 'undici';
import { testRedisUrl } from '../../helpers/redis-server';
import { tempDir } from '../../helpers/temp';
import { cli, cliBackground } from './helpers';
import { guardAgainstLeaks } from '../../helpers/leak-guard';

guardAgainstLeaks();

const dir = tempDir('censorwatch-dashboard-');
const REDIS = testRedisUrl();
const prefix = `cw-dash-${process.pid}`;
const config = join(dir, 'dash.yaml');
writeFileSync(
  config,
  `database: ${dir}/d.db\nqueue: { redis: "${REDIS}", prefix: ${prefix} }\n` +
    `watches:\n  - id: w\n    weibo: { keywords: ["联合国"] }\n`,
);

describe('censorwatch dashboard', () => {
  afterAll(async () => {
    const redis = new Redis(REDIS);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('serves Bull Board for the deployment’s queues on loopback', async () => {
    const d = await cliBackground(
      ['dashboard', '--config', config, '--listen', '127.0.0.1:0'],
      /at (http:\/\/\S+)/,
    );
    try {
      const base = d.match[1]!;
      const page = await request(base);
      expect(page.statusCode).toBe(200);
      expect(await page.body.text()).toMatch(/<html/i);
      const api = await request(`${base}api/queues`);
      expect(api.statusCode).toBe(200);
      const names = ((await api.body.json()) as { queues: { name: string }[] }).queues
        .map((q) => q.name)
        .sort();
      expect(names).toEqual(['alert', 'check', 'discover', 'record', 'schedule']);
    } finally {
      await d.stop();
    }
  });

  it('off loopback it needs a token: refused without one, 401 for requests without it', async () => {
    const refused = await cli(['dashboard', '--config', config, '--listen', '127.0.0.2:0'], {
      env: { CENSORWATCH_DASHBOARD_TOKEN: '' },
    });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--listen: binding to 127\.0\.0\.2 needs a token/);

    const d = await cliBackground(
      ['dashboard', '--config', config, '--listen', '127.0.0.2:0', '--token', 'tok-123'],
      /at (http:\/\/\S+)/,
    );
    try {
      const base = d.match[1]!;
      expect((await request(`${base}api/queues`)).statusCode).toBe(401);
      // Only the Authorization header: a token in the URL ends up in history and logs.
      const inUrl = await request(`${base}api/queues?token=tok-123`);
      expect(inUrl.statusCode).toBe(401);
      await inUrl.body.dump();
      const ok = await request(`${base}api/queues`, { headers: { authorization: 'Bearer tok-123' } });
      expect(ok.statusCode).toBe(200);
      await ok.body.dump();
    } finally {
      await d.stop();
    }
  });
});

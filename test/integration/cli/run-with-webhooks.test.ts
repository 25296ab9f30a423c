import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { request } from 'undici';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { spawn } from 'node:child_process';
import { tempDir } from '../../helpers/temp';
import { buildScenario, HeldClock, Simulator } from '../../../src/sim';

const BIN = join(__dirname, '../../../bin/censorwatch.js');

const SECRET = 'whsec_' + Buffer.from('censorwatch-test-secret-0123456789').toString('base64');
const COOKIE_VALUE = 'SUB=_2A25LsecretCookieValue42';

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let s = '';
    req.on('data', (d: Buffer) => (s += d.toString()));
    req.on('end', () => resolve(s));
  });
}

/**
 * A monitoring run with a webhook, as a researcher would set it up: every delivery verifies with
 * the independent `standardwebhooks` implementation, gone posts arrive as `post.gone`, and the
 * run's whole log holds neither the webhook secret nor the configured cookie.
 */
describe('run with webhooks', () => {
  let receiver: Server;
  const received: {
    type: string;
    id: string;
    verified: boolean;
    target?: string;
    window?: { lastAliveAt: string | null; goneAt: string | null } | null;
  }[] = [];

  beforeAll(async () => {
    const wh = new Webhook(SECRET);
    receiver = createServer(async (req, res) => {
      const payload = await body(req);
      let verified: boolean;
      let msg: {
        type: string;
        data?: { target?: { id: string } | null; window?: (typeof received)[number]['window'] };
      } = { type: '?' };
      try {
        msg = wh.verify(payload, {
          'webhook-id': String(req.headers['webhook-id']),
          'webhook-timestamp': String(req.headers['webhook-timestamp']),
          'webhook-signature': String(req.headers['webhook-signature']),
        }) as typeof msg;
        verified = true;
      } catch {
        verified = false;
      }
      received.push({
        type: msg.type,
        id: String(req.headers['webhook-id']),
        verified,
        target: msg.data?.target?.id,
        window: msg.data?.window,
      });
      res.writeHead(verified ? 204 : 400).end();
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  });
  afterAll(() => new Promise<void>((r) => receiver.close(() => r())));

  it('delivers signed events, and logs no secret and no cookie', async () => {
    // The quick scenario plays out in 15 s: frozen at its start until `run` is monitoring, and each
    // edit and deletion held until the run has seen the version before, so neither a slow process
    // start nor a slow run on a loaded machine lets a post go before it was discovered.
    const start = Date.now();
    let real = start;
    const held = new HeldClock({ start, real: () => real });
    /** Every reading of the scenario's clock: [real ms, scenario ms], in order. */
    const readings: [number, number][] = [];
    const sim = new Simulator({
      clock: {
        now: () => {
          real = Date.now();
          const at = held.now();
          readings.push([real, at]);
          return at;
        },
      },
      scenario: buildScenario('quick', { start, seed: 2023 }),
      seed: 2023,
    });
    held.addHolds(sim.holds());
    let monitoring = false;
    try {
      const base = await sim.start(0);
      const dir = tempDir('censorwatch-hooks-');
      const res = await request(`${base}/__sim/config?db=${encodeURIComponent(join(dir, 'run.db'))}`);
      const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/censorwatch`;
      const cfg = parseYaml(await res.body.text()) as {
        platforms: { weibo: { cookie?: string } };
        alerts?: unknown;
      };
      cfg.platforms.weibo.cookie = COOKIE_VALUE;
      cfg.alerts = {
        webhooks: [
          { name: 'lab', url: hookUrl, secretEnv: 'CW_TEST_SECRET', events: ['post.gone', 'search.blocked'] },
        ],
      };
      const yaml = stringifyYaml(cfg);
      const config = join(dir, 'hooks.yaml');
      writeFileSync(config, yaml);

      // Runs until the deliveries asked for have arrived (however busy the machine), then is stopped.
      const child = spawn(process.execPath, [BIN, 'run', '--config', config], {
        env: { ...process.env, CW_TEST_SECRET: SECRET, CENSORWATCH_LOG: 'debug' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const run = { code: null as number | null, stdout: '', stderr: '' };
      child.stdout.on('data', (d: Buffer) => (run.stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => {
        run.stderr += d.toString();
        if (!monitoring && run.stderr.includes('"msg":"monitoring"')) {
          monitoring = true;
          held.go();
        }
      });
      const exited = new Promise<number | null>((r) => child.once('close', (code) => r(code)));
      // A cap for a loaded machine, not a wait: the loop ends as soon as the deliveries are in.
      const deadline = Date.now() + 240_000;
      while (received.filter((r) => r.type === 'post.gone').length < 5 && child.exitCode === null) {
        if (Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      child.kill('SIGTERM');
      run.code = await exited;
      expect(run.stderr).not.toMatch(/bad config/);
      expect(run.code).toBe(0);
      const log = run.stdout + run.stderr;
      expect(log.length).toBeGreaterThan(1000);
      expect(log).not.toContain(SECRET);
      expect(log).not.toContain(SECRET.slice(6));
      expect(log).not.toContain('secretCookieValue42');

      const gone = received.filter((r) => r.type === 'post.gone');
      expect(gone.length).toBeGreaterThanOrEqual(5);
      expect(received.every((r) => r.verified)).toBe(true);
      // One delivery per event: no webhook-id twice.
      expect(new Set(received.map((r) => r.id)).size).toBe(received.length);
      expect(received.every((r) => r.type === 'post.gone' || r.type === 'search.blocked')).toBe(true);
      // Each delivered deletion window holds the simulator's deletion time.
      const truth = (await (await request(`${base}/__sim/truth`)).body.json()) as {
        id: string;
        goneAt: number | null;
      }[];
      // The run's clock is the real one; the scenario's runs behind it, by the time it was frozen
      // and held. It never runs backwards, so an observation is placed in scenario time by the
      // simulator's readings around it: the first reading at or after an alive check was sent is
      // no later than the reading that served it alive, and the last reading at or before a gone
      // answer arrived is no earlier than the one that served it gone.
      const firstAtOrAfter = (t: number): number => readings.find(([r]) => r >= t)?.[1] ?? Infinity;
      const lastAtOrBefore = (t: number): number => readings.filter(([r]) => r <= t).pop()?.[1] ?? -Infinity;
      for (const g of gone) {
        const t = truth.find((x) => x.id === g.target);
        expect(t?.goneAt).toEqual(expect.any(Number));
        const { lastAliveAt, goneAt } = g.window!;
        if (lastAliveAt !== null) expect(firstAtOrAfter(Date.parse(lastAliveAt))).toBeLessThan(t!.goneAt!);
        expect(lastAtOrBefore(Date.parse(goneAt!))).toBeGreaterThanOrEqual(t!.goneAt!);
      }
      expect(held.expired).toEqual([]);
    } finally {
      await sim.stop();
    }
  }, 300_000);
});

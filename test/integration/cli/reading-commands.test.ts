import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../../../src/store/store';
import { cli } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'censorwatch-reading-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const WATCH = `watches:\n  - id: w\n    weibo: { keywords: ["联合国"] }\n`;
const missing = join(dir, 'typo', 'censorwatch.db');
const config = join(dir, 'missing.yaml');
writeFileSync(config, `database: ${missing}\n${WATCH}`);

describe('commands that read a database refuse one that does not exist', () => {
  const commands: [string, string[]][] = [
    ['status', ['status', '--config', config, '--no-session']],
    ['export', ['export', '--config', config, '--format', 'csv', '--out', join(dir, 'out.csv')]],
    ['report', ['report', '--config', config, '--format', 'md', '--out', join(dir, 'out.md')]],
    ['verify', ['verify', '--config', config]],
    ['alerts replay', ['alerts', 'replay', '--config', config]],
  ];

  it.each(commands)('%s: exit 2 naming the path, nothing created', async (_name, args) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `censorwatch: bad config ${config}:\n  database: ${missing} does not exist (a command that reads a database never creates one: check the path, or run \`censorwatch run\` first)\n`,
    );
    expect(existsSync(join(dir, 'typo'))).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(['missing.yaml']);
  });

  it('verify on the database run wrote checks it as before', async () => {
    const file = join(dir, 'real', 'cw.db');
    Store.open(file).close();
    const ok = join(dir, 'ok.yaml');
    writeFileSync(ok, `database: ${file}\n${WATCH}`);
    try {
      const r = await cli(['verify', '--config', ok]);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(/^0 observations, .*all intact\n/);
      expect(r.code).toBe(0);
    } finally {
      rmSync(ok);
      rmSync(join(dir, 'real'), { recursive: true });
    }
  });
});

describe('alerts test needs no database', () => {
  it('sends the test event with the database missing, and creates none', async () => {
    const received: string[] = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        received.push(body);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const hooks = join(dir, 'hooks.yaml');
    writeFileSync(
      hooks,
      `database: ${missing}\n${WATCH}alerts:\n  webhooks:\n    - { name: lab, url: "${url}", unsigned: true }\n`,
    );
    try {
      const r = await cli(['alerts', 'test', '--config', hooks, '--webhook', 'lab']);
      expect(r.stdout).toMatch(/^lab: delivered \(HTTP 204\); webhook-id msg_test_/);
      expect(r.code).toBe(0);
      expect(received).toHaveLength(1);
      expect(JSON.parse(received[0]!)).toMatchObject({ type: 'webhook.test' });
      expect(existsSync(join(dir, 'typo'))).toBe(false);
    } finally {
      rmSync(hooks);
      await new Promise<void>((r) => receiver.close(() => r()));
    }
  });
});

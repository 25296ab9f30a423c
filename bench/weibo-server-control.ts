/**
 * Starts bench/weibo-server.ts in a process of its own and makes its answer: the simulator's
 * rendering of one alive Weibo post, with the post's id made a placeholder, so every synthetic id
 * gets a realistic `statuses/show` body that censorwatch's parser reads as alive.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { request } from 'undici';
import { ManualClock } from '../src/domain/clock';
import { buildScenario, Simulator } from '../src/sim';

/** `n` distinct 16-digit mids, none of them a scenario's. */
export function syntheticMids(n: number): string[] {
  return Array.from({ length: n }, (_, i) => String(4_990_000_000_000_000 + i * 7));
}

/** The `statuses/show` body of an alive, short (not truncated) post, its mid replaced by `{{MID}}`. */
export async function postTemplate(): Promise<string> {
  const start = Date.UTC(2023, 3, 26, 16);
  const scenario = buildScenario('un-vote', { start, seed: 2023 });
  const clock = new ManualClock(start + 86_400_000);
  const sim = new Simulator({ clock, scenario });
  const base = await sim.start(0);
  try {
    for (const p of scenario.weibo.posts) {
      if (p.createdAt > clock.now() || p.fate || p.repostOf !== undefined) continue;
      const body = await (await request(`${base}/statuses/show?id=${p.mid}`)).body.text();
      if (!body.includes('"ok":1') || /"isLongText":\s*true/.test(body)) continue;
      return body.replaceAll(p.mid, '{{MID}}');
    }
    throw new Error('no alive short post in the scenario');
  } finally {
    await sim.stop();
  }
}

/** A running benchmark server. */
export interface WeiboServer {
  readonly base: string;
  readonly pid: number;
  /** Requests it answered, by path. */
  stats(): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

/** Spawns the server answering with `template` after `latencyMs` per request. */
export async function startWeiboServer(template: string, latencyMs: number): Promise<WeiboServer> {
  const dir = mkdtempSync(join(tmpdir(), 'cw-bench-server-'));
  const file = join(dir, 'show.json');
  writeFileSync(file, template);
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(__dirname, 'weibo-server.ts'), file, String(latencyMs)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => reject(new Error(`benchmark server exited ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = /^listening (\d+)$/.exec(line);
      if (m) resolve(Number(m[1]));
    });
  });
  const base = `http://127.0.0.1:${port}`;
  return {
    base,
    pid: child.pid!,
    stats: async () => (await (await request(`${base}/__stats`)).body.json()) as Record<string, number>,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Where `censorwatch run` spends its CPU: the CLI (embedded mode) checks 3,000 explicit posts
 * against bench/weibo-server.ts under `node --cpu-prof`; the profile's samples after start-up are
 * put into the categories the engine's cost is argued about (SQLite statements, evidence
 * compression, hashing, JSON, logging, HTTP, classification and normalization, verdict rules,
 * garbage collection) and the hottest functions are listed. Writes its section of bench/RESULTS.md.
 *
 *   npx tsx bench/profile.ts [seconds=30] [keep.cpuprofile]
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify as stringifyYaml } from 'yaml';
import { sqlOf } from '../src/store/db';
import { Store } from '../src/store/store';
import { machine, writeSection } from './results';
import { postTemplate, startWeiboServer, syntheticMids } from './weibo-server-control';

const SECONDS = Number(process.argv[2] ?? 30);
const WARM_UP_SECONDS = 10;
const POSTS = 3000;
const ROOT = join(__dirname, '..');

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}
interface Profile {
  readonly nodes: { id: number; callFrame: CallFrame; children?: number[] }[];
  readonly samples: number[];
  readonly timeDeltas: number[];
}

/** Categories, first match wins; each looks at the sampled stack, leaf first. */
const CATEGORIES: [string, (stack: readonly CallFrame[]) => boolean][] = [
  ['start-up (module loading)', (s) => s.some((f) => /^Module\._(compile|load)$/.test(f.functionName))],
  ['idle', (s) => s[0]!.functionName === '(idle)'],
  ['gzip of evidence blobs (store `putBlob`)', (s) => s.some((f) => f.url === 'node:zlib')],
  [
    'SQLite statements and commits (time inside better-sqlite3, charged to store.ts)',
    (s) => /\/store\/[^/]+\.js$|better-sqlite3/.test(s[0]!.url),
  ],
  [
    'hashing (SHA-256)',
    (s) =>
      s
        .slice(0, 3)
        .some((f) => f.url.includes('crypto/hash') || /sha256Hex|contentHash/.test(f.functionName)),
  ],
  ['logging (pino)', (s) => s.some((f) => f.url.includes('/pino/') || f.url.includes('/src/logger.js'))],
  [
    'JSON parse / stringify',
    (s) => s.slice(0, 2).some((f) => /^(parse|stringify)$/.test(f.functionName) && f.url === ''),
  ],
  [
    'Weibo classification and normalization (src/platforms)',
    (s) => s.slice(0, 4).some((f) => f.url.includes('/src/platforms/')),
  ],
  [
    'verdict rules and recording logic (src/domain, src/engine)',
    (s) => s.slice(0, 3).some((f) => /\/src\/(domain|engine)\//.test(f.url)),
  ],
  [
    'HTTP client (undici, src/http, socket writes)',
    (s) => s.slice(0, 6).some((f) => /undici|\/src\/http\/|node:net|stream_base/.test(f.url)),
  ],
  ['garbage collection', (s) => s[0]!.functionName === '(garbage collector)'],
];

function analyse(p: Profile): {
  busyMs: number;
  startupMs: number;
  cats: [string, number][];
  top: [string, number][];
} {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const time = new Map<number, number>();
  p.samples.forEach((id, i) => time.set(id, (time.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  const stack = (id: number): CallFrame[] => {
    const out: CallFrame[] = [];
    for (let c: number | undefined = id; c !== undefined; c = parent.get(c)) out.push(byId.get(c)!.callFrame);
    return out;
  };
  const cats = new Map<string, number>();
  const self = new Map<string, number>();
  for (const [id, us] of time) {
    const s = stack(id);
    const cat = CATEGORIES.find(([, f]) => f(s))?.[0] ?? 'other';
    cats.set(cat, (cats.get(cat) ?? 0) + us);
    if (cat.startsWith('start-up') || cat === 'idle') continue;
    const f = s[0]!;
    const where = f.url
      ? `${f.url.replace(/^.*\/(dist|node_modules)\//, '')}:${f.lineNumber + 1}`
      : '(native)';
    const key = `\`${f.functionName || '(anonymous)'}\` ${where}`;
    self.set(key, (self.get(key) ?? 0) + us);
  }
  const startup = cats.get(CATEGORIES[0]![0]) ?? 0;
  const idle = cats.get('idle') ?? 0;
  cats.delete(CATEGORIES[0]![0]);
  cats.delete('idle');
  const total = [...time.values()].reduce((a, b) => a + b, 0);
  const busy = total - startup - idle;
  const share = (m: Map<string, number>): [string, number][] =>
    [...m].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, (100 * v) / busy]);
  return { busyMs: busy / 1000, startupMs: startup / 1000, cats: share(cats), top: share(self).slice(0, 15) };
}

async function main(): Promise<void> {
  if (spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' }).status !== 0)
    throw new Error('npm run build failed');
  const server = await startWeiboServer(await postTemplate(), 0);
  const dir = mkdtempSync(join(tmpdir(), 'cw-bench-profile-'));
  try {
    const hosts = Object.fromEntries(
      ['m.weibo.cn', 'weibo.com', 'www.weibo.com', 'passport.weibo.com', 'visitor.passport.weibo.cn'].map(
        (h) => [h, server.base],
      ),
    );
    const config = join(dir, 'run.yaml');
    writeFileSync(
      config,
      stringifyYaml({
        database: join(dir, 'run.db'),
        concurrency: 16,
        platforms: { weibo: { hosts, cookie: 'SUB=bench', minInterval: '0ms' } },
        schedule: { ladder: ['100ms'], discoverEvery: '1h' },
        watches: [{ id: 'bench', name: 'bench', weibo: { posts: syntheticMids(POSTS) } }],
      }),
    );
    const profiles = join(dir, 'prof');
    const run = (seconds: number, profile: boolean): Promise<void> =>
      new Promise<void>((resolve, reject) => {
        const child = spawn(
          process.execPath,
          [
            ...(profile ? ['--cpu-prof', '--cpu-prof-dir', profiles] : []),
            join(ROOT, 'bin', 'censorwatch.js'),
            'run',
            '--config',
            config,
            '--duration',
            `${seconds}s`,
          ],
          { stdio: ['ignore', 'ignore', 'ignore'], env: { ...process.env, CENSORWATCH_LOG: 'warn' } },
        );
        child.once('error', reject);
        child.once('close', (code) =>
          code === 0 ? resolve() : reject(new Error(`censorwatch run exited ${code}`)),
        );
      });
    // Warm-up runs give every post its first check, so the profile is of unchanged re-checks
    // (the steady state a post spends its life in) and not of first captures; on a busy machine
    // one run of WARM_UP_SECONDS may not get through them all, so they go on until one has.
    const checked = (): number => {
      const store = Store.open(join(dir, 'run.db'), { readonly: true });
      try {
        return sqlOf(store).dynamic<{ n: number }>(
          'SELECT COUNT(DISTINCT target_id) AS n FROM observations',
        )[0]!.n;
      } finally {
        store.close();
      }
    };
    for (let k = 0; k < 6 && (k === 0 || checked() < POSTS); k++) await run(WARM_UP_SECONDS, false);
    if (checked() < POSTS)
      throw new Error(
        `the warm-ups checked ${checked()} of ${POSTS} posts: the profile would mix in first checks`,
      );
    const before = (await server.stats())['/statuses/show'] ?? 0;
    await run(SECONDS, true);
    const [file] = readdirSync(profiles);
    if (process.argv[3]) copyFileSync(join(profiles, file!), process.argv[3]);
    const r = analyse(JSON.parse(readFileSync(join(profiles, file!), 'utf8')) as Profile);
    const checks = ((await server.stats())['/statuses/show'] ?? 0) - before;
    for (const [k, v] of r.cats) console.log(`${v.toFixed(1).padStart(5)}%  ${k}`);
    writeSection(
      'Engine CPU profile (bench/profile.ts)',
      [
        `Machine: ${machine()}; load average ${loadavg()
          .map((x) => x.toFixed(1))
          .join(
            ', ',
          )} at the end; ${new Date().toISOString().slice(0, 10)}. \`node --cpu-prof\` of \`censorwatch run\` (embedded) for ${SECONDS} s on 3,000 explicit posts against bench/weibo-server.ts, after runs of ${WARM_UP_SECONDS} s without the profiler gave every post its first check, so what is profiled is unchanged re-checks: ${checks.toLocaleString('en')} checks, ${(r.busyMs / 1000).toFixed(1)} s of CPU samples after start-up (${(r.startupMs / 1000).toFixed(1)} s of start-up left out), ${((1000 * r.busyMs) / Math.max(1, checks)).toFixed(0)} µs per check.`,
        '',
        '| where the CPU goes | share |',
        '|---|---:|',
        ...r.cats.map(([k, v]) => `| ${k} | ${v.toFixed(1)}% |`),
        '',
        'Hottest functions by self time (native work is charged to the JavaScript function that called it):',
        '',
        '| function | share |',
        '|---|---:|',
        ...r.top.map(([k, v]) => `| ${k} | ${v.toFixed(1)}% |`),
      ].join('\n'),
    );
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

/**
 * Seeded mutations of valid configs, for the config fuzz tests (the loader in test/unit/config,
 * the CLI entry in test/integration/cli). Each mutation is a file's bytes plus what was done, so a
 * failure can be replayed from its seed and index.
 */
import iconv from 'iconv-lite';
import { stringify } from 'yaml';
import { createRng, type Rng } from '../../../src/sim/world';

/** A valid config's data, before mutation. */
export type ConfigData = Record<string, unknown>;

/** The seed of every config fuzz test; `CENSORWATCH_FUZZ_SEED` replays another one. */
export const FUZZ_SEED = Number(process.env.CENSORWATCH_FUZZ_SEED ?? 20230426);

/** The environment the loader sees: the secret a valid base config refers to, nothing else. */
export const FUZZ_ENV: NodeJS.ProcessEnv = {
  CW_FUZZ_SECRET: 'whsec_' + Buffer.from('censorwatch-fuzz-secret-key-0001').toString('base64'),
};

/** Where the base configs' `queue.redis` points. @defaultValue the conventional local Redis */
export const BASE_REDIS = 'redis://127.0.0.1:6379';

/**
 * Valid configs covering every section, with `database` as given and `queue.redis` at `redis`
 * (a test that runs them points it at a Redis it started).
 */
export function baseConfigs(database: string, redis = BASE_REDIS): ConfigData[] {
  return [
    { database, watches: [{ id: 'w1', weibo: { keywords: ['联合国 决议'] } }] },
    {
      database,
      platforms: {
        weibo: {
          hosts: { 'm.weibo.cn': 'http://127.0.0.1:9', 'weibo.com': 'http://127.0.0.1:9' },
          cookie: 'SUB=abc',
          minInterval: '2s',
          backoff: { base: '5s', max: '10m' },
          timeout: '20s',
          proxies: ['http://127.0.0.1:3128'],
          userAgent: 'censorwatch-fuzz',
          timeline: 'mobile',
        },
        netease: { hosts: { 'www.163.com': 'http://127.0.0.1:9' }, minInterval: '1s' },
      },
      schedule: {
        discoverEvery: '10m',
        ladder: ['2m', '5m', '1h', '7d', '30d'],
        confirmGone: 2,
        confirmAfter: '1m',
        jitter: 0.1,
      },
      watches: [
        {
          id: 'un-vote-2023',
          name: 'UN vote',
          weibo: {
            keywords: ['联合国 欧洲委员会 决议'],
            accounts: ['1234567890'],
            posts: ['4895123456789012'],
            searchType: 61,
            maxPages: 3,
            comments: true,
          },
          netease: {
            keywords: ['联合国'],
            accounts: ['张佳栋看世界'],
            articles: [],
            maxPages: 2,
            comments: false,
          },
        },
        { id: 'baseline', netease: { keywords: ['天气预报'] } },
      ],
      alerts: {
        webhooks: [
          {
            name: 'lab',
            url: 'https://hooks.example.org/cw?key=1',
            secretEnv: 'CW_FUZZ_SECRET',
            events: ['post.gone'],
            watches: ['un-vote-2023'],
            format: 'standard',
            digest: '15m',
            timeout: '10s',
            maxAttempts: 8,
          },
          { name: 'open', url: 'http://127.0.0.1:9/hook', unsigned: true, format: 'slack' },
        ],
      },
      queue: { redis, prefix: 'cw-fuzz' },
      concurrency: 8,
      browser: { executablePath: null, headless: true },
    },
  ];
}

/** One mutated config file. */
export interface Mutation {
  readonly index: number;
  /** What was done, e.g. `set watches[0].weibo.maxPages = 1000000000000`. */
  readonly what: string;
  readonly kind: 'value' | 'key' | 'bytes' | 'syntax';
  readonly bytes: Buffer;
  /**
   * For a mutation aimed at one rule, what the loader must answer: the paths it refuses, in
   * order, with a pattern their message matches, or `loads`. Absent when any answer is fine.
   */
  readonly expected?: { readonly refused: readonly string[]; readonly message: RegExp } | 'loads';
}

/** Every duration in the base configs but the ladder's rungs (those get their own mutation). */
const DURATION_PATHS: readonly Path[] = [
  ['platforms', 'weibo', 'minInterval'],
  ['platforms', 'weibo', 'backoff', 'base'],
  ['platforms', 'weibo', 'backoff', 'max'],
  ['platforms', 'weibo', 'timeout'],
  ['platforms', 'netease', 'minInterval'],
  ['schedule', 'discoverEvery'],
  ['schedule', 'confirmAfter'],
  ['alerts', 'webhooks', 0, 'digest'],
  ['alerts', 'webhooks', 0, 'timeout'],
];

/** Ladder rungs the rule mutations pick from, in ms. */
const RUNG_MS: Readonly<Record<string, number>> = {
  '30s': 30_000,
  '2m': 120_000,
  '5m': 300_000,
  '1h': 3_600_000,
  '7d': 604_800_000,
  '30d': 2_592_000_000,
};

function configPath(path: Path): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/** The node at `path`, or undefined when the path leaves the data. */
function nodeAt(data: unknown, path: Path): unknown {
  let node = data;
  for (const p of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[p];
  }
  return node;
}

/**
 * A mutation aimed at one of the duration rules, with the answer it must get: a bare number in a
 * duration (refused at its path unless it is 0), or a ladder in a random order and with repeats
 * (refused at each rung shorter than the one before it, loaded when none is).
 */
function ruleMutation(
  rng: Rng,
  base: ConfigData,
): { what: string; data: unknown; expected: NonNullable<Mutation['expected']> } {
  const data = clone(base);
  const durations = DURATION_PATHS.filter((p) => nodeAt(data, p) !== undefined);
  if (durations.length > 0 && rng.chance(0.5)) {
    const path = rng.pick(durations);
    const value = rng.pick([0, 0.5, 1, 2, 30, 500, 1000, 60_000]);
    const parent = nodeAt(data, path.slice(0, -1)) as Record<string | number, unknown>;
    parent[path[path.length - 1] ?? ''] = value;
    const where = configPath(path);
    // 0 means none in a field that allows it; where a positive duration is needed, 0 is refused.
    const positive = !/minInterval|confirmAfter$/.test(where);
    return {
      what: `set ${where} = ${value} (no unit)`,
      data,
      expected:
        value !== 0
          ? { refused: [where], message: /^a bare number has no unit: write \S+s for seconds or \S+ms/ }
          : positive
            ? { refused: [where], message: /^expected a duration > 0/ }
            : 'loads',
    };
  }
  const names = Object.keys(RUNG_MS);
  const ladder = Array.from({ length: rng.int(1, 6) }, () => rng.pick(names));
  const schedule = (data.schedule ?? {}) as Record<string, unknown>;
  data.schedule = { ...schedule, ladder };
  const refused = ladder.flatMap((r, i) =>
    i > 0 && RUNG_MS[r]! < RUNG_MS[ladder[i - 1]!]! ? [`schedule.ladder[${i}]`] : [],
  );
  return {
    what: `set schedule.ladder = [${ladder.join(', ')}]`,
    data,
    expected: refused.length > 0 ? { refused, message: /is shorter than the rung before it/ } : 'loads',
  };
}

const ODD_VALUES: readonly unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  0.5,
  1,
  100,
  101,
  1000,
  1001,
  2 ** 31 - 1,
  2 ** 31,
  1e12,
  Number.MAX_SAFE_INTEGER + 2,
  1e308,
  '',
  ' ',
  '0',
  '-5m',
  '1e3s',
  '5x',
  '24d',
  '25d',
  '366d',
  '9999999999999999999999d',
  'rediss://',
  'redis://:pw@',
  'https://h.example.org/x?q=1#f',
  'ftp://x',
  'a\r\nb',
  '联合国',
  '\u0000',
  'x'.repeat(5000),
  [],
  [1, 'a', null],
  [[[]]],
  {},
  { a: 1 },
];

const KEYS = [
  'database',
  'watches',
  'platforms',
  'weibo',
  'keywords',
  'minInterval',
  'unsigned',
  'x',
  '',
  '联合国',
  '__proto__',
  'constructor',
];

type Path = (string | number)[];

/** Every path to a value inside `data`, objects and arrays included. */
function paths(data: unknown, prefix: Path = []): Path[] {
  const out: Path[] = [prefix];
  if (Array.isArray(data)) data.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (data !== null && typeof data === 'object') {
    for (const [k, v] of Object.entries(data)) out.push(...paths(v, [...prefix, k]));
  }
  return out;
}

function show(path: Path): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('') || '(root)';
}

function clone<T>(v: T): T {
  return structuredClone(v);
}

function parentOf(root: ConfigData, path: Path): Record<string | number, unknown> | null {
  let node: unknown = root;
  for (const p of path.slice(0, -1)) node = (node as Record<string | number, unknown>)[p];
  return node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>) : null;
}

function valueMutation(rng: Rng, base: ConfigData): { what: string; kind: Mutation['kind']; data: unknown } {
  const data = clone(base);
  const all = paths(data).filter((p) => p.length > 0);
  // Earlier deletions can leave an empty document: then only adding a key is possible.
  const op = all.length === 0 ? 2 : rng.int(0, 3);
  const path = all.length === 0 ? [] : rng.pick(all);
  const parent = parentOf(data, path);
  const key = path[path.length - 1] ?? '';
  if (op === 0 && parent && path.length > 0) {
    const value = clone(rng.pick(ODD_VALUES));
    parent[key] = value;
    return { what: `set ${show(path)} = ${JSON.stringify(value)?.slice(0, 60)}`, kind: 'value', data };
  }
  if (op === 1 && parent && path.length > 0) {
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete parent[key];
    return { what: `delete ${show(path)}`, kind: 'key', data };
  }
  if (op === 2) {
    const objects = paths(data).filter((p) => {
      let node: unknown = data;
      for (const s of p) node = (node as Record<string | number, unknown>)[s];
      return node !== null && typeof node === 'object' && !Array.isArray(node);
    });
    const at = rng.pick(objects);
    let node: unknown = data;
    for (const s of at) node = (node as Record<string | number, unknown>)[s];
    const name = rng.pick(KEYS);
    Object.defineProperty(node, name, {
      value: rng.pick(ODD_VALUES),
      enumerable: true,
      writable: true,
      configurable: true,
    });
    return { what: `add key ${JSON.stringify(name)} at ${show(at)}`, kind: 'key', data };
  }
  // Two changes at once: the loader must report both, or at least not trip over the pair.
  const first = valueMutation(rng, base);
  const second = valueMutation(rng, first.data as ConfigData);
  return { what: `${first.what}; ${second.what}`, kind: first.kind, data: second.data };
}

function textMutation(rng: Rng, text: string): { what: string; kind: Mutation['kind']; bytes: Buffer } {
  const bytes = Buffer.from(text);
  const at = rng.int(0, bytes.length);
  const splice = (insert: Buffer, remove = 0): Buffer =>
    Buffer.concat([bytes.subarray(0, at), insert, bytes.subarray(at + remove)]);
  switch (rng.int(0, 9)) {
    case 0:
      return { what: `GBK bytes at ${at}`, kind: 'bytes', bytes: splice(iconv.encode('联合国', 'gbk')) };
    case 1: {
      const junk = Buffer.from(Array.from({ length: rng.int(1, 4) }, () => rng.int(0x80, 0xff)));
      return { what: `bytes ${junk.toString('hex')} at ${at}`, kind: 'bytes', bytes: splice(junk) };
    }
    case 2:
      return {
        what: 'UTF-16 with BOM',
        kind: 'bytes',
        bytes: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
      };
    case 3:
      return { what: `truncated at ${at}`, kind: 'syntax', bytes: bytes.subarray(0, at) };
    case 4: {
      const s = rng.pick([
        ':',
        '{',
        '[',
        '"',
        "'",
        '\t',
        '- ',
        '&a ',
        '*b ',
        '!!binary ',
        '? ',
        '%YAML 9\n',
        '---\n',
        '\n  ',
      ]);
      return { what: `insert ${JSON.stringify(s)} at ${at}`, kind: 'syntax', bytes: splice(Buffer.from(s)) };
    }
    case 5:
      return { what: `delete byte at ${at}`, kind: 'syntax', bytes: splice(Buffer.alloc(0), 1) };
    case 6: {
      const lines = text.split('\n');
      const i = rng.int(0, lines.length - 1);
      lines.splice(i, 0, lines[i] ?? '');
      return { what: `duplicate line ${i + 1}`, kind: 'syntax', bytes: Buffer.from(lines.join('\n')) };
    }
    case 7: {
      const lines = text.split('\n');
      const i = rng.int(0, lines.length - 1);
      lines[i] = rng.chance(0.5) ? ` ${lines[i] ?? ''}` : (lines[i] ?? '').replace(/^ {1,2}/, '');
      return { what: `re-indent line ${i + 1}`, kind: 'syntax', bytes: Buffer.from(lines.join('\n')) };
    }
    case 8:
      return {
        what: 'alias bomb',
        kind: 'syntax',
        bytes: Buffer.from(
          `a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n${text}`,
        ),
      };
    default:
      return {
        what: 'nested 1000 deep',
        kind: 'syntax',
        bytes: Buffer.from(`${text}extra: ${'['.repeat(1_000)}${']'.repeat(1_000)}\n`),
      };
  }
}

/**
 * `count` mutations of the base configs, deterministic for a seed: a tenth aimed at the duration
 * rules (with their expected answer), of the rest about half change values and keys in the data
 * (types, bounds, unknown and missing keys), half change the file's bytes (encodings, YAML syntax).
 */
export function mutations(seed: number, count: number, database: string, redis = BASE_REDIS): Mutation[] {
  const rng = createRng(seed);
  const bases = baseConfigs(database, redis);
  const out: Mutation[] = [];
  for (let index = 0; index < count; index++) {
    const base = rng.pick(bases);
    if (rng.chance(0.1)) {
      const m = ruleMutation(rng, base);
      out.push({
        index,
        what: m.what,
        kind: 'value',
        bytes: Buffer.from(stringify(m.data)),
        expected: m.expected,
      });
    } else if (rng.chance(0.5)) {
      const m = valueMutation(rng, base);
      out.push({ index, what: m.what, kind: m.kind, bytes: Buffer.from(stringify(m.data)) });
    } else {
      const m = textMutation(rng, stringify(base));
      out.push({ index, ...m });
    }
  }
  return out;
}

import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../../src/config';
import { createRng } from '../../../src/sim/world';
import { testRedisUrl } from '../../helpers/redis-server';
import { cli, type CliResult } from '../cli/helpers';
import { obliterate } from '../distributed/helpers';
import { FUZZ_ENV, FUZZ_SEED, mutations, type Mutation } from '../../unit/config/mutations';

// Each sampled mutation is a `run` process; on a loaded machine one can take several seconds.
jest.setTimeout(240_000);

const dir = mkdtempSync(join(tmpdir(), 'censorwatch-chaos-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The base configs' queue goes to the suite's private Redis, never to one someone else uses. */
const REDIS = testRedisUrl();
/** The queue prefix of the base config that has one. */
const PREFIX = 'cw-fuzz';

/** Overrides from the outer environment would change what loads; empty counts as unset. */
const ENV = {
  ...FUZZ_ENV,
  CENSORWATCH_DATABASE: '',
  CENSORWATCH_REDIS: '',
  CENSORWATCH_CONCURRENCY: '',
  CENSORWATCH_WEIBO_COOKIE: '',
};

/** Mutations per answer through `run`: loaded ones run for a second, refused ones must exit 2. */
const SAMPLE = { loaded: 4, value: 3, key: 3, bytes: 2, syntax: 2 } as const;

/** A line of a JavaScript stack trace, as a crash would print it. */
const STACK_LINE = /^\s+at .+:\d+:\d+\)?$/m;

/** `run` for a second, from inside the scratch directory so a relative path lands there too. */
function runFor(j: Judged): Promise<CliResult> {
  return cli(['run', '--config', j.file, '--duration', '1s'], { cwd: dir, env: ENV, timeoutMs: 120_000 });
}

/**
 * What is wrong with a refused config's answer: it must be exit 2, nothing on stdout, and one
 * `path: message` line per problem under the file's name. The lines are those of the loader in
 * this process, except where the parser ran out of stack (a 1000-deep nesting): the CLI's stack is
 * shallower than a jest worker's, and it names the file position instead.
 */
function judgeRefused(j: Judged, r: CliResult): string[] {
  const where = `#${j.m.index} (${j.m.what})`;
  const err = j.answer as ConfigError;
  const expected = `censorwatch: bad config ${j.file}:\n${err.message.replace(/^/gm, '  ')}\n`;
  const out: string[] = [];
  if (STACK_LINE.test(r.stderr)) out.push(`${where}: a stack trace:\n${r.stderr}`);
  const header = `censorwatch: bad config ${j.file}:\n`;
  const lines = r.stderr.startsWith(header) ? r.stderr.slice(header.length).split('\n').slice(0, -1) : [];
  const named = lines.length > 0 && lines.every((l) => /^ {2}\S[^:]*(:\d+:\d+)?: \S/.test(l));
  const same = r.stderr === expected || /Maximum call stack size exceeded/.test(r.stderr);
  if (r.code !== 2 || r.stdout !== '' || !named || !same)
    out.push(`${where}: expected exit 2 with\n${expected}got exit ${r.code} with\n${r.stderr}${r.stdout}`);
  return out;
}

interface Judged {
  readonly m: Mutation;
  readonly file: string;
  readonly answer: { database: string } | ConfigError;
}

describe('config fuzzing through `censorwatch run`', () => {
  it(`every sampled mutation runs, or exits 2 naming its paths; never a stack trace (seed ${FUZZ_SEED})`, async () => {
    const database = join(dir, 'cw.db');
    const judged: Judged[] = mutations(FUZZ_SEED, 300, database, REDIS).map((m) => {
      const file = join(dir, `m${m.index}.yaml`);
      writeFileSync(file, m.bytes);
      try {
        return { m, file, answer: { database: loadConfig(file, ENV).database } };
      } catch (err) {
        if (err instanceof ConfigError) return { m, file, answer: err };
        throw new Error(
          `config fuzz seed ${FUZZ_SEED} #${m.index} (${m.what}): the loader threw ${String(err)}`,
          {
            cause: err,
          },
        );
      }
    });
    // Loaded samples keep the database inside this directory, so running them writes nowhere else.
    const inside = (j: Judged): boolean =>
      !(j.answer instanceof ConfigError) && j.answer.database.startsWith(dir);
    const rng = createRng(FUZZ_SEED);
    const sample: Judged[] = [];
    for (const [kind, n] of Object.entries(SAMPLE)) {
      const pool = judged.filter((j) =>
        kind === 'loaded' ? inside(j) : j.answer instanceof ConfigError && j.m.kind === kind,
      );
      sample.push(...rng.shuffle(pool).slice(0, n));
    }
    expect(sample).toHaveLength(Object.values(SAMPLE).reduce((a, b) => a + b, 0));

    const failures: string[] = [];
    const refused = sample.filter((j) => j.answer instanceof ConfigError);
    const loaded = sample.filter((j) => !(j.answer instanceof ConfigError));

    // Refused configs write nothing, so they can go two at a time.
    const before = readdirSync(dir).sort();
    for (let i = 0; i < refused.length; i += 2) {
      const batch = refused.slice(i, i + 2);
      const results = await Promise.all(batch.map((j) => runFor(j)));
      batch.forEach((j, k) => failures.push(...judgeRefused(j, results[k]!)));
    }
    const after = readdirSync(dir).sort();
    if (after.join('\n') !== before.join('\n'))
      failures.push(`refused configs wrote ${after.filter((f) => !before.includes(f)).join(', ')}`);

    // Loaded ones share the base config's queue prefix: one at a time, the queues cleared after each.
    for (const j of loaded) {
      const where = `#${j.m.index} (${j.m.what})`;
      const r = await runFor(j);
      await obliterate(REDIS, PREFIX).catch(() => undefined);
      const database = (j.answer as { database: string }).database;
      if (STACK_LINE.test(r.stderr)) failures.push(`${where}: a stack trace:\n${r.stderr}`);
      if (r.code !== 0) failures.push(`${where}: loads, so run should run; got exit ${r.code}:\n${r.stderr}`);
      else if (!existsSync(database)) failures.push(`${where}: ran without creating ${database}`);
      for (const suffix of ['', '-wal', '-shm']) rmSync(database + suffix, { force: true });
    }
    if (failures.length > 0)
      throw new Error(
        `config fuzz seed ${FUZZ_SEED} (CENSORWATCH_FUZZ_SEED replays it):\n${failures.join('\n\n')}`,
      );
  });
});

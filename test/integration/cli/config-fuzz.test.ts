import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../../src/config';
import { createRng } from '../../../src/sim/world';
import { Store } from '../../../src/store/store';
import { FUZZ_ENV, FUZZ_SEED, mutations, type Mutation } from '../../unit/config/mutations';
import { cli } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'censorwatch-config-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Overrides from the outer environment would change what loads; empty counts as unset. */
const ENV = {
  ...FUZZ_ENV,
  CENSORWATCH_DATABASE: '',
  CENSORWATCH_REDIS: '',
  CENSORWATCH_CONCURRENCY: '',
  CENSORWATCH_WEIBO_COOKIE: '',
};

/** How many mutations go through the real CLI: each is a process start, slow on a loaded machine. */
const SAMPLE = { loaded: 2, value: 1, key: 1, bytes: 1, syntax: 1 } as const;

interface Judged {
  readonly m: Mutation;
  readonly file: string;
  /** The loader's answer in this process: the config's database, or its error. */
  readonly answer: { database: string } | ConfigError;
}

describe('config fuzzing through the CLI entry', () => {
  it(`a seeded sample of mutations: verify runs, or exits 2 with the loader's issues, never a stack trace (seed ${FUZZ_SEED})`, async () => {
    const database = join(dir, 'cw.db');
    Store.open(database).close();
    const judged: Judged[] = mutations(FUZZ_SEED, 300, database).map((m) => {
      const file = join(dir, `m${m.index}.yaml`);
      writeFileSync(file, m.bytes);
      try {
        return { m, file, answer: { database: loadConfig(file, ENV).database } };
      } catch (err) {
        if (err instanceof ConfigError) return { m, file, answer: err };
        throw new Error(
          `config fuzz seed ${FUZZ_SEED} #${m.index} (${m.what}): the loader threw ${String(err)}`,
          { cause: err },
        );
      }
    });
    const rng = createRng(FUZZ_SEED);
    const sample: Judged[] = [];
    for (const [kind, n] of Object.entries(SAMPLE)) {
      const pool = judged.filter((j) =>
        kind === 'loaded'
          ? !(j.answer instanceof ConfigError)
          : j.answer instanceof ConfigError && j.m.kind === kind,
      );
      sample.push(...rng.shuffle(pool).slice(0, n));
    }
    expect(sample).toHaveLength(Object.values(SAMPLE).reduce((a, b) => a + b, 0));
    const before = readdirSync(dir).sort();

    const failures: string[] = [];
    for (const j of sample) {
      const r = await cli(['verify', '--config', j.file], { env: ENV });
      const where = `#${j.m.index} (${j.m.what})`;
      if (/^\s+at .+:\d+:\d+\)?$/m.test(r.stderr)) failures.push(`${where}: a stack trace:\n${r.stderr}`);
      if (j.answer instanceof ConfigError) {
        const expected = `censorwatch: bad config ${j.file}:\n${j.answer.message.replace(/^/gm, '  ')}\n`;
        // Where the parser ran out of stack (a 1000-deep nesting), the CLI's stack is shallower than a
        // jest worker's: it names the file position instead of the loader's issue in this process.
        const same =
          r.stderr === expected ||
          (/^censorwatch: bad config .*:\n {2}\S+:\d+:\d+: YAML syntax error: Maximum call stack size exceeded\n$/.test(
            r.stderr,
          ) &&
            j.m.kind === 'syntax');
        if (r.code !== 2 || r.stdout !== '' || !same) {
          failures.push(
            `${where}: expected exit 2 with\n${expected}got exit ${r.code} with\n${r.stderr}${r.stdout}`,
          );
        }
      } else if (j.answer.database === database) {
        if (r.code !== 0 || !/ all intact\n/.test(r.stdout)) {
          failures.push(`${where}: loads, so verify should pass; got exit ${r.code}: ${r.stderr}${r.stdout}`);
        }
      } else if (r.code !== 2 || !r.stderr.includes(`  database: ${j.answer.database} does not exist`)) {
        failures.push(
          `${where}: names another database, which verify must refuse; got exit ${r.code}: ${r.stderr}`,
        );
      }
    }
    if (failures.length > 0) {
      throw new Error(
        `config fuzz seed ${FUZZ_SEED} (CENSORWATCH_FUZZ_SEED replays it):\n${failures.join('\n\n')}`,
      );
    }
    // Nothing was written beside the files this test wrote: no database, no directory for one.
    expect(readdirSync(dir).sort()).toEqual(before);
    // Six process starts: a generous cap for a loaded machine.
  }, 300_000);
});

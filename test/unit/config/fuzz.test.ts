import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { ConfigError, loadConfig, type Config } from '../../../src/config';
import { removeTempDirs, tempDir } from './helpers';
import { baseConfigs, FUZZ_ENV, FUZZ_SEED, mutations, type Mutation } from './mutations';

afterAll(removeTempDirs);

/** Bounded by count, not time, so a loaded CI machine runs the same inputs. */
const COUNT = 1_000;

/** What is wrong with the loader's answer to a mutation aimed at one rule, or null. */
function ruleProblem(m: Mutation, answer: Config | ConfigError): string | null {
  const expected = m.expected;
  if (expected === undefined) return null;
  if (expected === 'loads')
    return answer instanceof ConfigError ? `should load, refused: ${answer.message}` : null;
  if (!(answer instanceof ConfigError)) return `should be refused at ${expected.refused.join(', ')}, loaded`;
  const paths = answer.issues.map((i) => i.path);
  if (paths.join() !== expected.refused.join())
    return `should be refused at ${expected.refused.join(', ')}, refused at ${paths.join(', ')}`;
  const off = answer.issues.find((i) => !expected.message.test(i.message));
  return off ? `${off.path}: ${off.message} does not match ${String(expected.message)}` : null;
}

/** How the loader answered a mutation: `loaded`, `refused` (a proper ConfigError), or what is wrong. */
function judge(m: Mutation, file: string): 'loaded' | 'refused' | { wrong: string } {
  let config: Config;
  try {
    config = loadConfig(file, FUZZ_ENV);
  } catch (err) {
    if (err instanceof ConfigError) {
      const wrong = ruleProblem(m, err);
      if (wrong !== null) return { wrong };
    }
    if (!(err instanceof ConfigError)) {
      return { wrong: `threw ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}` };
    }
    if (err.exitCode !== 2) return { wrong: `exit code ${err.exitCode}` };
    if (err.issues.length === 0) return { wrong: 'a ConfigError with no issues' };
    for (const issue of err.issues) {
      if (typeof issue.path !== 'string' || issue.path.trim() === '') {
        return { wrong: `an issue without a path: ${issue.message}` };
      }
      if (typeof issue.message !== 'string' || issue.message.trim() === '') {
        return { wrong: `${issue.path}: no message` };
      }
      if (/\[object Object\]|\bat .+:\d+:\d+\)?$/m.test(issue.message)) {
        return { wrong: `${issue.path}: ${issue.message}` };
      }
    }
    return 'refused';
  }
  const wrong = ruleProblem(m, config);
  if (wrong !== null) return { wrong };
  // Whatever the mutation, a config that loads has a ladder from dense to sparse.
  const { ladder } = config.schedule;
  if (ladder.some((ms, i) => i > 0 && ms < (ladder[i - 1] ?? 0)))
    return { wrong: `loaded a descending ladder [${ladder.join(', ')}]` };
  return Object.isFrozen(config) ? 'loaded' : { wrong: 'loaded but not frozen' };
}

describe('config fuzzing: every mutation of a valid config loads or names a path, never throws anything else', () => {
  it('every base config loads (a mutation of an invalid one would test nothing)', () => {
    const dir = tempDir();
    const file = path.join(dir, 'base.yaml');
    for (const base of baseConfigs(path.join(dir, 'never-created.db'))) {
      fs.writeFileSync(file, stringify(base));
      expect(() => loadConfig(file, FUZZ_ENV)).not.toThrow();
    }
  });

  it(`${COUNT} seeded mutations (seed ${FUZZ_SEED}; CENSORWATCH_FUZZ_SEED replays another)`, () => {
    const dir = tempDir();
    const file = path.join(dir, 'fuzz.yaml');
    const failures: string[] = [];
    const outcomes = { loaded: 0, refused: 0 };
    const byKind = new Map<Mutation['kind'], number>();
    for (const m of mutations(FUZZ_SEED, COUNT, path.join(dir, 'never-created.db'))) {
      byKind.set(m.kind, (byKind.get(m.kind) ?? 0) + 1);
      fs.writeFileSync(file, m.bytes);
      const answer = judge(m, file);
      if (typeof answer === 'string') outcomes[answer]++;
      else failures.push(`#${m.index} (${m.what}): ${answer.wrong}`);
    }
    if (failures.length > 0) {
      throw new Error(
        `config fuzz seed ${FUZZ_SEED}: ${failures.length} of ${COUNT} mutations went wrong (replay with CENSORWATCH_FUZZ_SEED=${FUZZ_SEED}):\n${failures.slice(0, 20).join('\n')}`,
      );
    }
    // The rule mutations reached both answers, or they prove little.
    const aimed = mutations(FUZZ_SEED, COUNT, '').filter((m) => m.expected !== undefined);
    expect(aimed.filter((m) => m.expected === 'loads').length).toBeGreaterThan(COUNT / 100);
    expect(aimed.filter((m) => m.expected !== 'loads').length).toBeGreaterThan(COUNT / 50);
    // The mutations exercise both answers and every kind, or the test proves little.
    expect(outcomes.loaded).toBeGreaterThan(COUNT / 20);
    expect(outcomes.refused).toBeGreaterThan(COUNT / 4);
    for (const kind of ['value', 'key', 'bytes', 'syntax'] as const)
      expect(byKind.get(kind) ?? 0).toBeGreaterThan(COUNT / 20);
    // Loading never wrote anything: not the database, not a directory for it.
    expect(fs.readdirSync(dir)).toEqual(['fuzz.yaml']);
  });
});

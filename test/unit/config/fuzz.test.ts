import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError, loadConfig } from '../../../src/config';
import { removeTempDirs, tempDir } from './helpers';
import { FUZZ_ENV, FUZZ_SEED, mutations, type Mutation } from './mutations';

afterAll(removeTempDirs);

/** Bounded by count, not time, so a loaded CI machine runs the same inputs. */
const COUNT = 1_000;

/** How the loader answered a mutation: `loaded`, `refused` (a proper ConfigError), or what is wrong. */
function judge(file: string): 'loaded' | 'refused' | { wrong: string } {
  let config: unknown;
  try {
    config = loadConfig(file, FUZZ_ENV);
  } catch (err) {
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
  return Object.isFrozen(config) ? 'loaded' : { wrong: 'loaded but not frozen' };
}

describe('config fuzzing: every mutation of a valid config loads or names a path, never throws anything else', () => {
  it(`${COUNT} seeded mutations (seed ${FUZZ_SEED}; CENSORWATCH_FUZZ_SEED replays another)`, () => {
    const dir = tempDir();
    const file = path.join(dir, 'fuzz.yaml');
    const failures: string[] = [];
    const outcomes = { loaded: 0, refused: 0 };
    const byKind = new Map<Mutation['kind'], number>();
    for (const m of mutations(FUZZ_SEED, COUNT, path.join(dir, 'never-created.db'))) {
      byKind.set(m.kind, (byKind.get(m.kind) ?? 0) + 1);
      fs.writeFileSync(file, m.bytes);
      const answer = judge(file);
      if (typeof answer === 'string') outcomes[answer]++;
      else failures.push(`#${m.index} (${m.what}): ${answer.wrong}`);
    }
    if (failures.length > 0) {
      throw new Error(
        `config fuzz seed ${FUZZ_SEED}: ${failures.length} of ${COUNT} mutations went wrong (replay with CENSORWATCH_FUZZ_SEED=${FUZZ_SEED}):\n${failures.slice(0, 20).join('\n')}`,
      );
    }
    // The mutations exercise both answers and every kind, or the test proves little.
    expect(outcomes.loaded).toBeGreaterThan(COUNT / 20);
    expect(outcomes.refused).toBeGreaterThan(COUNT / 4);
    for (const kind of ['value', 'key', 'bytes', 'syntax'] as const)
      expect(byKind.get(kind) ?? 0).toBeGreaterThan(COUNT / 20);
    // Loading never wrote anything: not the database, not a directory for it.
    expect(fs.readdirSync(dir)).toEqual(['fuzz.yaml']);
  });
});

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError } from '../../../src/config';

/** A fresh directory under the OS temp dir, removed by {@link removeTempDirs}. */
const dirs: string[] = [];
export function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'censorwatch-config-'));
  dirs.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** Writes `text` as a YAML file in a fresh temp dir and returns its path. */
export function writeYaml(text: string, name = 'watch.yaml'): string {
  const file = path.join(tempDir(), name);
  fs.writeFileSync(file, text);
  return file;
}

/** Runs `fn`, expecting a ConfigError with exit code 2, and returns it. */
export function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) {
      expect(err.exitCode).toBe(2);
      return err;
    }
    throw err;
  }
  throw new Error('expected a ConfigError, but the config was accepted');
}

/** A minimal valid config with one watch, as YAML. */
export const MINIMAL = `database: data/test.db
watches:
  - id: w1
    name: One
    weibo: { keywords: ["联合国 决议"] }
`;

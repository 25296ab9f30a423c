/**
 * Temp folders for one test file. Each jest test file has its own module registry, so the folders
 * made here belong to the calling file and are removed in its afterAll, pass or fail, after the
 * closers registered with {@link beforeTempRemoval} (databases inside them) have run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];
const closers: (() => void | Promise<void>)[] = [];

// Registered on import, at the top level of the importing file: jest forbids hooks inside tests.
afterAll(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  removeTempDirs();
});

/** A new empty folder under the OS temp dir, removed after the calling file's tests. */
export function tempDir(prefix = 'censorwatch-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Runs `close` after the file's tests, before the temp folders are removed. */
export function beforeTempRemoval(close: () => void | Promise<void>): void {
  closers.push(close);
}

/** Removes every folder {@link tempDir} made so far (afterAll does this on its own). */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

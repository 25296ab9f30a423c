/**
 * jest globalSetup: compiles src/ and workers/ into dist/ before any test runs, because the tests
 * that spawn the CLI run bin/censorwatch.js, which runs dist/ only. Building here (incremental, so
 * an unchanged tree costs a few seconds) means those tests always run the source as edited and
 * exercise the same compiled entry points a deployment does.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

export default function buildDist(): void {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
}

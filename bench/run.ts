/**
 * `npm run bench`: runs every benchmark in turn; each writes its section of bench/RESULTS.md.
 * bench/compare has dependencies of its own (Crawlee, Playwright) that the root `npm ci` never
 * installs: they are installed here on first use, and the comparison is skipped, saying why, when
 * that fails (no network).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const benches = [
  'engine.ts',
  'distributed.ts',
  'fetchers.ts',
  'scale.ts',
  'compare/compare.ts',
  'profile.ts',
  'capture.ts',
  'evidence-storage.ts',
  'screenshots.ts',
].filter((f) => existsSync(join(__dirname, f)));

/** Installs bench/compare's own dependencies if missing; false (with the reason printed) when that fails. */
function compareReady(): boolean {
  const dir = join(__dirname, 'compare');
  if (existsSync(join(dir, 'node_modules', 'crawlee'))) return true;
  console.log('bench/compare: installing its own dependencies (npm ci --prefix bench/compare)');
  const r = spawnSync('npm', ['ci', '--prefix', dir, '--no-audit', '--no-fund'], { stdio: 'inherit' });
  if (r.status === 0) return true;
  console.log(
    'bench/compare: SKIPPED: its dependencies (crawlee, playwright-core) could not be installed; run `npm ci --prefix bench/compare`, then `npm run bench:compare`',
  );
  return false;
}

for (const b of benches) {
  if (b.startsWith('compare/') && !compareReady()) continue;
  console.log(`\n== ${b}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, b)], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

/** `npm run bench`: runs every benchmark in turn; each writes its section of bench/RESULTS.md. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const benches = ['engine.ts', 'distributed.ts', 'capture.ts', 'evidence-storage.ts', 'screenshots.ts'].filter((f) =>
  existsSync(join(__dirname, f)),
);
for (const b of benches) {
  console.log(`\n== ${b}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, b)], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

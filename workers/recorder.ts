/**
 * The recorder role: the single SQLite writer. Applies fetched results and the scheduler's leases.
 * Exactly one recorder process may run per database, on the machine that holds the file.
 *
 *   node dist/workers/recorder.js --config FILE   (same as `censorwatch worker --role recorder`)
 *
 * The role itself is built in src/cli/roles/recorder.ts.
 */
import { runMain } from '../src/cli/program';

runMain(['worker', '--role', 'recorder', ...process.argv.slice(2)]);

/**
 * The scheduler role: ticks from a BullMQ job scheduler, reads due work from SQLite (read-only) and
 * enqueues it. Runs on the machine that holds the database file, beside the recorder.
 *
 *   node dist/workers/scheduler.js --config FILE   (same as `censorwatch worker --role scheduler`)
 *
 * The role itself is built in src/cli/roles/scheduler.ts.
 */
import { runMain } from '../src/cli/program';

runMain(['worker', '--role', 'scheduler', ...process.argv.slice(2)]);

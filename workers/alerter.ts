/**
 * The alerter role: delivers webhooks for recorded events (the alerts module), woken by the
 * recorder through the alert queue. It reads events from SQLite and writes only its own delivery
 * bookkeeping there, so it runs on the machine that holds the database file.
 *
 *   node dist/workers/alerter.js --config FILE   (same as `censorwatch worker --role alerter`)
 *
 * The role itself is built in src/cli/roles/alerter.ts.
 */
import { runMain } from '../src/cli/program';

runMain(['worker', '--role', 'alerter', ...process.argv.slice(2)]);

/**
 * Entry file of the CLI (`node dist/workers/cli.js …`, or through bin/censorwatch.js). The program
 * itself lives in src/cli/program.ts, one module per command in src/cli/commands/.
 */
import { main, runMain } from '../src/cli/program';

export { main };

if (require.main === module) runMain(process.argv.slice(2));

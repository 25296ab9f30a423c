/** `verify`: re-hash the kept evidence and the observation chain. */
import type { Command } from 'commander';
import { loadConfig } from '../../config';
import { verifyStore } from '../../store/verify';
import { withStore, type CliContext } from '../support';

/** Registers `verify` on the program. */
export function verifyCommand(program: Command, _ctx: CliContext): Command {
  return program
    .command('verify')
    .description('re-hash the kept evidence and the observation chain; exits 1 if anything was altered')
    .requiredOption('-c, --config <file>', 'watch config (YAML)')
    .action((opts: { config: string }) => {
      const config = loadConfig(opts.config);
      const r = withStore(config, (store) => verifyStore(store));
      process.stdout.write(
        `${r.observations} observations, ${r.blobs} evidence bodies checked: ${r.problems.length ? `${r.problems.length} problems` : 'all intact'}\n`,
      );
      for (const p of r.problems) process.stdout.write(`  ${p}\n`);
      if (r.problems.length) process.exitCode = 1;
    });
}

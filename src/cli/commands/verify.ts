/** `verify`: re-hash the kept evidence, the one log over all observations and each target's chain. */
import type { Command } from 'commander';
import { loadConfig } from '../../config';
import { verifyStore } from '../../store/verify';
import { CONFIG_OPTION_HELP, pathArg, withStore, type CliContext } from '../support';
import { plural } from '../../report/format';

/** Registers `verify` on the program. */
export function verifyCommand(program: Command, _ctx: CliContext): Command {
  return program
    .command('verify')
    .description(
      "re-hash the kept evidence, the one log over all observations and each target's chain; exits 1 if anything was altered",
    )
    .requiredOption('-c, --config <file>', CONFIG_OPTION_HELP, pathArg)
    .option('--head', "print only the log's current head (`SEQ HEAD`), e.g. to publish or time-stamp it")
    .action((opts: { config: string; head?: boolean }) => {
      const config = loadConfig(opts.config);
      if (opts.head) {
        const head = withStore(config, (store) => store.log.head());
        process.stdout.write(`${head.seq} ${head.head}\n`);
        return;
      }
      const r = withStore(config, (store) => verifyStore(store));
      process.stdout.write(
        `${plural(r.observations, 'observation')}, ${plural(r.entries, 'log entry', 'log entries')}, ${plural(r.blobs, 'evidence body', 'evidence bodies')} checked: ${r.problems.length ? plural(r.problems.length, 'problem') : 'all intact'}\n`,
      );
      process.stdout.write(`log head: ${r.head.seq} ${r.head.head}\n`);
      if (r.firstBroken)
        process.stdout.write(
          `first broken link: log entry ${r.firstBroken.seq} (observation ${r.firstBroken.observationId}): ${r.firstBroken.reason}\n`,
        );
      for (const p of r.problems) process.stdout.write(`  ${p}\n`);
      if (r.problems.length) process.exitCode = 1;
    });
}

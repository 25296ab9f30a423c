/** `export`: targets or events as JSON lines or CSV. */
import { Option, type Command } from 'commander';
import { loadConfig, requireWatch } from '../../config';
import { exportEvents, exportTargets } from '../../report';
import { openExisting } from '../../store/open-existing';
import { output, type CliContext } from '../support';

/** Registers `export` on the program. */
export function exportCommand(program: Command, _ctx: CliContext): Command {
  return program
    .command('export')
    .description('one row per target (default) or per event, as JSON lines or CSV, for R and pandas')
    .requiredOption('-c, --config <file>', 'watch config (YAML)')
    .addOption(
      new Option('-f, --format <format>', 'output format').choices(['jsonl', 'csv']).makeOptionMandatory(),
    )
    .addOption(
      new Option('--what <what>', 'rows to export').choices(['targets', 'events']).default('targets'),
    )
    .option('-w, --watch <id>', 'only this watch')
    .option('-o, --out <file>', 'write to this file instead of stdout')
    .action(
      async (opts: {
        config: string;
        format: 'jsonl' | 'csv';
        what: string;
        watch?: string;
        out?: string;
      }) => {
        const config = loadConfig(opts.config);
        if (opts.watch) requireWatch(config, opts.watch);
        // Opened before --out is created, so a missing database leaves no empty output file behind.
        const store = openExisting(config.database, { source: config.source });
        const out = output(opts.out);
        try {
          const args = { watchId: opts.watch, format: opts.format };
          if (opts.what === 'events') await exportEvents(store, args, out.stream);
          else await exportTargets(store, args, out.stream);
        } finally {
          store.close();
          await out.done();
        }
      },
    );
}

/** `export`: targets or events as JSON lines or CSV. */
import { Option, type Command } from 'commander';
import { ConfigError, loadConfig, requireWatch } from '../../config';
import { PSEUDONYM_KEY_SOURCES, exportEvents, exportTargets } from '../../report';
import { openExisting } from '../../store/open-existing';
import { pseudonymizerFor } from '../pseudonymize';
import { CONFIG_OPTION_HELP, output, pathArg, type CliContext } from '../support';

/** Registers `export` on the program. */
export function exportCommand(program: Command, _ctx: CliContext): Command {
  return program
    .command('export')
    .description('one row per target (default) or per event, as JSON lines or CSV, for R and pandas')
    .requiredOption('-c, --config <file>', CONFIG_OPTION_HELP, pathArg)
    .addOption(
      new Option('-f, --format <format>', 'output format').choices(['jsonl', 'csv']).makeOptionMandatory(),
    )
    .addOption(
      new Option('--what <what>', 'rows to export').choices(['targets', 'events']).default('targets'),
    )
    .option('-w, --watch <id>', 'only this watch')
    .option('-o, --out <file>', 'write to this file instead of stdout', pathArg)
    .option(
      '--excel',
      'CSV for Excel: a UTF-8 byte-order mark, ids kept as text (16-digit mids stay exact), and an apostrophe ' +
        'before a cell starting with = + - @ tab or CR, so text written as a formula is not run (plain CSV keeps every cell exact)',
    )
    .option(
      '--pseudonymize',
      `replace author ids and names by a keyed hash (HMAC-SHA256; key from ${PSEUDONYM_KEY_SOURCES})`,
    )
    .addHelpText('after', '\nColumns: docs/columns.md (with pandas and R examples).')
    .action(
      async (opts: {
        config: string;
        format: 'jsonl' | 'csv';
        what: string;
        watch?: string;
        out?: string;
        excel?: boolean;
        pseudonymize?: boolean;
      }) => {
        const config = loadConfig(opts.config);
        if (opts.watch) requireWatch(config, opts.watch);
        if (opts.excel && opts.format !== 'csv') {
          throw new ConfigError([{ path: '--excel', message: 'applies to --format csv only' }]);
        }
        const pseudonymizer = opts.pseudonymize ? pseudonymizerFor(config) : undefined;
        // Opened before --out is created, so a missing database leaves no empty output file behind.
        const store = openExisting(config.database, { source: config.source });
        const out = output(opts.out);
        try {
          const args = { watchId: opts.watch, format: opts.format, excel: opts.excel, pseudonymizer };
          if (opts.what === 'events') await exportEvents(store, args, out.stream);
          else await exportTargets(store, args, out.stream);
        } finally {
          store.close();
          await out.done();
        }
      },
    );
}

/** `report`: per-watch statistics as Markdown, HTML or JSON. */
import { Option, type Command } from 'commander';
import { loadConfig, requireBaseline, requireWatch } from '../../config';
import { systemClock } from '../../domain/clock';
import { PSEUDONYM_KEY_SOURCES, buildReport, renderHtml, renderJson, renderMarkdown } from '../../report';
import { pseudonymizerFor } from '../pseudonymize';
import {
  checkTimeRange,
  CONFIG_OPTION_HELP,
  output,
  pathArg,
  timeArg,
  withStore,
  type CliContext,
} from '../support';

/** Registers `report` on the program. */
export function reportCommand(program: Command, _ctx: CliContext): Command {
  return program
    .command('report')
    .description(
      'per watch: targets by verdict, gone by cause, deletion and censorship rates, deletion windows, baseline comparison',
    )
    .requiredOption('-c, --config <file>', CONFIG_OPTION_HELP, pathArg)
    .option('-w, --watch <id>', 'only this watch')
    .option('-b, --baseline <id>', 'compare deletion rates against this watch')
    .option('--since <time>', 'only targets first seen at or after this time', timeArg)
    .option('--until <time>', 'only targets first seen before this time', timeArg)
    .addOption(
      new Option('-f, --format <format>', 'output format')
        .choices(['md', 'html', 'json'])
        .makeOptionMandatory(),
    )
    .option('-o, --out <file>', 'write to this file instead of stdout', pathArg)
    .option(
      '--pseudonymize',
      `replace author ids and names by a keyed hash (HMAC-SHA256; key from ${PSEUDONYM_KEY_SOURCES})`,
    )
    .addHelpText(
      'after',
      '\nThe html form is one self-contained page (no script, no network): key figures beside the baseline, charts,\n' +
        'every gone post with its last alive text, notice, deletion window (UTC and Beijing) and evidence bundle command.',
    )
    .action(
      async (opts: {
        config: string;
        watch?: string;
        baseline?: string;
        since?: number;
        until?: number;
        format: string;
        out?: string;
        pseudonymize?: boolean;
      }) => {
        checkTimeRange(opts.since, opts.until);
        const config = loadConfig(opts.config);
        if (opts.watch) requireWatch(config, opts.watch);
        if (opts.baseline) requireBaseline(config, opts.baseline, opts.watch);
        // Before the database is opened, as export does: usage mistakes first.
        const pseudonymizer = opts.pseudonymize ? pseudonymizerFor(config) : undefined;
        const report = withStore(config, (store) =>
          buildReport(store, {
            watchId: opts.watch,
            baselineId: opts.baseline,
            since: opts.since,
            until: opts.until,
            now: systemClock.now(),
            configPath: opts.config,
            pseudonymizer,
          }),
        );
        const text =
          opts.format === 'html'
            ? renderHtml(report)
            : opts.format === 'json'
              ? renderJson(report)
              : renderMarkdown(report);
        const out = output(opts.out);
        out.stream.write(text);
        await out.done();
      },
    );
}

/** `claim`: one watch's deletion numbers against a baseline, as a quotable paragraph or JSON. */
import { Option, type Command } from 'commander';
import { loadConfig, requireBaseline, requireWatch } from '../../config';
import { ALPHA, MIN_SEEN_ALIVE, buildClaim, renderClaimJson, renderClaimText } from '../../report';
import { openExisting } from '../../store/open-existing';
import { checkTimeRange, CONFIG_OPTION_HELP, pathArg, timeArg, type CliContext } from '../support';

/** Registers `claim` on the program. */
export function claimCommand(program: Command, _ctx: CliContext): Command {
  return program
    .command('claim')
    .description(
      'test "posts on this topic were removed" with numbers: counts, the censorship rate with its 95% interval, ' +
        'the comparison with a baseline watch, a verdict and the caveats, as one quotable paragraph or JSON',
    )
    .requiredOption('-c, --config <file>', CONFIG_OPTION_HELP, pathArg)
    .requiredOption('-w, --watch <id>', 'the topic watch')
    .option('-b, --baseline <id>', 'the watch to compare against (e.g. an everyday topic)')
    .option('--since <time>', 'only posts first seen at or after this time (ISO 8601)', timeArg)
    .option('--until <time>', 'only posts first seen before this time (ISO 8601)', timeArg)
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText(
      'after',
      `
Verdict: insufficient_data when a watch has fewer than ${MIN_SEEN_ALIVE} posts seen alive; with --baseline,
supported when the topic's share of posts removed by the platform is above the baseline's with a one-sided
p < ${ALPHA} (Fisher's exact test, or a pooled z-test when every expected count is 5 or more); without it,
supported when at least one post seen alive was removed by the platform. See docs/claim.md.`,
    )
    .action(
      (opts: {
        config: string;
        watch: string;
        baseline?: string;
        since?: number;
        until?: number;
        format: 'text' | 'json';
      }) => {
        checkTimeRange(opts.since, opts.until);
        const config = loadConfig(opts.config);
        requireWatch(config, opts.watch);
        if (opts.baseline) requireBaseline(config, opts.baseline, opts.watch);
        const store = openExisting(config.database, { source: config.source });
        try {
          const claim = buildClaim(store, {
            watchId: opts.watch,
            baselineId: opts.baseline,
            since: opts.since,
            until: opts.until,
            discoverEvery: config.schedule.discoverEvery,
            discoverRange: {
              min: config.schedule.discoverMin ?? config.schedule.discoverEvery,
              max: config.schedule.discoverMax ?? config.schedule.discoverEvery,
            },
          });
          process.stdout.write(opts.format === 'json' ? renderClaimJson(claim) : renderClaimText(claim));
        } finally {
          store.close();
        }
      },
    );
}

/** `demo`: the whole pipeline against the simulator on a simulated clock, compared with the ground truth. */
import { rmSync } from 'node:fs';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { loadConfig } from '../../config';
import { buildScenario, SCENARIO_NAMES } from '../../sim';
import { runDemo } from '../demo';
import { checkDemoDatabase, removeDemoDatabase } from '../demo-config';
import { fractionArg, intArg, pathArg, type CliContext } from '../support';

/** The longest simulated run `--days` takes: a month is already far past every ladder's dense part. */
export const MAX_DEMO_DAYS = 30;
const DAY = 86_400_000;

/** Parses `--days`: a number of days above 0 (fractions allowed, e.g. 0.5) and at most {@link MAX_DEMO_DAYS}. */
export function daysArg(value: string): number {
  const n = /^\s*\d*\.?\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!(n > 0 && n <= MAX_DEMO_DAYS))
    throw new InvalidArgumentError(
      `expected a number of days above 0 and at most ${MAX_DEMO_DAYS}, e.g. 7 or 0.5`,
    );
  return n;
}

/** Registers `demo` on the program. */
export function demoCommand(program: Command, { logger }: CliContext): Command {
  return program
    .command('demo')
    .description(
      'start the simulator, run the whole pipeline on a simulated clock, print a report and compare it with the ground truth; no network, no services',
    )
    .option(
      '-c, --config <file>',
      "try your own watches: a simulated world with posts for each configured keyword, account and post (never writes into the config's database)",
      pathArg,
    )
    .addOption(
      new Option('--scenario <name>', 'simulator scenario (without --config)')
        .choices([...SCENARIO_NAMES])
        .default('un-vote')
        .conflicts('config'),
    )
    .option(
      '--days <n>',
      `simulated days to run, up to ${MAX_DEMO_DAYS} (default: 7; the scenario's own length for quick ones)`,
      daysArg,
    )
    .option(
      '--fault-rate <p>',
      'share of requests answered with rate limits, captchas, resets and error pages',
      fractionArg,
      0.1,
    )
    .option('--seed <n>', 'scenario and fault seed', intArg, 2023)
    .option(
      '--db <file>',
      'keep the database in this new file, with its config beside it (a temporary file otherwise)',
      pathArg,
    )
    .addHelpText(
      'after',
      `
Progress goes to stderr (a bar on a terminal, a line per simulated day otherwise), the report to stdout.
With --db FILE the database is kept and FILE's name with .yaml holds the config that report, claim and
export take (e.g. --db data/try.db: npx censorwatch report --config data/try.yaml --format html).
A temporary database is removed on exit and on Ctrl-C.
With --config, a watch whose id or name says baseline (or control) gets an ordinary topic's few
deletions, every other watch a sensitive topic's; the simulated days end now.
`,
    )
    .action(
      async (opts: {
        config?: string;
        scenario: string;
        days?: number;
        faultRate: number;
        seed: number;
        db?: string;
      }) => {
        const custom = opts.config ? { file: opts.config, config: loadConfig(opts.config) } : undefined;
        if (opts.db && checkDemoDatabase(opts.db, custom?.config ?? null, custom?.file ?? null).replaces) {
          process.stderr.write(`demo: replacing ${opts.db}, an earlier demo's database\n`);
          removeDemoDatabase(opts.db);
        }
        const days =
          opts.days ??
          (custom || opts.scenario === 'un-vote'
            ? 7
            : buildScenario(opts.scenario, { start: 0 }).duration / DAY);
        // Ctrl-C stops the run and removes a temporary database on the way out; a second one exits
        // at once, still removing it.
        const ac = new AbortController();
        let temp: string | null = null;
        const onSignal = (): void => {
          if (ac.signal.aborted) {
            if (temp) rmSync(temp, { recursive: true, force: true });
            process.exit(130);
          }
          process.stderr.write('\ndemo: stopping (Ctrl-C again to quit at once)\n');
          ac.abort();
        };
        process.on('SIGINT', onSignal);
        process.on('SIGTERM', onSignal);
        try {
          const outcome = await runDemo({
            scenario: opts.scenario,
            days,
            faultRate: opts.faultRate,
            seed: opts.seed,
            database: opts.db ?? null,
            logger,
            out: process.stdout,
            err: process.stderr,
            custom,
            signal: ac.signal,
            onTemp: (dir) => (temp = dir),
          });
          process.exitCode = outcome.exitCode;
        } finally {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
        }
      },
    );
}

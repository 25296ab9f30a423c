/** `demo`: the whole pipeline against the simulator on a simulated clock, compared with the ground truth. */
import { Option, type Command } from 'commander';
import { SCENARIO_NAMES } from '../../sim';
import { runDemo } from '../demo';
import { fractionArg, intArg, type CliContext } from '../support';

/** Registers `demo` on the program. */
export function demoCommand(program: Command, { logger }: CliContext): Command {
  return program
    .command('demo')
    .description(
      'start the simulator, run the whole pipeline on a simulated clock, print a report and compare it with the ground truth; no network, no services',
    )
    .addOption(
      new Option('--scenario <name>', 'simulator scenario').choices([...SCENARIO_NAMES]).default('un-vote'),
    )
    .option('--days <n>', 'simulated days to run', intArg, 7)
    .option(
      '--fault-rate <p>',
      'share of requests answered with rate limits, captchas, resets and error pages',
      fractionArg,
      0.1,
    )
    .option('--seed <n>', 'scenario and fault seed', intArg, 2023)
    .option('--db <file>', 'keep the database in this file (a temporary file otherwise)')
    .action(
      async (opts: { scenario: string; days: number; faultRate: number; seed: number; db?: string }) => {
        const cmp = await runDemo({
          scenario: opts.scenario,
          days: opts.days,
          faultRate: opts.faultRate,
          seed: opts.seed,
          database: opts.db ?? null,
          logger,
          out: process.stdout,
        });
        if (!cmp.equal) process.exitCode = 1;
      },
    );
}

/** `worker --role`: one distributed role against Redis. */
import { Option, type Command } from 'commander';
import { configWarnings, LIMITS, loadConfig } from '../../config';
import { ConfigError } from '../../errors';
import { ROLE_NAMES, type RoleName } from '../roles/context';
import {
  CONFIG_OPTION_HELP,
  boundedIntArg,
  drainTimeoutArg,
  pathArg,
  positiveDurationArg,
  runDurationArg,
  redisArg,
  runRoles,
  type CliContext,
  type TimingOptions,
} from '../support';

/** Registers `worker --role` on the program. */
export function workerCommand(program: Command, { logger }: CliContext): Command {
  return program
    .command('worker')
    .description(
      'run one distributed role against queue.redis (or --redis): scheduler, recorder and alerter on the machine with the database, fetchers anywhere',
    )
    .requiredOption('-c, --config <file>', CONFIG_OPTION_HELP, pathArg)
    .addOption(
      new Option('-r, --role <role>', 'the role to run').choices([...ROLE_NAMES]).makeOptionMandatory(),
    )
    .option('--redis <url>', 'Redis URL (overrides queue.redis)', redisArg)
    .option(
      '--concurrency <n>',
      `fetcher: checks in flight at once, 1 to ${LIMITS.concurrency} (default: config concurrency)`,
      boundedIntArg(1, LIMITS.concurrency),
    )
    .option('--tick <duration>', 'scheduler: time between ticks (default 1s)', positiveDurationArg)
    .option(
      '--lease <duration>',
      "how long an enqueued item stays leased; a dead fetcher's job moves on within this, at most 30s (default 10m)",
      positiveDurationArg,
    )
    .option(
      '--drain-timeout <duration>',
      'first-signal drain deadline before jobs are aborted, above zero (default 30s)',
      drainTimeoutArg,
    )
    .option('-d, --duration <duration>', 'stop (drain) after this long', runDurationArg)
    .action(
      async (
        opts: {
          config: string;
          role: RoleName;
          redis?: string;
          concurrency?: number;
          duration?: number;
        } & TimingOptions,
      ) => {
        const config = loadConfig(opts.config);
        if (opts.role === 'alerter')
          for (const w of configWarnings(config)) logger.warn({ path: w.path }, w.message);
        const redisUrl = opts.redis ?? config.queue.redis;
        if (!redisUrl)
          throw new ConfigError(
            [{ path: 'queue.redis', message: 'a worker needs Redis: set queue.redis or pass --redis URL' }],
            config.source,
          );
        await runRoles(logger, config, redisUrl, [opts.role], opts, opts.duration ?? null, opts.concurrency);
      },
    );
}

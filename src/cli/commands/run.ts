/** `run`: monitor the watches, embedded or (with Redis) all four distributed roles in one process. */
import type { Command } from 'commander';
import { configWarnings, loadConfig } from '../../config';
import { ConfigError } from '../../errors';
import { parseListen } from '../metrics-server';
import { runEmbedded } from '../run';
import { ROLE_NAMES } from '../roles/context';
import {
  CONFIG_OPTION_HELP,
  drainTimeoutArg,
  pathArg,
  positiveDurationArg,
  runDurationArg,
  redisArg,
  runRoles,
  shutdownSignal,
  type CliContext,
  type TimingOptions,
} from '../support';

/** Registers `run` on the program. */
export function runCommand(program: Command, { logger }: CliContext): Command {
  return program
    .command('run')
    .description(
      'monitor the watches in a config until stopped or for --duration (embedded mode: one process, no services; one writer per database, a second is refused)',
    )
    .requiredOption('-c, --config <file>', CONFIG_OPTION_HELP, pathArg)
    .option('-d, --duration <duration>', 'stop after this long, e.g. 30s, 10m, 2h', runDurationArg)
    .option(
      '--redis <url>',
      'distributed mode: all four roles in this process through BullMQ on this Redis (overrides queue.redis)',
      redisArg,
    )
    .option('--tick <duration>', 'distributed: time between scheduler ticks', positiveDurationArg)
    .option('--lease <duration>', 'distributed: how long an enqueued item stays leased', positiveDurationArg)
    .option(
      '--drain-timeout <duration>',
      'distributed: first-signal drain deadline before jobs are aborted, above zero (default 30s)',
      drainTimeoutArg,
    )
    .option(
      '--metrics <[host:]port>',
      'embedded: serve Prometheus metrics at /metrics (127.0.0.1 unless a host is given)',
    )
    .option(
      '--metrics-token <token>',
      'bearer token /metrics requires; needed to bind other than loopback (or CENSORWATCH_METRICS_TOKEN)',
    )
    .action(
      async (
        opts: {
          config: string;
          duration?: number;
          redis?: string;
          metrics?: string;
          metricsToken?: string;
        } & TimingOptions,
      ) => {
        const config = loadConfig(opts.config);
        for (const w of configWarnings(config)) logger.warn({ path: w.path }, w.message);
        const redisUrl = opts.redis ?? config.queue.redis;
        if (redisUrl) {
          if (opts.metrics)
            throw new ConfigError([{ path: '--metrics', message: 'is available in embedded mode only' }]);
          await runRoles(logger, config, redisUrl, [...ROLE_NAMES], opts, opts.duration ?? null);
          return;
        }
        const metrics = opts.metrics
          ? {
              ...parseListen(opts.metrics),
              token: opts.metricsToken ?? (process.env.CENSORWATCH_METRICS_TOKEN || null),
            }
          : undefined;
        await runEmbedded({
          config,
          duration: opts.duration ?? null,
          logger,
          signal: shutdownSignal(logger),
          metrics,
        });
      },
    );
}

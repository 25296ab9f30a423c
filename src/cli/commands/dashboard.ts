/** `dashboard`: Bull Board for the distributed queues. */
import type { Command } from 'commander';
import { loadConfig } from '../../config';
import { ConfigError } from '../../errors';
import { parseListen } from '../metrics-server';
import { CONFIG_OPTION_HELP, pathArg, redisArg, shutdownSignal, type CliContext } from '../support';

/** Registers `dashboard` on the program. */
export function dashboardCommand(program: Command, { logger }: CliContext): Command {
  return program
    .command('dashboard')
    .description(
      'serve Bull Board for the distributed queues (127.0.0.1 by default; another address needs --token)',
    )
    .requiredOption('-c, --config <file>', CONFIG_OPTION_HELP, pathArg)
    .option('--redis <url>', 'Redis URL (overrides queue.redis)', redisArg)
    .option('--listen <[host:]port>', 'where to listen', '127.0.0.1:3030')
    .option(
      '--token <token>',
      'bearer token required off loopback, sent as Authorization: Bearer (or CENSORWATCH_DASHBOARD_TOKEN)',
    )
    .action(async (opts: { config: string; redis?: string; listen: string; token?: string }) => {
      const config = loadConfig(opts.config);
      const redisUrl = opts.redis ?? config.queue.redis;
      if (!redisUrl)
        throw new ConfigError(
          [{ path: 'queue.redis', message: 'the dashboard needs Redis (queue.redis or --redis)' }],
          config.source,
        );
      const listen = {
        ...parseListen(opts.listen, '--listen'),
        token: opts.token ?? (process.env.CENSORWATCH_DASHBOARD_TOKEN || null),
      };
      const { runDashboard } = await import('../distributed');
      await runDashboard(config, redisUrl, listen, logger, shutdownSignal(logger));
    });
}

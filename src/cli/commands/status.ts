/** `status`: watches, targets by verdict, work due, failing hosts, the Weibo session and the queues. */
import type { Command } from 'commander';
import { loadConfig } from '../../config';
import { systemClock } from '../../domain/clock';
import { databaseIdentity } from '../../store/identity';
import { checkWeiboLogin, renderLoginCheck } from '../login';
import { gatherStatus, renderStatus } from '../status';
import { gatherProblems, renderProblems, withProblems } from '../status-problems';
import { CONFIG_OPTION_HELP, pathArg, withStore, type CliContext } from '../support';

/** Registers `status` on the program. */
export function statusCommand(program: Command, { logger }: CliContext): Command {
  return program
    .command('status')
    .description(
      'watches, targets by verdict, keyword states and discovery intervals, work due, failing hosts; distributed: queues and which database owns the prefix',
    )
    .requiredOption('-c, --config <file>', CONFIG_OPTION_HELP, pathArg)
    .option('--json', 'print as JSON')
    .option(
      '--no-session',
      'skip the live check of the saved Weibo session (one request to m.weibo.cn; an unreachable host is a line in the output, still exit 0)',
    )
    .action(async (opts: { config: string; json?: boolean; session: boolean }) => {
      const config = loadConfig(opts.config);
      const { identity, ...status } = withStore(config, (store) => ({
        ...gatherStatus(config, store, systemClock.now()),
        problems: gatherProblems(store),
        identity: databaseIdentity(store),
      }));
      // The check's outcome is the session line below; its transport warning (with a stack) would only repeat it.
      const quiet = logger.child({ module: 'session-check' }, { level: 'error' });
      const session = opts.session ? await checkWeiboLogin(config, systemClock, quiet) : null;
      const weibo = config.platforms.weibo;
      const line = session ? `\n${renderLoginCheck(session, weibo.cookie !== '', weibo.hosts)}\n` : '';
      // BullMQ and ioredis are loaded only for a config that has Redis to ask.
      let queue = null;
      let queueText = '';
      if (config.queue.redis) {
        const { queueStatusFor, renderPrefixOwner } = await import('../distributed');
        const { renderQueueStatus } = await import('../../engine/distributed');
        queue = await queueStatusFor(config, logger, identity);
        if (queue) queueText = `\n${renderQueueStatus(queue, systemClock.now())}${renderPrefixOwner(queue)}`;
      }
      process.stdout.write(
        opts.json
          ? JSON.stringify({ ...status, weiboSession: session, queue }, null, 2) + '\n'
          : withProblems(renderStatus(status), renderProblems(status.problems)) + line + queueText,
      );
    });
}

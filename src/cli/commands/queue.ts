/** `queue clear`: start a queue prefix over, after its database is gone. */
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { loadConfig } from '../../config';
import type { PrefixContents } from '../../engine/distributed';
import { ConfigError } from '../../errors';
import { CONFIG_OPTION_HELP, pathArg, type CliContext } from '../support';
import { plural } from '../../report/format';

/** Asks on the terminal whether to delete what the prefix holds; only "y" or "yes" goes on. */
async function askOnTerminal(contents: PrefixContents): Promise<boolean> {
  const { describeContents } = await import('../../engine/distributed');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${describeContents(contents)}.\nDelete these keys? [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

/** Registers `queue` (with `queue clear`) on the program. */
export function queueCommand(program: Command, { logger }: CliContext): Command {
  const queue = program
    .command('queue')
    .description('manage the distributed queues of a config (its queue.prefix on queue.redis)');
  queue
    .command('clear')
    .description(
      "delete every key of this config's queue prefix (queued, finished and dead jobs, and the note of which database it belongs to), and nothing else: for starting over after that database was deleted",
    )
    .requiredOption('-c, --config <file>', CONFIG_OPTION_HELP, pathArg)
    .option('--redis <url>', 'Redis URL (overrides queue.redis)')
    .option('-y, --yes', 'do not ask for confirmation (needed without a terminal)')
    .action(async (opts: { config: string; redis?: string; yes?: boolean }) => {
      const config = loadConfig(opts.config);
      const redisUrl = opts.redis ?? config.queue.redis;
      if (!redisUrl)
        throw new ConfigError(
          [{ path: 'queue.redis', message: 'queue clear needs Redis: set queue.redis or pass --redis URL' }],
          config.source,
        );
      // Decided before touching Redis, so a script that forgot --yes changes nothing.
      if (!opts.yes && !(process.stdin.isTTY && process.stderr.isTTY))
        throw new ConfigError([
          { path: '--yes', message: 'queue clear asks for confirmation; without a terminal, pass --yes' },
        ]);
      // Loaded here, not with the program, which every command starts (see runRoles).
      const { clearQueuePrefix, describeContents } = await import('../../engine/distributed');
      const outcome = await clearQueuePrefix({
        redisUrl,
        prefix: config.queue.prefix,
        logger,
        confirm: opts.yes ? async () => true : askOnTerminal,
      });
      switch (outcome.kind) {
        case 'cleared':
          process.stdout.write(
            `cleared: ${describeContents(outcome.contents)}; ${plural(outcome.removed, 'key')} deleted\n`,
          );
          return;
        case 'empty':
          process.stdout.write(`nothing to clear: queue prefix ${config.queue.prefix} holds no keys\n`);
          return;
        case 'declined':
          process.stderr.write('censorwatch: nothing deleted\n');
          process.exitCode = 1;
          return;
        case 'busy':
          process.stderr.write(
            `censorwatch: queue prefix ${config.queue.prefix} still has consumers connected (${outcome.consumers.join(', ')}); stop every role using it first, nothing deleted\n`,
          );
          process.exitCode = 1;
          return;
      }
    });
  return queue;
}

/** `show`: one target's story in the terminal. */
import type { Command } from 'commander';
import { loadConfig } from '../../config';
import { ConfigError } from '../../errors';
import { renderStory } from '../../evidence/story';
import { openExistingStore } from '../evidence-support';
import { CONFIG_OPTION_HELP, pathArg, type CliContext } from '../support';
import { parseTargetArg } from './evidence';

/** Registers `show` on the program. */
export function showCommand(program: Command, _ctx: CliContext): Command {
  return program
    .command('show')
    .description(
      "a target's story: each observation in UTC and Beijing time with outcome, notice, endpoint and body digest, the diff of each edit, and its place in the log",
    )
    .argument(
      '<platform:id>',
      'the target, e.g. weibo:4895123456789012, weibo:MxYzAbCdE (a bid) or a post or article URL',
    )
    .requiredOption('-c, --config <file>', CONFIG_OPTION_HELP, pathArg)
    .action((target: string, opts: { config: string }) => {
      const config = loadConfig(opts.config);
      const ref = parseTargetArg(target, 'PLATFORM:ID');
      const store = openExistingStore(config);
      try {
        const story = renderStory(store, ref);
        if (story === undefined)
          throw new ConfigError([{ path: 'PLATFORM:ID', message: `no target ${target} in the database` }]);
        process.stdout.write(story);
      } finally {
        store.close();
      }
    });
}

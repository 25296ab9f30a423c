/** `evidence`: the bundle that proves one target's story (or every gone target of a watch). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { loadConfig, requireWatch } from '../../config';
import type { Config } from '../../config/types';
import { ConfigError } from '../../errors';
import type { Platform, TargetRef } from '../../domain/glossary';
import { buildBundle } from '../../evidence/bundle';
import { resolveNeteaseTarget } from '../../platforms/netease/urls';
import { resolveWeiboTarget } from '../../platforms/weibo/urls';
import type { Store } from '../../store/store';
import { openExistingStore } from '../evidence-support';
import { checkZipOut, CONFIG_OPTION_HELP, pathArg, prepareOutDir, type CliContext } from '../support';
import { plural } from '../../report/format';

const VERSION = '0.1.0';

/** Resolves a post id or URL the way the config's `posts` and `articles` lists do. */
const RESOLVE: Record<Platform, (input: string) => TargetRef | null> = {
  weibo: resolveWeiboTarget,
  netease: resolveNeteaseTarget,
};

/**
 * A target as a person names it: `weibo:4895…`, `netease:IDXXXX`, a thread as
 * `weibo:thread:4895…`, or, for a post, any form the config's `posts` and `articles` take (a bid
 * such as `weibo:MxYzAbCdE`, a post or article URL, a bare mid or DOCID): the database keys Weibo
 * posts by mid and NetEase articles by upper-case DOCID.
 */
export function parseTargetArg(value: string, flag = '--target'): TargetRef {
  const m = /^(weibo|netease):(?:(post|thread):)?(\S+)$/.exec(value);
  if (m) {
    const platform = m[1] as Platform;
    const kind = (m[2] as 'post' | 'thread' | undefined) ?? 'post';
    const id = m[3]!;
    // A thread is keyed by its post's id, so the same forms resolve to it.
    const resolved = RESOLVE[platform](id);
    return { platform, kind, id: resolved ? resolved.id : id };
  }
  const resolved = resolveWeiboTarget(value) ?? resolveNeteaseTarget(value);
  if (resolved) return resolved;
  throw new ConfigError([
    {
      path: flag,
      message: `expected PLATFORM:ID such as weibo:4895123456789012, or a post or article URL, got ${JSON.stringify(value)}`,
    },
  ]);
}

async function writeOne(store: Store, config: Config, target: TargetRef, out: string): Promise<string> {
  const row = store.findTarget(target);
  const watchIds = row ? store.watchesOf(row.rowId) : [];
  const bundle = await buildBundle({
    store,
    target,
    watches: config.watches.filter((w) => watchIds.includes(w.id)),
    version: VERSION,
    now: Date.now(),
  });
  writeFileSync(out, bundle.zip);
  return `${out}: ${plural(bundle.files.length, 'file')}, ${bundle.stamped ? `log time-stamped at entry ${bundle.stamped.seq}` : 'no time-stamp covers it yet'}`;
}

/** Registers `evidence` on the program. */
export function evidenceCommand(program: Command, _ctx: CliContext): Command {
  return program
    .command('evidence')
    .description(
      "write the bundle (zip) that proves a target's story: WACZ captures, observations, the log up to a time-stamped head with its RFC 3161 token, and a README on checking it without censorwatch",
    )
    .requiredOption('-c, --config <file>', CONFIG_OPTION_HELP, pathArg)
    .option(
      '--target <platform:id>',
      'the target, e.g. weibo:4895123456789012, netease:IDXXXXXXXXXXXXXX, weibo:MxYzAbCdE (a bid) or a post or article URL',
    )
    .option('--watch <id>', 'every gone target of this watch, one bundle each (with --out DIR)')
    .requiredOption('-o, --out <path>', 'FILE.zip for --target, a directory for --watch', pathArg)
    .action(async (opts: { config: string; target?: string; watch?: string; out: string }) => {
      const config = loadConfig(opts.config);
      if ((opts.target === undefined) === (opts.watch === undefined))
        throw new ConfigError([
          { path: '--target', message: 'give either --target PLATFORM:ID or --watch ID' },
        ]);
      const target = opts.target !== undefined ? parseTargetArg(opts.target) : null;
      if (target) checkZipOut(opts.out);
      if (opts.watch !== undefined) requireWatch(config, opts.watch);
      const store = openExistingStore(config);
      try {
        if (target) {
          // A target the database never tracked is an UnknownTargetError: exit 2 naming --target.
          process.stdout.write((await writeOne(store, config, target, opts.out)) + '\n');
          return;
        }
        // After the database is found, so a mistyped path makes no folder either.
        prepareOutDir(opts.out);
        const gone = store.listTargets({ watchId: opts.watch }).filter((t) => t.state.verdict === 'gone');
        for (const t of gone) {
          const file = join(opts.out, `${t.platform}-${t.kind}-${t.id}.zip`);
          process.stdout.write((await writeOne(store, config, t, file)) + '\n');
        }
        process.stdout.write(`${gone.length} gone targets of ${opts.watch ?? ''}\n`);
      } finally {
        store.close();
      }
    });
}

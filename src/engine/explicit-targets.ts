import type { Config } from '../config/types';
import type { Platform, TargetRef } from '../domain/glossary';
import { ConfigError } from '../errors';
import type { PlatformAdapter } from '../platforms/platform';

/** A configured post or article URL, resolved to its target. */
export interface ExplicitTarget {
  readonly ref: TargetRef;
  readonly url: string;
  readonly watchId: string;
}

/**
 * Resolves every configured post and article URL to a target, or throws one ConfigError naming
 * every input that is not one of its platform's forms. Call it before opening the store so a bad
 * config writes nothing.
 */
export function resolveExplicitTargets(
  config: Config,
  adapters: Partial<Record<Platform, PlatformAdapter>>,
): ExplicitTarget[] {
  const explicit: ExplicitTarget[] = [];
  const issues: { path: string; message: string }[] = [];
  config.watches.forEach((w, i) => {
    const lists: [Platform, string, readonly string[]][] = [
      ['weibo', 'posts', w.weibo.posts],
      ['netease', 'articles', w.netease.articles],
    ];
    for (const [platform, key, inputs] of lists) {
      inputs.forEach((input, j) => {
        const adapter = adapters[platform];
        const ref = adapter?.resolveTarget(input) ?? null;
        const path = `watches[${i}].${platform}.${key}[${j}]`;
        if (!adapter) issues.push({ path, message: `${platform} is not supported here` });
        else if (!ref) issues.push({ path, message: `not a ${platform} URL or id: "${input}"` });
        // A configured URL is kept as given (it may carry what the id alone does not, like a NetEase channel).
        else
          explicit.push({
            ref,
            url: /^https?:\/\//i.test(input) ? input : adapter.targetUrl(ref),
            watchId: w.id,
          });
      });
    }
  });
  if (issues.length) throw new ConfigError(issues, config.source);
  return explicit;
}

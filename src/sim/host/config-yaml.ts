import YAML from 'yaml';
import { WEIBO_HOSTS } from '../../platforms/weibo/hosts';
import { NeteaseSim } from '../netease/server';
import type { Scenario } from '../world';

/**
 * A censorwatch YAML config pointing every Weibo and NetEase host at the simulator at `base`, with
 * the scenario's watches and timing.
 */
export function simulatorConfigYaml(scenario: Scenario, base: string, database: string): string {
  const t = scenario.timing;
  const doc = {
    database,
    platforms: {
      weibo: {
        // Every Weibo host, so no redirect the crawler follows can leave the simulator.
        hosts: Object.fromEntries(WEIBO_HOSTS.map((h) => [h, base])),
        cookie: '',
        minInterval: t.minInterval,
        backoff: { base: t.backoffBase, max: t.backoffMax },
      },
      netease: {
        hosts: NeteaseSim.hosts(base),
        minInterval: t.minInterval,
        backoff: { base: t.backoffBase, max: t.backoffMax },
      },
    },
    schedule: {
      discoverEvery: t.discoverEvery,
      ...(t.discoverMin ? { discoverMin: t.discoverMin } : {}),
      ...(t.discoverMax ? { discoverMax: t.discoverMax } : {}),
      ...(t.listingChecks === undefined ? {} : { listingChecks: t.listingChecks }),
      ladder: [...t.ladder],
      confirmGone: t.confirmGone,
      confirmAfter: t.confirmAfter,
    },
    watches: scenario.watches.map((w) => ({
      id: w.id,
      name: w.name,
      weibo: {
        keywords: [...w.keywords],
        accounts: [...w.accounts],
        posts: [],
        ...(w.comments ? { comments: true } : {}),
      },
      netease: {
        keywords: [...(w.netease?.keywords ?? [])],
        accounts: (w.netease?.accounts ?? []).map((tid) => NeteaseSim.homeUrl(tid)),
        articles: [],
        ...(w.comments ? { comments: true } : {}),
      },
    })),
    alerts: { webhooks: [] },
  };
  return `# censorwatch config for the simulated Weibo and NetEase (scenario ${scenario.name}) at ${base}\n${YAML.stringify(doc)}`;
}

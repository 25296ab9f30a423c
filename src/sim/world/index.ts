import { SCENARIO_NAMES } from './names';
import { buildQuick } from './quick';
import { buildQuickOdd } from './quick-odd';
import { buildUnVote } from './un-vote';
import type { BuildScenarioOptions, Scenario } from './types';

/**
 * The simulated world: what exists on the simulated platforms and when it changes. Scenario types
 * (types.ts, netease-types.ts), the seeded PRNG and ids, the text corpus (corpus/*.json) and one
 * builder per scenario; weibo/ and netease/ answer requests from what a builder returns.
 */

export * from './types';
export * from './netease-types';
export * from './comments';
export * from './names';
export { createRng, hashOf, type Rng } from './rng';
export { makeDocidFactory, makeMidFactory, makeUidFactory, MID_EPOCH_OFFSET } from './ids';
export { UN_VOTE_KEYWORDS, WEIBO_CORPUS, NETEASE_CORPUS } from './corpus';
export type { UnVoteKeyword, WeiboCorpus, NeteaseCorpus } from './corpus';
export { checkScenario, checkNeteaseScenario } from './check';
export {
  buildUnVote,
  buildUnVoteNetease,
  UN_VOTE_BASELINE_KEYWORD,
  UN_VOTE_NETEASE_ACCOUNT,
  UN_VOTE_NETEASE_KEYWORD,
} from './un-vote';
export { buildQuick, buildQuickNetease, QUICK_KEYWORDS, QUICK_NETEASE_KEYWORD } from './quick';
export { buildQuickOdd, QUICK_ODD_FROM, QUICK_ODD_KEYWORD, QUICK_ODD_PAGED_POSTS } from './quick-odd';
export { buildTemplatesNetease } from './templates';
export { NETEASE_TIME } from './time';

/**
 * Builds a named scenario. Throws a RangeError naming the known scenarios for any other name.
 */
export function buildScenario(name: string, options: BuildScenarioOptions = {}): Scenario {
  const seed = options.seed ?? 1;
  switch (name) {
    case 'un-vote':
      return buildUnVote(options.start ?? Date.UTC(2023, 3, 26, 16, 0, 0), seed);
    case 'quick':
      return buildQuick(options.start ?? Date.now(), seed);
    case 'quick-odd':
      return buildQuickOdd(options.start ?? Date.now(), seed);
    default:
      throw new RangeError(`unknown scenario "${name}"; known: ${SCENARIO_NAMES.join(', ')}`);
  }
}

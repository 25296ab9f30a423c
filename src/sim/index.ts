/**
 * The simulated Weibo and NetEase used by `demo`, `sim` and the integration tests, laid out like
 * src/platforms: host/ (the HTTP server, fault injection, the `/__sim/*` control endpoints and the
 * generated config), weibo/ and netease/ (each platform's state, endpoints and page rendering), and
 * world/ (the scenarios they serve: types, PRNG, text corpus, one builder per scenario).
 */
export * from './world';
export * from './host/server';
export * from './host/held-clock';
export * from './netease/server';
export { WeiboSim } from './weibo/server';
export type { WeiboEndpoint, WeiboSimOptions } from './weibo/server';
export { FAULT_KINDS } from './weibo/faults';
export type { FaultKind } from './weibo/faults';
export { articlePage, beijingTime, bodyBlocks, encodePage, IMAGE_CAPTION } from './netease/format';
export type { ArticleView } from './netease/format';
export { MSG, fullCreatedAt, shortCreatedAt, renderText, placeholder, TRUNCATE_AT } from './weibo/format';
export { errorPage, detailPage } from './weibo/pages';
export type { PlaceholderKind } from './weibo/format';
export type { CommentTruthRow, GroundTruthRow } from './truth';

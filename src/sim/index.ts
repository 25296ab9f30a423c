/** The simulated Weibo and NetEase used by `demo`, `sim` and the integration tests. */
export * from './world';
export * from './server';
export * from './netease-server';
export { articlePage, beijingTime, bodyBlocks, encodePage, IMAGE_CAPTION } from './netease-format';
export type { ArticleView } from './netease-format';
export {
  MSG,
  fullCreatedAt,
  shortCreatedAt,
  renderText,
  placeholder,
  errorPage,
  detailPage,
  TRUNCATE_AT,
} from './weibo-format';
export type { PlaceholderKind } from './weibo-format';
export type { CommentTruthRow } from './comments';

/** The simulated Weibo used by `demo`, `sim` and the integration tests. */
export * from './scenario';
export * from './server';
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

/** Weibo platform module: ids, URLs, normalization, the unavailability taxonomy, parsers and the adapter. */
export { bidToMid, isBid, isMid, midToBid } from './ids';
export {
  M_WEIBO,
  detailPageUrl,
  profileUrl,
  resolveWeiboTarget,
  resolveWeiboUid,
  searchRefererUrl,
  searchUrl,
  statusExtendUrl,
  statusShowUrl,
  timelineUrl,
  userPageUrl,
  weiboPostUrl,
  type WeiboSearchType,
} from './urls';
export {
  decodeEntities,
  htmlToText,
  mblogEditCount,
  mblogId,
  mblogMedia,
  mblogRegion,
  normalizeMblog,
  parseCount,
  parseCreatedAt,
  withLongText,
} from './normalize';
export {
  classifyHtmlPage,
  classifyHtmlResponse,
  classifyJsonResponse,
  classifyMessage,
  classifyUrl,
  messageKey,
  type JsonClassification,
  type Unavailable,
  type UnavailableOutcome,
} from './classify';
export {
  ENDPOINTS,
  evidenceOf,
  findWithholdingNotice,
  parseDetailPage,
  parseExtend,
  parseSearchPage,
  parseStatusShow,
  parseTimelinePage,
  placeholderCause,
  type ExtendResult,
} from './parse';
export { DEFAULT_WEIBO_USER_AGENT, WeiboAdapter, type WeiboAdapterOptions } from './adapter';

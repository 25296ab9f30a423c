/** Weibo platform module: ids, URLs, normalization, the unavailability taxonomy, parsers and the adapter. */
export { bidToMid, isBid, isMid, midToBid } from './ids';
export {
  M_WEIBO,
  WEIBO_COM,
  ajaxLongTextUrl,
  ajaxMymblogUrl,
  ajaxStatusShowUrl,
  desktopUserPageUrl,
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
  htmlToText,
  mblogEditCount,
  mblogId,
  mblogMedia,
  mblogRegion,
  normalizeAjaxStatus,
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
export {
  DESKTOP_FORM,
  parseAjaxLongText,
  parseAjaxStatusShow,
  parseMymblogCursor,
  parseMymblogPage,
  type AjaxLongTextResult,
  type MymblogCursor,
} from './ajax';
export {
  DEFAULT_WEIBO_DESKTOP_USER_AGENT,
  DEFAULT_WEIBO_USER_AGENT,
  WeiboAdapter,
  type WeiboAdapterOptions,
  type WeiboTimelineSource,
} from './adapter';

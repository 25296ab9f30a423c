/**
 * NetEase (163.com): URL forms and ids, hosts, one pure parser module per page kind (charset,
 * article, listings, comments, threads, wording), and the platform adapter.
 */
export * from './urls';
export * from './hosts';
export { charsetFromContentType, decodeBody, metaCharset } from './charset';
export { beijingTimeToIso } from './time';
export { extractArticle, parseArticle } from './article';
export type { NeteaseArticle, NeteaseArticleContent, NeteaseTemplate } from './article';
export {
  accountCursor,
  parseAccountCursor,
  parseAccountList,
  parseMediaHomePage,
  parseSearchPage,
} from './listings';
export type { AccountListPage, MediaHomePage } from './listings';
export * from './comments';
export * from './threads';
export { isHomeOrChannelUrl, parseJsonResponse, unwrapJsonp } from './response';
export type { NeteaseParsed } from './response';
export { statedByWording, maintenanceNotice } from './wording';
export * from './adapter';

/**
 * NetEase's hosts, one list for every use: which may be remapped in `platforms.netease.hosts`, and
 * which are the news portal whose home and channel pages a removed article is sent to
 * (research/netease.md §1–4).
 */

/**
 * Hosts whose home and channel pages carry news: a redirect to one of them is how NetEase retires
 * or removes an article (research §4.2, §4.4). Login, mail, captcha (易盾 dun.163.com), comment and
 * API hosts are not here, so a redirect to them is never read as a removal.
 */
export const NETEASE_PORTAL_HOSTS = [
  // What the adapter requests (article pages, search, 网易号 pages, list.do) and where they redirect.
  'www.163.com',
  'dy.163.com',
  'news.163.com',
  // The mobile templates.
  'm.163.com',
  '3g.163.com',
  // Channels: older dated news and channel pages.
  'money.163.com',
  'gov.163.com',
  'tech.163.com',
  'sports.163.com',
  'ent.163.com',
  'war.163.com',
  'auto.163.com',
  'baby.163.com',
  'edu.163.com',
  'travel.163.com',
  'lady.163.com',
  'jiankang.163.com',
  'house.163.com',
  'digi.163.com',
  'data.163.com',
] as const;

/** The bare domain: it only redirects to www.163.com, so it is a portal home but never requested. */
export const NETEASE_APEX = '163.com';

/**
 * Every host NetEase's pages, APIs and redirects lead to; only these may be remapped in
 * `platforms.netease.hosts`.
 */
export const NETEASE_HOSTS = [
  ...NETEASE_PORTAL_HOSTS,
  // The comment API, and the human-facing comment pages and older comment hosts that serve the same paths.
  'comment.api.163.com',
  'comment.tie.163.com',
  'comment.news.163.com',
  // The app's share pages and a template host articles redirect through: not portal pages.
  'c.m.163.com',
  'temp.163.com',
] as const;

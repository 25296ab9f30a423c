/**
 * The hosts NetEase's pages, APIs and redirects lead to; only these may be remapped in
 * `platforms.netease.hosts` (research/netease.md §1–3).
 */
export const NETEASE_HOSTS = [
  // What the adapter requests: article pages, search, 网易号 pages, list.do, the comment API.
  'www.163.com',
  'comment.api.163.com',
  'dy.163.com',
  // Where article pages redirect: the mobile templates, older dated news and channel pages.
  'news.163.com',
  'm.163.com',
  '3g.163.com',
  'c.m.163.com',
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
  'temp.163.com',
  // Human-facing comment pages and the older comment hosts that serve the same API paths.
  'comment.tie.163.com',
  'comment.news.163.com',
] as const;

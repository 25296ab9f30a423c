/**
 * Every host the Weibo adapter talks to or a real redirect leads to; only these may be remapped in
 * `platforms.weibo.hosts`. Config validates against this list and the simulator maps all of them.
 */
export const WEIBO_HOSTS = [
  'm.weibo.cn',
  'weibo.com',
  // weibo.com redirects some pages to www.weibo.com; a remap that missed it would leave the mirror.
  'www.weibo.com',
  'passport.weibo.com',
  'visitor.passport.weibo.cn',
  's.weibo.com',
  'login.sina.com.cn',
] as const;

/** One of {@link WEIBO_HOSTS}. */
export type WeiboHost = (typeof WEIBO_HOSTS)[number];

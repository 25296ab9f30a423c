/** Time units of the scenarios, in ms. */
export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** The same units as one object, for tests that build their own NetEase parts. */
export const NETEASE_TIME = { SECOND, MINUTE, HOUR, DAY } as const;

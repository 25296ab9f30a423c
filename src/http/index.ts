export type { FetchResult, HttpClient, HttpRequest, HttpResponse, TransportFailure } from './types';
export { Fetcher, rawPathAndQuery } from './fetcher';
export { arrivedAt, visitedUrls } from './response';
export type { FetcherOptions, FetcherPlatformConfig, Sleep } from './fetcher';
export { CookieJar } from './cookie-jar';
export type { CookieJarOptions, SerializedCookieJar, StoredCookie } from './cookie-jar';
export { LocalPoliteness, PolitenessUnavailableError } from './politeness';
export type { Politeness } from './politeness';

/** Browser module: Chromium for visitor cookies and the QR login, and host remapping for it. */
export { BrowserCookieSource, type BrowserCookieSourceOptions, type CookieSource } from './cookies';
export { chromiumArgs, launchChromium, readCookies, type BrowserLaunchOptions } from './launch';
export { LoginTimeoutError, looksLoggedIn, qrLogin, type QrLoginOptions } from './login';
export { realCookieLines, remapUrl, type BrowserCookie } from './remap';

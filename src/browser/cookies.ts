import type { Browser } from 'playwright-core';
import { launchChromium, readCookies, type BrowserLaunchOptions } from './launch';
import type { BrowserCookie } from './remap';

/** Where cookies come from when plain HTTP cannot get them: a page loaded by a real browser. */
export interface CookieSource {
  /**
   * Loads `url` in a fresh browser, lets its scripts run, and returns every cookie the browser
   * then holds. Rejects when the page cannot be loaded.
   */
  cookiesFrom(url: string, signal?: AbortSignal): Promise<BrowserCookie[]>;
}

/** Options of {@link BrowserCookieSource}. */
export interface BrowserCookieSourceOptions extends BrowserLaunchOptions {
  /** User-Agent of the page; null or undefined keeps Chromium's own. */
  readonly userAgent?: string | null;
  /** Navigation timeout (ms). @defaultValue 30000 */
  readonly timeout?: number;
  /** Longest wait after `load` for the page's scripts and redirects to go quiet (ms). @defaultValue 5000 */
  readonly settle?: number;
}

/**
 * Visitor cookies the way a person's browser gets them: Chromium loads the page (e.g. m.weibo.cn,
 * which redirects through the visitor system and sets cookies from scripts), and its cookies are
 * read back. One browser per call, closed before returning: it is a fallback, never on the hot path.
 */
export class BrowserCookieSource implements CookieSource {
  constructor(private readonly options: BrowserCookieSourceOptions) {}

  async cookiesFrom(url: string, signal?: AbortSignal): Promise<BrowserCookie[]> {
    signal?.throwIfAborted();
    const browser = await launchChromium(this.options);
    const onAbort = (): void => void browser.close().catch(() => undefined);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await this.load(browser, url);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      await browser.close().catch(() => undefined);
    }
  }

  private async load(browser: Browser, url: string): Promise<BrowserCookie[]> {
    const context = await browser.newContext({
      ...(this.options.userAgent ? { userAgent: this.options.userAgent } : {}),
      locale: 'zh-CN',
    });
    const page = await context.newPage();
    await page.goto(url, { waitUntil: 'load', timeout: this.options.timeout ?? 30_000 });
    // Visitor pages set cookies from scripts after load and may navigate once more.
    await page
      .waitForLoadState('networkidle', { timeout: this.options.settle ?? 5_000 })
      .catch(() => undefined);
    return readCookies(context);
  }
}

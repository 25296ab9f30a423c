import { setTimeout as delay } from 'node:timers/promises';
import type { Page } from 'playwright-core';
import { NonRetryableError } from '../errors';
import { launchChromium, readCookies, type BrowserLaunchOptions } from './launch';
import type { BrowserCookie } from './remap';

/** Options of {@link qrLogin}. */
export interface QrLoginOptions extends BrowserLaunchOptions {
  /** The QR sign-in page, already remapped (`https://passport.weibo.com/sso/signin?…` in production). */
  readonly signinUrl: string;
  /** Visited after login for the mobile cookies (remapped `https://m.weibo.cn/`). */
  readonly mobileUrl: string;
  /** How long to wait for the QR code to be scanned (ms). @defaultValue 600000 */
  readonly timeout?: number;
  /** How often the browser's cookies are looked at (ms). @defaultValue 1000 */
  readonly pollEvery?: number;
  /** Headless only: where the QR code is saved as a PNG. */
  readonly qrPath?: string | null;
  /** Called once the QR code PNG is written. */
  readonly onQrSaved?: (path: string) => void;
  readonly userAgent?: string | null;
  readonly signal?: AbortSignal;
}

/** The login did not complete in time. */
export class LoginTimeoutError extends NonRetryableError {}

/** Where the QR code may sit on the sign-in page; the first match is captured. */
const QR_SELECTORS = [
  'img[src*="qrcode"]',
  'img[alt*="二维码"]',
  'img.qrcode',
  '.qrcode img',
  'img[class*="qr"]',
  'canvas',
];

/** True once the browser holds a logged-in session: SUB with SSOLoginState, or WBPSESS renewed. */
export function looksLoggedIn(cookies: readonly BrowserCookie[], initialWbpsess: string | null): boolean {
  const names = new Set(cookies.map((c) => c.name));
  if (names.has('SUB') && names.has('SSOLoginState')) return true;
  const wbpsess = cookies.find((c) => c.name === 'WBPSESS')?.value ?? null;
  return initialWbpsess !== null && wbpsess !== null && wbpsess !== initialWbpsess;
}

async function saveQr(page: Page, path: string): Promise<void> {
  const qr = page.locator(QR_SELECTORS.join(', ')).first();
  try {
    await qr.waitFor({ state: 'visible', timeout: 10_000 });
    await qr.screenshot({ path });
    return;
  } catch {
    // No known QR element: the whole page still shows the code to a person.
  }
  await page.screenshot({ path, fullPage: true });
}

/**
 * The QR login MediaCrawler does (research §1.5): Chromium opens the sign-in page, a person scans
 * the code with the Weibo app, the browser's cookies are polled until the session appears, then
 * m.weibo.cn is visited for the mobile cookies. Headless, the QR code is saved as a PNG for the
 * person to scan. The browser is closed before returning.
 *
 * @returns every cookie the browser holds at the end
 * @throws LoginTimeoutError when no session appears within `timeout`
 */
export async function qrLogin(o: QrLoginOptions): Promise<BrowserCookie[]> {
  const headless = o.headless ?? true;
  const browser = await launchChromium({ executablePath: o.executablePath, headless });
  const onAbort = (): void => void browser.close().catch(() => undefined);
  o.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const context = await browser.newContext({
      ...(o.userAgent ? { userAgent: o.userAgent } : {}),
      locale: 'zh-CN',
    });
    const page = await context.newPage();
    await page.goto(o.signinUrl, { waitUntil: 'load', timeout: 60_000 });
    if (headless && o.qrPath) {
      await saveQr(page, o.qrPath);
      o.onQrSaved?.(o.qrPath);
    }
    const initialWbpsess = (await readCookies(context)).find((c) => c.name === 'WBPSESS')?.value ?? null;
    const deadline = Date.now() + (o.timeout ?? 600_000);
    for (;;) {
      o.signal?.throwIfAborted();
      if (looksLoggedIn(await readCookies(context), initialWbpsess)) break;
      if (Date.now() >= deadline) {
        throw new LoginTimeoutError(
          `no login within ${Math.round((o.timeout ?? 600_000) / 1000)} s: the QR code was not scanned and confirmed`,
        );
      }
      await delay(o.pollEvery ?? 1_000, undefined, o.signal ? { signal: o.signal } : undefined);
    }
    await page.goto(o.mobileUrl, { waitUntil: 'load', timeout: 60_000 });
    await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => undefined);
    return await readCookies(context);
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
    await browser.close().catch(() => undefined);
  }
}

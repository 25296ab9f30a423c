import type { Browser, BrowserContext } from 'playwright-core';
import type { BrowserCookie } from './remap';

/** How Chromium is started. */
export interface BrowserLaunchOptions {
  /** Chromium binary (Debian's `/usr/bin/chromium`); null leaves the lookup to Playwright. */
  readonly executablePath: string | null;
  /** @defaultValue true */
  readonly headless?: boolean;
}

/**
 * Flags for a crawler's short-lived Chromium: no sandbox (containers run it as root), no GPU, and
 * none of the background traffic (updates, sync, first-run pages) that would leave the mirror.
 */
export function chromiumArgs(headless: boolean): string[] {
  const args = [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ];
  return headless ? ['--headless', ...args] : args;
}

/**
 * Starts Chromium; the caller closes it. Playwright is loaded here, on first launch, not with the
 * program: its code alone is some 25 MB of V8 heap and 60 MB of RSS, which a run that never starts
 * a browser (most of them) would otherwise carry for its whole life.
 */
export async function launchChromium(options: BrowserLaunchOptions): Promise<Browser> {
  const headless = options.headless ?? true;
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    ...(options.executablePath ? { executablePath: options.executablePath } : {}),
    headless,
    args: chromiumArgs(headless),
  });
}

/** Every cookie a browser context holds, in the shape the rest of the code uses. */
export async function readCookies(context: BrowserContext): Promise<BrowserCookie[]> {
  return (await context.cookies()).map((c) => ({
    name: c.name,
    value: c.value,
    domain: c.domain,
    path: c.path,
    expires: c.expires,
    httpOnly: c.httpOnly,
    secure: c.secure,
  }));
}

import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { launchChromium, type BrowserLaunchOptions } from './launch';
import { remapUrl, type BrowserCookie } from './remap';

/** One page to capture, named by its real URL (never a remapped one). */
export interface ShotRequest {
  /** The page a person would open, e.g. `https://m.weibo.cn/detail/4895…`. */
  readonly url: string;
  /** Cookies the page is loaded with, filed under real hosts (a session's jar). */
  readonly cookies?: readonly BrowserCookie[];
  /** @defaultValue the pool's viewport */
  readonly viewport?: { readonly width: number; readonly height: number };
  /** @defaultValue the pool's user agent */
  readonly userAgent?: string | null;
  readonly signal?: AbortSignal;
}

/** What a page looked like when it was captured. */
export interface Shot {
  readonly png: Buffer;
  readonly width: number;
  readonly height: number;
  /** The real URL the page ended at (a redirect followed), remapping undone. */
  readonly finalUrl: string;
  /** HTTP status of the page's main document, null when none was reported. */
  readonly status: number | null;
  /** The document's visible text when it was captured, so a reader can tell what the image shows. */
  readonly text: string;
}

/** Takes screenshots of pages; the evidence worker sees only this. */
export interface PageShooter {
  /** Loads the page and captures it; rejects when it cannot be loaded or captured. */
  shoot(request: ShotRequest): Promise<Shot>;
  close(): Promise<void>;
}

/** Options of {@link BrowserPool}. */
export interface BrowserPoolOptions extends BrowserLaunchOptions {
  /** Pages loaded at once, each in its own context. @defaultValue 4 */
  readonly size?: number;
  /** Real host → base URL it is served from (the platforms' `hosts`, merged). @defaultValue none */
  readonly hosts?: Readonly<Record<string, string>>;
  /** @defaultValue 390 × 844, a phone: m.weibo.cn is the mobile site */
  readonly viewport?: { readonly width: number; readonly height: number };
  /** Tallest image kept of a long page (px); below it the page is cut. @defaultValue 4000 */
  readonly maxHeight?: number;
  /** Navigation timeout (ms). @defaultValue 30000 */
  readonly timeout?: number;
  readonly userAgent?: string | null;
}

/** A context with its one page, reused from shot to shot. */
interface Slot {
  context: BrowserContext;
  page: Page;
  userAgent: string | null;
}

/**
 * Run in the page (a string: this module is compiled without the DOM's types): waits for the fonts
 * and two frames, since text drawn in a web font is invisible until the font arrives; then the
 * document's height and visible text.
 */
const SETTLE_AND_MEASURE = `(async () => {
  await document.fonts.ready;
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  return { height: document.documentElement.scrollHeight, text: document.body ? document.body.innerText : '' };
})()`;

const DEFAULT_VIEWPORT = { width: 390, height: 844 } as const;

/**
 * Screenshots through one Chromium and a fixed number of contexts that are reused: launching a
 * browser costs hundreds of milliseconds, a context tens, a page load on a warm context a few. Each
 * shot clears the context's cookies and sets the session's own, so one target never sees another's
 * state. A browser that died is launched again on the next shot; a slot whose page failed is
 * rebuilt.
 *
 * Under a host remap the page is loaded from the base its real host is served from, subresources
 * of remapped hosts follow the remap, and subresources of other hosts are not loaded: a mirror's
 * page mixed with the live site's scripts would show neither.
 */
export class BrowserPool implements PageShooter {
  private browser: Promise<Browser> | null = null;
  private readonly idle: Slot[] = [];
  private readonly waiting: ((slot: Slot | Error) => void)[] = [];
  private slots = 0;
  private closed = false;
  private readonly size: number;
  private readonly hosts: Readonly<Record<string, string>>;
  private readonly baseHosts: ReadonlyMap<string, string>;

  constructor(private readonly o: BrowserPoolOptions) {
    this.size = Math.max(1, o.size ?? 4);
    this.hosts = o.hosts ?? {};
    const bases = new Map<string, string>();
    for (const [real, base] of Object.entries(this.hosts)) {
      try {
        const host = new URL(base).host.toLowerCase();
        if (!bases.has(host)) bases.set(host, real);
      } catch {
        // An unparseable base is never loaded: remapUrl leaves its host alone.
      }
    }
    this.baseHosts = bases;
  }

  async shoot(r: ShotRequest): Promise<Shot> {
    r.signal?.throwIfAborted();
    const slot = await this.acquire();
    let healthy = false;
    try {
      const shot = await this.capture(slot, r);
      healthy = true;
      return shot;
    } finally {
      this.release(slot, healthy);
    }
  }

  /** Closes every context and the browser; shots waiting for a slot reject. */
  async close(): Promise<void> {
    this.closed = true;
    for (const w of this.waiting.splice(0)) w(new Error('the browser pool is closed'));
    const slots = this.idle.splice(0);
    await Promise.all(slots.map((s) => s.context.close().catch(() => undefined)));
    const browser = this.browser;
    this.browser = null;
    if (browser) await (await browser.catch(() => null))?.close().catch(() => undefined);
  }

  private async capture(slot: Slot, r: ShotRequest): Promise<Shot> {
    const { context, page } = slot;
    await context.clearCookies();
    const cookies = this.cookiesFor(r.cookies ?? [], r.url);
    if (cookies.length) await context.addCookies(cookies);
    const viewport = r.viewport ?? this.o.viewport ?? DEFAULT_VIEWPORT;
    const current = page.viewportSize();
    if (!current || current.width !== viewport.width || current.height !== viewport.height)
      await page.setViewportSize(viewport);
    const onAbort = (): void => void page.goto('about:blank').catch(() => undefined);
    r.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const response = await page.goto(remapUrl(r.url, this.hosts), {
        waitUntil: 'load',
        timeout: this.o.timeout ?? 30_000,
      });
      r.signal?.throwIfAborted();
      // Text drawn in a web font is invisible until the font arrives; a frame after it, it is drawn.
      const { height, text } = (await page.evaluate(SETTLE_AND_MEASURE)) as { height: number; text: string };
      const clipHeight = Math.max(1, Math.min(height, this.o.maxHeight ?? 4000));
      const png = await page.screenshot({
        type: 'png',
        fullPage: clipHeight > viewport.height,
        clip: { x: 0, y: 0, width: viewport.width, height: clipHeight },
        animations: 'disabled',
      });
      return {
        png,
        width: viewport.width,
        height: clipHeight,
        finalUrl: this.realUrl(page.url()),
        status: response?.status() ?? null,
        text,
      };
    } finally {
      r.signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Real-host cookies as the browser must hold them to send them to the (remapped) page. */
  private cookiesFor(
    cookies: readonly BrowserCookie[],
    realUrl: string,
  ): Parameters<BrowserContext['addCookies']>[0] {
    const loaded = remapUrl(realUrl, this.hosts);
    if (loaded === realUrl) {
      return cookies
        .filter((c) => c.name && c.domain)
        .map((c) => ({
          name: c.name,
          value: c.value,
          domain: c.domain,
          path: c.path || '/',
          expires: c.expires,
          httpOnly: c.httpOnly,
          secure: c.secure,
        }));
    }
    // Under a remap the browser can only hold them for the base's host, where the page is loaded.
    const origin = new URL(loaded).origin;
    return cookies
      .filter((c) => c.name)
      .map((c) => ({
        name: c.name,
        value: c.value,
        url: `${origin}/`,
        expires: c.expires,
        httpOnly: c.httpOnly,
      }));
  }

  /** The real URL of a loaded (possibly remapped) one. */
  private realUrl(loaded: string): string {
    try {
      const u = new URL(loaded);
      const real = this.baseHosts.get(u.host.toLowerCase());
      if (!real) return loaded;
      const base = new URL(this.hosts[real]!);
      const prefix = base.pathname.replace(/\/+$/, '');
      const path = u.pathname.startsWith(prefix) ? u.pathname.slice(prefix.length) || '/' : u.pathname;
      return `https://${real}${path}${u.search}`;
    } catch {
      return loaded;
    }
  }

  private async route(route: Route): Promise<void> {
    const request = route.request();
    const url = request.url();
    let host: string;
    try {
      host = new URL(url).host.toLowerCase();
    } catch {
      return route.abort();
    }
    const onBase = this.baseHosts.has(host);
    const target = onBase ? url : remapUrl(url, this.hosts);
    if (!onBase && target === url) return route.abort('blockedbyclient');
    if (onBase && request.resourceType() !== 'document') return route.continue();
    // Documents are fetched here so a redirect to a real host is sent to its base instead (the
    // browser would follow it without asking), and so are subresources of remapped hosts, whose
    // base may not share their protocol (which the browser cannot continue to).
    const response = await route.fetch({ url: target, maxRedirects: 0 });
    const location = response.headers()['location'];
    if (response.status() >= 300 && response.status() < 400 && location) {
      const real = new URL(location, this.realUrl(target)).href;
      return route.fulfill({
        response,
        headers: { ...response.headers(), location: remapUrl(real, this.hosts) },
      });
    }
    return route.fulfill({ response });
  }

  private async launch(): Promise<Browser> {
    this.browser ??= launchChromium(this.o).then((b) => {
      b.on('disconnected', () => {
        // Every slot of a dead browser is dead: the next shot launches a new one.
        this.browser = null;
        this.slots -= this.idle.length;
        this.idle.length = 0;
      });
      return b;
    });
    try {
      return await this.browser;
    } catch (err) {
      this.browser = null;
      throw err;
    }
  }

  private async newSlot(): Promise<Slot> {
    const browser = await this.launch();
    const userAgent = this.o.userAgent ?? null;
    const context = await browser.newContext({
      ...(userAgent ? { userAgent } : {}),
      viewport: this.o.viewport ?? DEFAULT_VIEWPORT,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      serviceWorkers: 'block',
    });
    try {
      if (Object.keys(this.hosts).length)
        await context.route('**/*', (route) =>
          this.route(route).catch(() => route.abort().catch(() => undefined)),
        );
      const page = await context.newPage();
      return { context, page, userAgent };
    } catch (err) {
      await context.close().catch(() => undefined);
      throw err;
    }
  }

  private async acquire(): Promise<Slot> {
    if (this.closed) throw new Error('the browser pool is closed');
    const idle = this.idle.pop();
    if (idle) return idle;
    if (this.slots < this.size) {
      this.slots++;
      try {
        return await this.newSlot();
      } catch (err) {
        this.slots--;
        this.wakeOne();
        throw err;
      }
    }
    const slot = await new Promise<Slot | Error>((resolve) => this.waiting.push(resolve));
    if (slot instanceof Error) throw slot;
    return slot;
  }

  private release(slot: Slot, healthy: boolean): void {
    if (this.closed || !healthy || slot.page.isClosed()) {
      // A failed shot may leave its page mid-navigation or crashed: the slot is rebuilt.
      this.slots--;
      void slot.context.close().catch(() => undefined);
      if (!this.closed) this.wakeOne();
      return;
    }
    const next = this.waiting.shift();
    if (next) next(slot);
    else this.idle.push(slot);
  }

  /** A waiter whose slot was given up builds its own. */
  private wakeOne(): void {
    const next = this.waiting.shift();
    if (!next) return;
    this.slots++;
    this.newSlot().then(next, (err: unknown) => {
      this.slots--;
      next(err instanceof Error ? err : new Error(String(err)));
    });
  }
}

/**
 * Reading screenshots in tests: ink in a region, distinct colours, and a control rendering of the
 * same page with one text made transparent, so "the screenshot shows the text" is a check that
 * can fail.
 */
import { PNG } from 'pngjs';
import type { Browser } from 'playwright-core';

export interface Region {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Pixels in `r` darker than mid-grey: ink on a light page. */
export function inkIn(png: PNG, r: Region): number {
  let ink = 0;
  for (let y = Math.max(0, Math.floor(r.y)); y < Math.min(png.height, Math.ceil(r.y + r.height)); y++)
    for (let x = Math.max(0, Math.floor(r.x)); x < Math.min(png.width, Math.ceil(r.x + r.width)); x++) {
      const i = (y * png.width + x) * 4;
      const lum = 0.299 * png.data[i]! + 0.587 * png.data[i + 1]! + 0.114 * png.data[i + 2]!;
      if (lum < 128) ink++;
    }
  return ink;
}

/** Distinct colours of the image: a blank page has one. */
export function colours(png: PNG): number {
  const seen = new Set<number>();
  for (let i = 0; i < png.data.length; i += 4)
    seen.add((png.data[i]! << 16) | (png.data[i + 1]! << 8) | png.data[i + 2]!);
  return seen.size;
}

/** How the control page is opened: as the pool opened it. */
export interface ControlPage {
  /** The URL the browser loads (already remapped). */
  readonly url: string;
  readonly viewport: { readonly width: number; readonly height: number };
  readonly userAgent?: string | null;
  readonly cookies?: readonly { name: string; value: string }[];
}

/**
 * Where the first element showing `snippet` sits on the page, and a screenshot of the page with
 * that element's text made transparent. Like the pool under a remap, nothing outside the page's
 * own host is loaded.
 */
export async function control(
  browser: Browser,
  page: ControlPage,
  snippet: string,
): Promise<{ box: Region; hidden: PNG }> {
  const origin = new URL(page.url).origin;
  const context = await browser.newContext({
    viewport: page.viewport,
    locale: 'zh-CN',
    ...(page.userAgent ? { userAgent: page.userAgent } : {}),
  });
  try {
    if (page.cookies?.length)
      await context.addCookies(
        page.cookies.map((c) => ({ name: c.name, value: c.value, url: `${origin}/` })),
      );
    await context.route('**/*', (r) =>
      new URL(r.request().url()).origin === origin ? r.continue() : r.abort('blockedbyclient'),
    );
    const tab = await context.newPage();
    await tab.goto(page.url, { waitUntil: 'load' });
    const el = tab.getByText(snippet, { exact: false }).first();
    const box = await el.boundingBox();
    if (!box) throw new Error(`no element shows ${snippet}`);
    await el.evaluate(
      (node) => ((node as unknown as { style: { color: string } }).style.color = 'transparent'),
    );
    const hidden = PNG.sync.read(
      await tab.screenshot({
        fullPage: true,
        clip: { x: 0, y: 0, width: page.viewport.width, height: box.y + box.height + 10 },
      }),
    );
    return { box, hidden };
  } finally {
    await context.close();
  }
}

import type { HttpResponse } from './types';

/**
 * Every URL a response passed through after the one asked for, in order: the redirects followed,
 * the final URL, and the Location of a redirect that was not followed. Walls (login, visitor
 * system, CDN error pages) show up here rather than in the body.
 */
export function visitedUrls(res: HttpResponse): string[] {
  const urls = [...new Set([...res.redirects, res.finalUrl])].filter((u) => u !== res.url);
  const location = res.headers['location'];
  if (res.status >= 300 && res.status < 400 && location) {
    try {
      urls.push(new URL(location, res.finalUrl || res.url).toString());
    } catch {
      // An unparseable Location names no place.
    }
  }
  return urls;
}

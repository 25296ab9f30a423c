/**
 * Host remapping for the browser. The HTTP client remaps every request itself; a browser cannot,
 * so it is pointed at the base URL a real host is served from, and the cookies it comes back with
 * are filed under the real host again.
 */

/** A cookie as a browser reports it (Playwright's shape, without its types leaking out). */
export interface BrowserCookie {
  readonly name: string;
  readonly value: string;
  /** As the browser stores it: a leading dot for domain cookies, none for host-only ones. */
  readonly domain: string;
  readonly path: string;
  /** Epoch seconds; -1 for a session cookie. */
  readonly expires: number;
  readonly httpOnly: boolean;
  readonly secure: boolean;
}

function parseBase(base: string): URL | null {
  try {
    return new URL(base);
  } catch {
    return null;
  }
}

/**
 * The URL a browser must load to reach `realUrl` under `hosts` (real host → base URL), path and
 * query kept as written; `realUrl` itself when its host is not remapped.
 */
export function remapUrl(realUrl: string, hosts: Readonly<Record<string, string>>): string {
  let u: URL;
  try {
    u = new URL(realUrl);
  } catch {
    return realUrl;
  }
  const entry = Object.entries(hosts).find(
    ([h]) => h.toLowerCase() === u.host.toLowerCase() || h.toLowerCase() === u.hostname.toLowerCase(),
  );
  const base = entry ? parseBase(entry[1]) : null;
  if (!base) return realUrl;
  const m = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*([^#]*)/.exec(realUrl);
  const rest = m?.[1] || '/';
  const prefix = base.pathname.replace(/\/+$/, '');
  return `${base.origin}${prefix}${rest.startsWith('/') ? rest : `/${rest}`}`;
}

/**
 * `Set-Cookie` lines, each with the real URL it is to be stored for, for cookies a browser
 * collected while pointed at remapped bases. A cookie whose domain is the host of a base is filed
 * under the first real host in `realHosts` served from that base (so list the host the cookies are
 * wanted for first); other cookies keep their own domain. Every cookie gets a Domain attribute,
 * since under a remap the browser could only keep host-only cookies for the base's host.
 */
export function realCookieLines(
  cookies: readonly BrowserCookie[],
  hosts: Readonly<Record<string, string>>,
  realHosts: readonly string[],
): { line: string; url: string }[] {
  const byBaseHost = new Map<string, string>();
  for (const real of realHosts) {
    const base = hosts[real];
    const u = base === undefined ? null : parseBase(base);
    const key = u?.hostname.toLowerCase();
    if (key && !byBaseHost.has(key)) byBaseHost.set(key, real.toLowerCase());
  }
  const out: { line: string; url: string }[] = [];
  for (const c of cookies) {
    const own = c.domain.replace(/^\.+/, '').toLowerCase();
    const domain = byBaseHost.get(own) ?? own;
    if (!domain || !c.name) continue;
    const parts = [`${c.name}=${c.value}`, `Domain=${domain}`, `Path=${c.path || '/'}`];
    if (c.expires > 0) parts.push(`Expires=${new Date(c.expires * 1000).toUTCString()}`);
    if (c.secure) parts.push('Secure');
    if (c.httpOnly) parts.push('HttpOnly');
    out.push({ line: parts.join('; '), url: `https://${domain}${c.path || '/'}` });
  }
  return out;
}

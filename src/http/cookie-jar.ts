import type { Clock } from '../domain/clock';
import { systemClock } from '../domain/clock';

/** One stored cookie. Domains are lower-case without a leading dot. */
export interface StoredCookie {
  readonly name: string;
  readonly value: string;
  readonly domain: string;
  /** True when set without a Domain attribute: sent to exactly `domain`, not its subdomains. */
  readonly hostOnly: boolean;
  readonly path: string;
  /** Epoch milliseconds; null for a session cookie. */
  readonly expires: number | null;
  readonly secure: boolean;
  readonly httpOnly: boolean;
  /** Epoch milliseconds when first stored; orders cookies with equal paths. */
  readonly createdAt: number;
}

/** What {@link CookieJar.toJSON} writes and {@link CookieJar.fromJSON} reads. */
export interface SerializedCookieJar {
  readonly version: 1;
  readonly cookies: readonly StoredCookie[];
}

/** Options of {@link CookieJar}. */
export interface CookieJarOptions {
  /** Time source for Max-Age / Expires. @defaultValue the system clock */
  readonly clock?: Clock;
}

/**
 * A small cookie jar for one platform, keyed by real hosts (never remapped ones). It follows
 * RFC 6265 loosely: Domain and Path matching, Max-Age over Expires, replacement by (name, domain,
 * path); no public-suffix list, since it only ever sees the few hosts of one platform.
 */
export class CookieJar {
  private readonly clock: Clock;
  private cookies: StoredCookie[] = [];

  constructor(options: CookieJarOptions = {}) {
    this.clock = options.clock ?? systemClock;
  }

  /**
   * Stores one `Set-Cookie` line received from `url` (a real URL). Returns false when the line is
   * rejected (no name, a Domain the host does not belong to) and true otherwise, including when the
   * line deletes a cookie by expiring it.
   */
  setCookie(line: string, url: string): boolean {
    const target = parseUrl(url);
    if (!target) return false;
    const parts = line.split(';');
    const pair = parseNameValue(parts[0] ?? '');
    if (!pair) return false;

    const now = this.clock.now();
    let domainAttr: string | null = null;
    let pathAttr: string | null = null;
    let maxAge: number | null = null;
    let expiresAttr: number | null = null;
    let secure = false;
    let httpOnly = false;
    for (const raw of parts.slice(1)) {
      const eq = raw.indexOf('=');
      const key = (eq < 0 ? raw : raw.slice(0, eq)).trim().toLowerCase();
      const value = eq < 0 ? '' : raw.slice(eq + 1).trim();
      switch (key) {
        case 'domain': {
          const d = value.replace(/^\.+/, '').toLowerCase();
          // An empty Domain attribute is ignored, as browsers do.
          if (d) domainAttr = d;
          break;
        }
        case 'path':
          if (value.startsWith('/')) pathAttr = value;
          break;
        case 'max-age':
          if (/^-?\d+$/.test(value)) maxAge = Number(value);
          break;
        case 'expires': {
          const t = Date.parse(value);
          if (!Number.isNaN(t)) expiresAttr = t;
          break;
        }
        case 'secure':
          secure = true;
          break;
        case 'httponly':
          httpOnly = true;
          break;
        default:
          break;
      }
    }

    if (domainAttr !== null && !domainMatches(target.host, domainAttr)) return false;
    // A Domain of a bare TLD (e.g. `cn`) would leak the cookie to every site under it.
    if (domainAttr !== null && !domainAttr.includes('.') && domainAttr !== target.host) return false;

    let expires: number | null = null;
    if (maxAge !== null) expires = maxAge <= 0 ? 0 : now + maxAge * 1000;
    else if (expiresAttr !== null) expires = expiresAttr;

    this.store({
      name: pair.name,
      value: pair.value,
      domain: domainAttr ?? target.host,
      hostOnly: domainAttr === null,
      path: pathAttr ?? defaultPath(target.path),
      expires,
      secure,
      httpOnly,
      createdAt: now,
    });
    return true;
  }

  /**
   * Stores a configured cookie string (`a=1; b=2`, as copied from a browser) as session cookies for
   * `domain` and its subdomains, path `/`. A leading dot on `domain` is optional.
   */
  setFromString(domain: string, cookieString: string): void {
    const d = domain.trim().replace(/^\.+/, '').toLowerCase();
    if (!d) return;
    const now = this.clock.now();
    for (const part of cookieString.split(';')) {
      const pair = parseNameValue(part);
      if (!pair) continue;
      this.store({
        name: pair.name,
        value: pair.value,
        domain: d,
        hostOnly: false,
        path: '/',
        expires: null,
        secure: false,
        httpOnly: false,
        createdAt: now,
      });
    }
  }

  /** The cookies that apply to a real URL, longest path first (the order browsers send them). */
  cookiesFor(url: string): StoredCookie[] {
    const target = parseUrl(url);
    if (!target) return [];
    this.evictExpired();
    return this.cookies
      .filter(
        (c) =>
          (c.hostOnly ? c.domain === target.host : domainMatches(target.host, c.domain)) &&
          pathMatches(target.path, c.path) &&
          (!c.secure || target.secure),
      )
      .sort((a, b) => b.path.length - a.path.length || a.createdAt - b.createdAt);
  }

  /** The `Cookie` header value for a real URL, or `''` when no cookie applies. */
  header(url: string): string {
    return this.cookiesFor(url)
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }

  /** Every unexpired cookie. */
  all(): StoredCookie[] {
    this.evictExpired();
    return [...this.cookies];
  }

  /** Drops every cookie (e.g. to get fresh visitor cookies). */
  clear(): void {
    this.cookies = [];
  }

  /** Unexpired cookies, for saving to a file. */
  toJSON(): SerializedCookieJar {
    return { version: 1, cookies: this.all() };
  }

  /** Restores a jar saved with {@link CookieJar.toJSON}; expired and malformed entries are dropped. */
  static fromJSON(data: unknown, options: CookieJarOptions = {}): CookieJar {
    const jar = new CookieJar(options);
    const list: unknown =
      typeof data === 'object' && data !== null ? (data as { cookies?: unknown }).cookies : null;
    if (!Array.isArray(list)) return jar;
    for (const item of list) {
      if (isStoredCookie(item)) jar.store({ ...item, domain: item.domain.toLowerCase() });
    }
    jar.evictExpired();
    return jar;
  }

  private store(cookie: StoredCookie): void {
    const i = this.cookies.findIndex(
      (c) => c.name === cookie.name && c.domain === cookie.domain && c.path === cookie.path,
    );
    const expired = cookie.expires !== null && cookie.expires <= this.clock.now();
    if (i >= 0) {
      const old = this.cookies[i];
      if (expired) this.cookies.splice(i, 1);
      // A replaced cookie keeps its creation time, so the sending order stays stable (RFC 6265 5.3).
      else if (old) this.cookies[i] = { ...cookie, createdAt: old.createdAt };
    } else if (!expired) {
      this.cookies.push(cookie);
    }
  }

  private evictExpired(): void {
    const now = this.clock.now();
    this.cookies = this.cookies.filter((c) => c.expires === null || c.expires > now);
  }
}

function parseNameValue(s: string): { name: string; value: string } | null {
  const eq = s.indexOf('=');
  if (eq <= 0) return null;
  const name = s.slice(0, eq).trim();
  let value = s.slice(eq + 1).trim();
  if (!name) return null;
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
  return { name, value };
}

function parseUrl(url: string): { host: string; path: string; secure: boolean } | null {
  try {
    const u = new URL(url);
    return { host: u.hostname.toLowerCase(), path: u.pathname || '/', secure: u.protocol === 'https:' };
  } catch {
    return null;
  }
}

/** RFC 6265 5.1.3: the host is the domain or a subdomain of it (never for IP addresses). */
function domainMatches(host: string, domain: string): boolean {
  if (host === domain) return true;
  if (/^[\d.]+$/.test(host) || host.includes(':')) return false;
  return host.endsWith(`.${domain}`);
}

/** RFC 6265 5.1.4. */
function defaultPath(requestPath: string): string {
  if (!requestPath.startsWith('/')) return '/';
  const last = requestPath.lastIndexOf('/');
  return last <= 0 ? '/' : requestPath.slice(0, last);
}

/** RFC 6265 5.1.4. */
function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}

function isStoredCookie(x: unknown): x is StoredCookie {
  if (typeof x !== 'object' || x === null) return false;
  const c = x as Record<string, unknown>;
  return (
    typeof c.name === 'string' &&
    typeof c.value === 'string' &&
    typeof c.domain === 'string' &&
    typeof c.hostOnly === 'boolean' &&
    typeof c.path === 'string' &&
    (c.expires === null || typeof c.expires === 'number') &&
    typeof c.secure === 'boolean' &&
    typeof c.httpOnly === 'boolean' &&
    typeof c.createdAt === 'number'
  );
}

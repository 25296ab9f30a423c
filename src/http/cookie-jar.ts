import { Cookie, CookieJar as ToughCookieJar, MemoryCookieStore } from 'tough-cookie';
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
 * The cookie jar of one platform, keyed by real hosts (never remapped ones): tough-cookie's RFC 6265
 * jar (Domain and Path matching, host-only cookies, public-suffix rejection, Max-Age over Expires)
 * with time taken from the injected clock. tough-cookie 6 reads `Date.now()` when it checks expiry
 * on lookup and measures Max-Age from the last access, so Max-Age is turned into an absolute
 * expiry on the injected clock when a cookie is stored, and expiry is checked here.
 */
export class CookieJar {
  private readonly clock: Clock;
  private readonly store = new MemoryCookieStore();
  private readonly jar: ToughCookieJar;
  /**
   * tough-cookie's matches per URL (query and fragment cut off, which matching ignores), until
   * the jar changes: every request asks for the same few URLs' cookies, and matching (public
   * suffixes, domains, paths, sorting) costs more than the rest of building the request.
   */
  private readonly matches = new Map<string, Match>();

  constructor(options: CookieJarOptions = {}) {
    this.clock = options.clock ?? systemClock;
    // Secure cookies go over https only, localhost included, as the jar only sees real hosts.
    this.jar = new ToughCookieJar(this.store, { allowSecureOnLocal: false });
  }

  /**
   * Stores one `Set-Cookie` line received from `url` (a real URL). Returns false when the line is
   * rejected (no name, a Domain the host does not belong to or a public suffix) and true
   * otherwise, including when the line deletes a cookie by expiring it.
   */
  setCookie(line: string, url: string): boolean {
    if (!isUrl(url)) return false;
    const cookie = Cookie.parse(line);
    if (!cookie || cookie.key === '') return false;
    const now = this.clock.now();
    if (typeof cookie.maxAge === 'number') {
      cookie.expires = new Date(cookie.maxAge <= 0 ? 0 : now + cookie.maxAge * 1000);
      cookie.maxAge = null;
    }
    return this.put(cookie, url, now);
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
      const pair = Cookie.parse(part);
      if (!pair || pair.key === '') continue;
      const cookie = new Cookie({ key: pair.key, value: unquote(pair.value), domain: d, path: '/' });
      this.put(cookie, `https://${d}/`, now);
    }
  }

  /** The cookies that apply to a real URL, longest path first (the order browsers send them). */
  cookiesFor(url: string): StoredCookie[] {
    return this.match(url)?.stored.slice() ?? [];
  }

  /** The `Cookie` header value for a real URL, or `''` when no cookie applies. */
  header(url: string): string {
    const m = this.match(url);
    if (!m) return '';
    m.header ??= m.stored.map((c) => `${c.name}=${c.value}`).join('; ');
    return m.header;
  }

  /**
   * The live cookies of a URL. Kept until the jar changes or the first of them expires, so a
   * request asking again (every request does, twice with its XSRF token) neither re-checks each
   * cookie's expiry nor copies it; once one expires, it is dropped from the store as it was.
   */
  private match(url: string): Match | undefined {
    const key = withoutQuery(url);
    let m = this.matches.get(key);
    if (!m) {
      if (!isUrl(url)) return undefined;
      const found = this.jar.getCookiesSync(url, { expire: false, sort: true });
      if (this.matches.size >= MAX_CACHED_URLS) this.matches.clear();
      m = { found, stored: [], until: Number.NEGATIVE_INFINITY, header: undefined };
      this.matches.set(key, m);
    }
    const now = this.clock.now();
    if (now < m.until) return m;
    const live = this.live(m.found);
    // live() clears the cache when it drops an expired cookie: this URL's matches are read anew next time.
    m = { found: live, stored: live.map(toStored), until: firstExpiry(live), header: undefined };
    if (this.matches.has(key)) this.matches.set(key, m);
    return m;
  }

  /** Every unexpired cookie, oldest first. */
  all(): StoredCookie[] {
    return this.live(this.allCookies()).map(toStored);
  }

  /** Drops every cookie (e.g. to get fresh visitor cookies). */
  clear(): void {
    this.matches.clear();
    this.jar.removeAllCookiesSync();
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
    const now = jar.clock.now();
    for (const item of list) {
      if (!isStoredCookie(item) || (item.expires !== null && item.expires <= now)) continue;
      // Put straight into the store: setting through the jar would re-derive hostOnly and the
      // creation time, which the saved entry already has.
      const cookie = new Cookie({
        key: item.name,
        value: item.value,
        domain: item.domain.toLowerCase().replace(/^\.+/, ''),
        path: item.path,
        expires: item.expires === null ? 'Infinity' : new Date(item.expires),
        secure: item.secure,
        httpOnly: item.httpOnly,
        hostOnly: item.hostOnly,
        creation: new Date(item.createdAt),
        lastAccessed: new Date(item.createdAt),
      });
      jar.store.putCookie(cookie, noop);
    }
    return jar;
  }

  private put(cookie: Cookie, url: string, now: number): boolean {
    this.matches.clear();
    // ignoreError: a rejected cookie is reported by the return value, as a browser drops it silently.
    const stored = this.jar.setCookieSync(cookie, url, { now: new Date(now), ignoreError: true });
    return stored !== undefined;
  }

  private allCookies(): Cookie[] {
    let out: Cookie[] = [];
    // MemoryCookieStore answers callbacks synchronously.
    this.store.getAllCookies((err, cookies) => {
      if (!err && cookies) out = cookies;
    });
    return out;
  }

  /** The cookies of `list` not expired on the injected clock; expired ones leave the store. */
  private live(list: Cookie[]): Cookie[] {
    const now = this.clock.now();
    return list.filter((c) => {
      const t = c.expiryTime();
      if (t === undefined || t > now) return true;
      this.matches.clear();
      this.store.removeCookie(c.domain ?? '', c.path ?? '/', c.key, noop);
      return false;
    });
  }
}

function noop(): void {}

/** One URL's matching cookies, and what is built from them while none has expired. */
interface Match {
  /** tough-cookie's matches, sorted. */
  readonly found: Cookie[];
  readonly stored: readonly StoredCookie[];
  /** Clock time at which the first of them expires (Infinity for session cookies only). */
  readonly until: number;
  header: string | undefined;
}

/** When the first of `cookies` expires, on the clock the jar checks expiry with. */
function firstExpiry(cookies: readonly Cookie[]): number {
  let until = Number.POSITIVE_INFINITY;
  for (const c of cookies) {
    const t = c.expiryTime();
    if (t !== undefined && t < until) until = t;
  }
  return until;
}

/** URLs whose matches are kept at most; past it the cache starts over. */
const MAX_CACHED_URLS = 256;

/** The URL without its query and fragment, which cookie matching never looks at. */
function withoutQuery(url: string): string {
  // Two indexOf calls cost a fraction of one regular expression search, on every request.
  const q = url.indexOf('?');
  const h = url.indexOf('#');
  const end = q < 0 ? h : h < 0 ? q : Math.min(q, h);
  return end < 0 ? url : url.slice(0, end);
}

function toStored(c: Cookie): StoredCookie {
  const expiry = c.expiryTime();
  const created = c.creation instanceof Date ? c.creation.getTime() : 0;
  return {
    name: c.key,
    value: c.value,
    domain: c.domain ?? '',
    hostOnly: c.hostOnly === true,
    path: c.path ?? '/',
    expires: expiry === undefined || expiry === Infinity ? null : expiry,
    secure: c.secure,
    httpOnly: c.httpOnly,
    createdAt: created,
  };
}

/** A configured value copied with its quotes (`"abc"`) means the value inside them. */
function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
}

function isUrl(url: string): boolean {
  try {
    new URL(url);
    return true;
  } catch {
    return false;
  }
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

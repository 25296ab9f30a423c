import { setTimeout as delay } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';
import { Agent, ProxyAgent } from 'undici';
import type { Dispatcher } from 'undici';
import type { Logger } from 'pino';
import type { Platform } from '../domain/glossary';
import { systemClock, type Clock } from '../domain/clock';
import type { PlatformConfig } from '../config/types';
import { ConfigError } from '../errors';
import { ACCEPT_ENCODING, decodeContent } from './content-encoding';
import type { CookieJar } from './cookie-jar';
import { LocalPoliteness, PolitenessUnavailableError, type Politeness, type Sleep } from './politeness';
import { InFlightBySignal, ResponseReader, type ReadResponse } from './response-reader';
import type { FetchResult, HttpClient, HttpRequest, HttpResponse, TransportFailure } from './types';

/** The part of a platform's config the fetcher reads. */
export type FetcherPlatformConfig = Pick<
  PlatformConfig,
  'hosts' | 'minInterval' | 'timeout' | 'proxies' | 'userAgent'
>;

export type { Sleep } from './politeness';

/** Options of {@link Fetcher}. */
export interface FetcherOptions {
  readonly platforms: Readonly<Record<Platform, FetcherPlatformConfig>>;
  readonly logger?: Logger;
  /** Redirects followed before the last 3xx is returned as is. @defaultValue 10 */
  readonly maxRedirects?: number;
  /** Extra tries after a transport error (reset, refused, timeout). @defaultValue 1 */
  readonly retries?: number;
  /** Cookie jar per platform; when given, cookies are sent and every hop's Set-Cookie stored. */
  readonly jars?: Partial<Record<Platform, CookieJar>>;
  /** Used for politeness waits and retry backoff. @defaultValue a `setTimeout` sleep */
  readonly sleep?: Sleep;
  /**
   * Spaces the requests to each host `minInterval` apart (stretched by `jitter`), before every
   * attempt of every hop. @defaultValue a {@link LocalPoliteness} over `sleep`
   */
  readonly politeness?: Politeness;
  /** Backoff before the first retry, doubled for each later one (ms). @defaultValue 200 */
  readonly retryDelay?: number;
  /**
   * Largest body accepted; larger on the wire gives a `BODY_TOO_LARGE` failure, larger once
   * decoded (a gzip bomb) a response marked `undecodable`, its encoded body kept. @defaultValue 20 MiB
   */
  readonly maxBodySize?: number;
  /**
   * Politeness jitter: each wait is `minInterval` stretched by up to this fraction, so requests do
   * not arrive on a fixed beat. Never shorter than `minInterval`. @defaultValue 0.25
   */
  readonly jitter?: number;
  /** Source of the jitter, in [0, 1). @defaultValue Math.random */
  readonly random?: () => number;
  /**
   * Stamps each result with when its last request was sent (`sentAt`) and when it arrived
   * (`receivedAt`, `failedAt`), the times observations
   * take. Politeness, retries and timeouts stay in real time. @defaultValue the system clock
   */
  readonly clock?: Clock;
}

const DEFAULT_MAX_BODY = 20 * 1024 * 1024;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Transport errors worth another try: the server or the path to it may be fine a moment later. */
const RETRYABLE_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

const defaultSleep: Sleep = async (ms, signal) => {
  await delay(ms, undefined, signal ? { signal } : undefined);
};

/** Where a real host is served from. */
interface Base {
  readonly origin: string;
  /** Path prefix without a trailing slash; `''` when none. */
  readonly prefix: string;
}

/** One hop of a request: its real URL and where it is actually sent. */
interface Hop {
  readonly realUrl: string;
  readonly realHost: string;
  /** The real URL's host as `URL.host` gives it (port kept), the Host the wire would carry. */
  readonly host: string;
  readonly origin: string;
  /** Path and query as sent on the wire. */
  readonly path: string;
  readonly base: Base | null;
}

interface PlatformState {
  readonly config: FetcherPlatformConfig;
  readonly bases: ReadonlyMap<string, Base>;
  direct: Agent | null;
  readonly proxies: (ProxyAgent | null)[];
  nextProxy: number;
  /** Each URL's scheme and authority as {@link Fetcher.resolve} parsed it first; see there. */
  readonly authorities: Map<string, Authority>;
}

/** What the scheme and authority of a URL make of it: its real host and where it is sent. */
interface Authority {
  readonly realHost: string;
  readonly host: string;
  readonly origin: string;
  readonly base: Base | null;
}

/** Scheme and authority kept parsed per platform at most; past it the cache starts over. */
const MAX_AUTHORITIES = 256;

type RawResponse = ReadResponse;

/** The error a {@link ResponseReader} gives a body over the cap. */
const tooLarge = (message: string): Error => new DecidedFailure('BODY_TOO_LARGE', message);

const noop = (): void => undefined;
const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});

/** A request's last attempt failing, with the hop it was sent on, for the failure's log line. */
class SendFailure extends Error {
  constructor(
    readonly error: unknown,
    readonly hop: Hop,
  ) {
    super('request failed');
  }
}

/** A failure raised inside the fetcher whose code is already decided. */
class DecidedFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The HTTP client adapters use: undici with keep-alive agents, real-host URLs remapped to
 * configured bases, per-host politeness, manual redirects, cookies, proxies, and retries for
 * transport errors only. Network problems come back as {@link TransportFailure}, never as throws;
 * every HTTP status is returned as a response. The one rejection is a
 * {@link PolitenessUnavailableError}: without its politeness slot no request is sent, and that is
 * our infrastructure failing, not the platform answering.
 *
 * `HttpResponse.redirects` lists the URLs redirected to, in order, in real-host terms, so its last
 * entry is `finalUrl` when any redirect was followed. `setCookies` holds the Set-Cookie lines of
 * every hop of the chain, in order. A redirect to a host that is neither remapped nor the current
 * one is not followed: that 3xx is returned, its Location intact, for the parser to classify.
 * `timeout` bounds the wait for headers and each body gap (undici timers, about 1 s granularity).
 */
export class Fetcher implements HttpClient {
  private readonly platforms = new Map<Platform, PlatformState>();
  private readonly politeness: Politeness;
  private readonly log: Logger | null;
  private readonly maxRedirects: number;
  private readonly retries: number;
  private readonly retryDelay: number;
  private readonly maxBodySize: number;
  private readonly jars: Partial<Record<Platform, CookieJar>>;
  private readonly sleep: Sleep;
  private closed = false;
  /** The requests in flight under each caller's signal, for one abort listener per signal. */
  private readonly aborts = new InFlightBySignal();
  private readonly jitter: number;
  private readonly random: () => number;
  private readonly clock: Clock;

  constructor(options: FetcherOptions) {
    this.log = options.logger ? options.logger.child({ module: 'http' }) : null;
    this.maxRedirects = options.maxRedirects ?? 10;
    this.retries = Math.max(0, options.retries ?? 1);
    this.retryDelay = options.retryDelay ?? 200;
    this.maxBodySize = options.maxBodySize ?? DEFAULT_MAX_BODY;
    this.jars = options.jars ?? {};
    this.sleep = options.sleep ?? defaultSleep;
    this.politeness = options.politeness ?? new LocalPoliteness(this.sleep);
    this.jitter = Math.max(0, options.jitter ?? 0.25);
    this.random = options.random ?? Math.random;
    this.clock = options.clock ?? systemClock;
    for (const [platform, config] of Object.entries(options.platforms) as [
      Platform,
      FetcherPlatformConfig,
    ][]) {
      this.platforms.set(platform, {
        config,
        bases: parseBases(platform, config.hosts),
        direct: null,
        proxies: config.proxies.map(() => null),
        nextProxy: 0,
        authorities: new Map(),
      });
    }
  }

  /**
   * Fetches one request, following redirects unless told not to. Rejects only with a
   * {@link PolitenessUnavailableError}.
   */
  async fetch(request: HttpRequest): Promise<FetchResult> {
    try {
      return await this.run(request);
    } catch (err) {
      if (err instanceof PolitenessUnavailableError) throw err;
      if (err instanceof SendFailure) return this.failure(request, err.error, err.hop);
      return this.failure(request, err, null);
    }
  }

  /** Closes every agent; later fetches fail with `CLOSED`. */
  async close(): Promise<void> {
    this.closed = true;
    const agents: Dispatcher[] = [];
    for (const state of this.platforms.values()) {
      if (state.direct) agents.push(state.direct);
      for (const p of state.proxies) if (p) agents.push(p);
      state.direct = null;
      state.proxies.fill(null);
    }
    await Promise.all(agents.map((a) => a.close()));
  }

  private async run(request: HttpRequest): Promise<FetchResult> {
    const state = this.platforms.get(request.platform);
    if (!state) throw new DecidedFailure('UNKNOWN_PLATFORM', `no config for platform ${request.platform}`);
    const jar = this.jars[request.platform];
    const follow = request.followRedirects ?? true;

    let method: 'GET' | 'POST' = request.method ?? 'GET';
    let body = request.body;
    // Lower-cased as headersFor copies them; a redirect that drops some lower-cases them first.
    let ownHeaders: Readonly<Record<string, string>> = request.headers ?? NO_HEADERS;
    let hop = this.resolve(state, request.url);
    const firstHost = hop.realHost;
    const redirects: string[] = [];
    const setCookies: string[] = [];

    for (;;) {
      const sent = this.headersFor(state, hop, ownHeaders, jar);
      const res = await this.sendWithRetries(request, state, hop, method, sent, body);
      setCookies.push(...res.setCookies);
      if (jar) for (const line of res.setCookies) jar.setCookie(line, hop.realUrl);

      const location = res.headers.location;
      const next =
        follow &&
        REDIRECT_STATUSES.has(res.status) &&
        location !== undefined &&
        redirects.length < this.maxRedirects
          ? this.redirectTarget(state, hop, location)
          : null;
      if (!next) {
        // send() built these headers for this answer alone; only a Location is rewritten.
        const received =
          location === undefined
            ? res.headers
            : { ...res.headers, location: this.realLocation(state, hop, location) };
        const decoded = decodeContent(received, res.body, this.maxBodySize);
        const headers = decoded.ok ? decoded.headers : received;
        const response: HttpResponse = {
          ok: true,
          url: request.url,
          finalUrl: hop.realUrl,
          redirects,
          status: res.status,
          headers,
          setCookies,
          body: decoded.ok ? decoded.body : res.body,
          ...(decoded.ok ? {} : { undecodable: decoded.reason }),
          // Kept for the evidence archive (WARC request records), in real hosts.
          request: { method, url: hop.realUrl, host: hop.host, headers: sent },
          sentAt: res.sentAt,
          receivedAt: this.clock.now(),
        };
        return response;
      }

      // Browsers turn 303, and 301/302 after POST, into a body-less GET.
      if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
        method = 'GET';
        body = undefined;
        const { 'content-type': _ct, 'content-length': _cl, ...rest } = lowerCaseKeys(ownHeaders);
        ownHeaders = rest;
      }
      // The caller's credentials were meant for the first host only.
      if (next.realHost !== firstHost) {
        const { cookie: _c, authorization: _a, ...rest } = lowerCaseKeys(ownHeaders);
        ownHeaders = rest;
      }
      redirects.push(next.realUrl);
      hop = next;
    }
  }

  private headersFor(
    state: PlatformState,
    hop: Hop,
    own: Readonly<Record<string, string>>,
    jar: CookieJar | undefined,
  ): Record<string, string> {
    // The adapters write names lower-case already; copying those as they are costs half as much.
    // (Object.assign: V8 copies a literal's properties far faster with it than with a spread.)
    const headers: Record<string, string> = lowerCaseNames(own)
      ? Object.assign({}, own)
      : lowerCaseKeys(own);
    if (state.config.userAgent) headers['user-agent'] = state.config.userAgent;
    // A browser always offers these, and a client that does not stands out; every one is decoded.
    if (headers['accept-encoding'] === undefined) headers['accept-encoding'] = ACCEPT_ENCODING;
    // undici sends the base's Host; a copied real Host would misroute the mirror.
    // Deleting only what is there: V8 takes a delete's slow path even for a name that is absent.
    if (hop.base && headers.host !== undefined) delete headers.host;
    if (jar) {
      const ownCookie = headers.cookie;
      if (ownCookie === undefined) {
        // The common case (the session's cookies, none of the caller's): the jar's header as it stands.
        const fromJar = jar.header(hop.realUrl);
        if (fromJar !== '') headers.cookie = fromJar;
        return headers;
      }
      const fromJar = jar.cookiesFor(hop.realUrl);
      if (fromJar.length > 0) {
        const ownNames = new Set(
          (ownCookie ?? '')
            .split(';')
            .map((p) => p.split('=')[0]?.trim())
            .filter((n): n is string => !!n),
        );
        const merged = fromJar.filter((c) => !ownNames.has(c.name)).map((c) => `${c.name}=${c.value}`);
        if (ownCookie) merged.push(ownCookie);
        headers.cookie = merged.join('; ');
      }
    }
    return headers;
  }

  private async sendWithRetries(
    request: HttpRequest,
    state: PlatformState,
    hop: Hop,
    method: 'GET' | 'POST',
    headers: Record<string, string>,
    body: string | undefined,
  ): Promise<RawResponse> {
    const signal = request.signal;
    for (let attempt = 0; ; attempt++) {
      const interval = state.config.minInterval * (1 + this.jitter * this.random());
      // A free slot is taken without the promises of a wait; an aborted caller takes none.
      if (signal?.aborted) throw new DecidedFailure('ABORTED', 'aborted');
      if (!this.politeness.tryNow?.(hop.realHost, interval))
        await this.polite(hop.realHost, interval, signal);
      const started = performance.now();
      const sentAt = this.clock.now();
      try {
        const res = await this.send(state, hop, method, headers, body, signal, sentAt);
        // Built only when it is written: this runs once per request.
        if (this.log?.isLevelEnabled('debug'))
          this.log.debug(
            {
              platform: request.platform,
              method,
              url: hop.realUrl,
              // A remapped host (a simulator, a mirror) is named, so the log never passes it off as the real site.
              ...sentTo(hop),
              status: res.status,
              ms: Math.round(performance.now() - started),
              // Names only: cookie values are credentials.
              setCookies: res.setCookies.map(cookieName),
            },
            'http response',
          );
        return res;
      } catch (err) {
        const code = errorCode(err, signal);
        if (attempt >= this.retries || !RETRYABLE_CODES.has(code)) throw new SendFailure(err, hop);
        const wait = this.retryDelay * 2 ** attempt;
        // A retry that then succeeds is no problem to report; only the exhausted one is (see failure()).
        this.log?.debug(
          {
            platform: request.platform,
            url: hop.realUrl,
            ...sentTo(hop),
            code,
            attempt: attempt + 1,
            wait,
          },
          'http retry',
        );
        try {
          await this.sleep(wait, signal);
        } catch {
          throw new DecidedFailure('ABORTED', 'aborted');
        }
      }
    }
  }

  private send(
    state: PlatformState,
    hop: Hop,
    method: 'GET' | 'POST',
    headers: Record<string, string>,
    body: string | undefined,
    signal: AbortSignal | undefined,
    sentAt: number,
  ): Promise<RawResponse> {
    if (this.closed) return Promise.reject(new DecidedFailure('CLOSED', 'fetcher is closed'));
    const timeout = state.config.timeout;
    const dispatcher = this.dispatcher(state);
    return new Promise<RawResponse>((resolve, reject) => {
      const done = signal ? (r: ResponseReader): void => this.aborts.remove(signal, r) : noop;
      const reader = new ResponseReader(sentAt, this.maxBodySize, tooLarge, resolve, reject, done);
      if (signal && !this.aborts.add(signal, reader)) {
        reject(new DecidedFailure('ABORTED', 'aborted'));
        return;
      }
      dispatcher.dispatch(
        {
          origin: hop.origin,
          path: hop.path,
          method,
          headers,
          body: body ?? null,
          headersTimeout: timeout,
          bodyTimeout: timeout,
        },
        reader,
      );
    });
  }

  private dispatcher(state: PlatformState): Dispatcher {
    const { proxies, timeout } = state.config;
    if (proxies.length > 0) {
      const i = state.nextProxy % proxies.length;
      state.nextProxy = i + 1;
      let agent = state.proxies[i];
      if (!agent) {
        agent = new ProxyAgent({ uri: proxies[i] ?? '', connect: { timeout } });
        state.proxies[i] = agent;
      }
      return agent;
    }
    if (!state.direct) state.direct = new Agent({ keepAliveTimeout: 10_000, connect: { timeout } });
    return state.direct;
  }

  /** Waits for the host's politeness slot; an abort while waiting is an aborted request. */
  private async polite(host: string, interval: number, signal: AbortSignal | undefined): Promise<void> {
    try {
      await this.politeness.wait(host, interval, signal);
    } catch (err) {
      if (err instanceof PolitenessUnavailableError && !signal?.aborted) throw err;
      throw new DecidedFailure('ABORTED', 'aborted');
    }
  }

  /** Maps a real URL to where it is sent, keeping its path and query byte for byte. */
  private resolve(state: PlatformState, realUrl: string): Hop {
    // A URL's scheme, host and port are a function of the text before its path, query or
    // fragment (none of which can make a parse fail), so that part is parsed once: every check
    // asks for the same few hosts, and a WHATWG parse costs more than the rest of this.
    // One match gives both the authority and the path and query after it.
    const m = AUTHORITY_AND_PATH.exec(realUrl);
    const key = m?.[1];
    let a = key === undefined ? undefined : state.authorities.get(key);
    if (!a) {
      a = parseAuthority(state, realUrl);
      if (key !== undefined) {
        if (state.authorities.size >= MAX_AUTHORITIES) state.authorities.clear();
        state.authorities.set(key, a);
      }
    }
    const { realHost, host, base } = a;
    const raw = m ? wirePath(m[2]!) : rawPathAndQuery(realUrl);
    if (base) return { realUrl, realHost, host, origin: base.origin, path: base.prefix + raw, base };
    return { realUrl, realHost, host, origin: a.origin, path: raw, base: null };
  }

  /** The next hop for a Location, or null when it must not be followed. */
  private redirectTarget(state: PlatformState, hop: Hop, location: string): Hop | null {
    const real = this.realLocation(state, hop, location);
    let parsed: URL;
    try {
      parsed = new URL(real, hop.realUrl);
    } catch {
      return null;
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
    const host = parsed.hostname.toLowerCase();
    const remapped = state.bases.has(parsed.host.toLowerCase()) || state.bases.has(host);
    // Unknown hosts are not followed: a login wall elsewhere is data for the parser, and following
    // it from a remapped run would leave the mirror for the real network.
    if (!remapped && (hop.base !== null || host !== hop.realHost)) return null;
    return this.resolve(state, parsed.href);
  }

  /** A Location pointing at a base (the mirror's own address) rewritten to the real host it serves. */
  private realLocation(state: PlatformState, hop: Hop, location: string): string {
    if (!/^https?:\/\//i.test(location)) return location;
    let parsed: URL;
    try {
      parsed = new URL(location);
    } catch {
      return location;
    }
    const candidates: [string, Base][] = hop.base ? [[hop.realHost, hop.base]] : [];
    candidates.push(...state.bases.entries());
    for (const [realHost, base] of candidates) {
      if (parsed.origin !== base.origin) continue;
      const path = rawPathAndQuery(location);
      if (
        base.prefix &&
        path !== base.prefix &&
        !path.startsWith(`${base.prefix}/`) &&
        !path.startsWith(`${base.prefix}?`)
      ) {
        continue;
      }
      const rest = path.slice(base.prefix.length);
      const protocol = new URL(hop.realUrl).protocol;
      return `${protocol}//${realHost}${rest.startsWith('/') ? rest : `/${rest}`}`;
    }
    return location;
  }

  /** The failure a fetch comes back as; `hop` is the request that failed, when one was sent. */
  private failure(request: HttpRequest, err: unknown, hop: Hop | null): TransportFailure {
    const code = errorCode(err, request.signal);
    // Where the failed request went, as the response lines say it: a refused simulator is not Weibo refusing.
    const where = hop ? sentTo(hop) : {};
    if (code === 'ABORTED') {
      // The caller stopped waiting (a run's end, a cancelled job): nothing went wrong with the host.
      this.log?.debug(
        { platform: request.platform, url: request.url, ...where, code },
        'http request aborted',
      );
      return { ok: false, url: request.url, code, message: 'request aborted', failedAt: this.clock.now() };
    }
    const message = err instanceof Error ? err.message : String(err);
    // A refused or reset connection is the network's state, not a fault of ours: one line with the
    // error's own words (which name the address actually dialled), the stack only at debug.
    this.log?.debug(
      { platform: request.platform, url: request.url, ...where, code, err },
      'http transport failure detail',
    );
    this.log?.warn(
      { platform: request.platform, url: request.url, ...where, code, error: message },
      'http transport failure',
    );
    return { ok: false, url: request.url, code, message, failedAt: this.clock.now() };
  }
}

/** The log field naming where a remapped hop was really sent (a simulator, a mirror); none for a real host. */
function sentTo(hop: Hop): { sentTo?: string } {
  return hop.base ? { sentTo: `${hop.base.origin}${hop.base.prefix}` } : {};
}

/** A URL's scheme and authority as written (everything before its path, query or fragment), then its path and query. */
const AUTHORITY_AND_PATH = /^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*)([^#]*)/;

/** The real host of a URL and the base it is remapped to, from a full WHATWG parse. */
function parseAuthority(state: PlatformState, realUrl: string): Authority {
  let parsed: URL;
  try {
    parsed = new URL(realUrl);
  } catch {
    throw new DecidedFailure('INVALID_URL', `invalid URL: ${realUrl}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new DecidedFailure('UNSUPPORTED_PROTOCOL', `unsupported protocol ${parsed.protocol}`);
  }
  const realHost = parsed.hostname.toLowerCase();
  const base = state.bases.get(parsed.host.toLowerCase()) ?? state.bases.get(realHost) ?? null;
  return { realHost, host: parsed.host, origin: parsed.origin, base };
}

function parseBases(platform: string, hosts: Readonly<Record<string, string>>): Map<string, Base> {
  const bases = new Map<string, Base>();
  for (const [host, baseUrl] of Object.entries(hosts)) {
    let u: URL;
    try {
      u = new URL(baseUrl);
    } catch {
      // The config loader checks these already; a fetcher built by hand gets the same kind of error.
      throw new ConfigError([
        {
          path: `platforms.${platform}.hosts.${host}`,
          message: `invalid base URL ${JSON.stringify(baseUrl)}`,
        },
      ]);
    }
    bases.set(host.toLowerCase(), { origin: u.origin, prefix: u.pathname.replace(/\/+$/, '') });
  }
  return bases;
}

/**
 * Path and query of a URL exactly as written (no WHATWG normalization, `%3D` stays `%3D`), with
 * only the characters HTTP cannot carry (spaces, controls, non-ASCII) percent-encoded as UTF-8.
 */
export function rawPathAndQuery(url: string): string {
  return wirePath(AUTHORITY_AND_PATH.exec(url)?.[2] ?? '/');
}

/** A URL's path and query as written, made what the wire can carry; see {@link rawPathAndQuery}. */
function wirePath(pathAndQuery: string): string {
  let rest = pathAndQuery;
  if (!rest.startsWith('/')) rest = `/${rest}`;
  if (/^[\x21-\x7e]*$/.test(rest)) return rest;
  let out = '';
  for (const ch of rest) {
    const c = ch.codePointAt(0) ?? 0;
    if (c >= 0x21 && c <= 0x7e) out += ch;
    else for (const b of Buffer.from(ch, 'utf8')) out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Whether every header name is lower-case already. */
function lowerCaseNames(headers: Readonly<Record<string, string>>): boolean {
  for (const k of Object.keys(headers)) if (k !== k.toLowerCase()) return false;
  return true;
}

function lowerCaseKeys(headers: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers) for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = v;
  return out;
}

function cookieName(line: string): string {
  const eq = line.indexOf('=');
  return (eq < 0 ? line : line.slice(0, eq)).trim();
}

function errorCode(err: unknown, signal: AbortSignal | undefined): string {
  if (signal?.aborted) return 'ABORTED';
  if (err instanceof DecidedFailure) return err.code;
  if (typeof err === 'object' && err !== null) {
    const { code, name } = err as { code?: unknown; name?: unknown };
    if (typeof code === 'string' && code) return code;
    if (typeof name === 'string' && name) return name;
  }
  return 'UNKNOWN';
}

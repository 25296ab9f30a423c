/**
 * What a NetEase response's status, redirects and envelope say before any page is read: the CDN's
 * rejection, throttling, server errors, and the one HTTP statement of absence (404/410 from the
 * target's own host). Shared by the article, listing, comment and thread parsers.
 */
import type { Outcome } from '../../domain/glossary';
import type { HttpResponse } from '../../http/types';
import { decodeBody } from './charset';
import { NETEASE_APEX, NETEASE_PORTAL_HOSTS } from './hosts';

/** A parsed answer, or the outcome that explains why there is none. */
export type NeteaseParsed<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly outcome: Exclude<Outcome, 'alive'>; readonly message: string };

/** The CDN's answer to odd clients: request rejected or misrouted, never a removal (research §4.1). */
const ERROR_ISP = /\/special\/0077jt\/error_isp\.html/i;

/** Every URL a response passed through, including an unfollowed redirect's Location. */
function hops(res: HttpResponse): string[] {
  return [...res.redirects, res.finalUrl, res.headers['location'] ?? ''];
}

/** True when the response went through the CDN's `error_isp.html` rejection. */
export function viaErrorIsp(res: HttpResponse): boolean {
  return hops(res).some((u) => ERROR_ISP.test(u));
}

/** Where a response leads: the followed final URL, or an unfollowed redirect's Location. */
export function destination(res: HttpResponse): string {
  const loc = res.headers['location'];
  if (res.status >= 300 && res.status < 400 && loc) {
    try {
      return new URL(loc, res.finalUrl).toString();
    } catch {
      return loc;
    }
  }
  return res.finalUrl;
}

/** True when `url` is on 163.com or one of its subdomains. */
export function isNeteaseUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname.toLowerCase();
    return host === '163.com' || host.endsWith('.163.com');
  } catch {
    return false;
  }
}

/** Where a portal home or channel page can be: the news hosts and the bare domain. */
const PORTAL_HOSTS: ReadonlySet<string> = new Set([NETEASE_APEX, ...NETEASE_PORTAL_HOSTS]);

/**
 * Path segments that name a wall, a tool or the app's download page, not a channel: a redirect
 * there is blocking, a search or an interstitial, never a removal.
 */
const NOT_A_CHANNEL =
  /^(?:search|captcha|verify|verification|validate|check|challenge|login|logout|signin|signup|register|reg|passport|sso|auth|oauth|account|user|security|safe|risk|robot|antispam|anti|blocked|forbidden|deny|denied|limit|special|error|sorry|help|api|newsapp|app|apps|download|downloads|client|maintenance|maintain|upgrade)$/i;

/** The path of a portal's not-found page: `/404`, `/404.html`, `/news/404.html`. */
const NOT_FOUND_PATH = /^\/(?:[\w-]+\/)?404(?:\.html?)?\/?$/i;

/** True for a portal host's not-found page (`www.163.com/404.html`, `news.163.com/404`). */
export function isNotFoundPageUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return PORTAL_HOSTS.has(u.hostname.toLowerCase()) && NOT_FOUND_PATH.test(u.pathname);
  } catch {
    return false;
  }
}

/**
 * A 163.com portal home or channel page (`www.163.com/`, `news.163.com/`, `www.163.com/news/`,
 * `…/index.html`) or a `/404` page: where retired or removed pages are sent (research §4.2, §4.4).
 * Only the news hosts count, and a path that names a wall or a tool (`/search`, `/captcha`,
 * `/login`, …) is not a channel.
 */
export function isHomeOrChannelUrl(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (!PORTAL_HOSTS.has(u.hostname.toLowerCase())) return false;
  const p = u.pathname;
  if (NOT_FOUND_PATH.test(p)) return true;
  const m = /^\/(?:([\w-]+)\/?)?(?:index\.html?)?$/i.exec(p);
  return m !== null && (m[1] === undefined || !NOT_A_CHANNEL.test(m[1]));
}

/** A hop that is a wall or a tool, not a page that moved: a login, a captcha, a verification. */
const WALL_HOST = /^(?:reg|passport|dl|reg\.email|id|aq|safe|captcha|verify)\./i;
const WALL_PATH =
  /(?:^|\/)(?:login|logon|signin|passport|sso|captcha|verify|verification|validate|challenge|auth)(?:[./?_-]|$)/i;

/**
 * The first hop of a redirect chain (after the URL asked) that leaves 163.com or is a wall (a
 * login, a captcha, a verification page), or null: a chain through one ends wherever the wall
 * sends it, which says nothing about the article.
 */
export function wallOnTheWay(res: HttpResponse): string | null {
  for (const hop of [...res.redirects, res.finalUrl]) {
    if (hop === res.url) continue;
    if (!isNeteaseUrl(hop)) return hop;
    try {
      const u = new URL(hop);
      if (WALL_HOST.test(u.hostname) || WALL_PATH.test(u.pathname)) return hop;
    } catch {
      return hop;
    }
  }
  return null;
}

/**
 * What a status code alone says: 5xx a server error, 403/418/429/432 throttling, 404/410 absence.
 * The caller decides whether a 404/410 came from the target's own host.
 */
export function statusOutcome(
  status: number,
): { readonly outcome: Exclude<Outcome, 'alive'>; readonly message: string } | null {
  if (status >= 500) return { outcome: 'server_error', message: `HTTP ${status}` };
  if (status === 404 || status === 410) return { outcome: 'gone_unspecified', message: `HTTP ${status}` };
  if (status === 429 || status === 418 || status === 432 || status === 403) {
    return { outcome: 'rate_limited', message: `HTTP ${status}` };
  }
  return null;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function str(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}

export function num(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^-?\d+(?:\.\d+)?$/.test(v.trim())) {
    const n = Number(v);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

export function bool(v: unknown): boolean | null {
  if (typeof v === 'boolean') return v;
  if (v === 1 || v === '1' || v === 'true') return true;
  if (v === 0 || v === '0' || v === 'false') return false;
  return null;
}

/** Strips a JSONP wrapper such as `getData(…);` so JSONP and plain JSON parse alike. */
export function unwrapJsonp(text: string): string {
  const m = /^\s*[\w$.]+\s*\(([\s\S]*)\)\s*;?\s*$/.exec(text);
  return m?.[1] ?? text;
}

function sameHost(a: string, b: string): boolean {
  try {
    return new URL(a).hostname.toLowerCase() === new URL(b).hostname.toLowerCase();
  } catch {
    return false;
  }
}

/** Status, CDN and JSON checks shared by the JSON endpoints. */
export function parseJsonResponse(res: HttpResponse): NeteaseParsed<unknown> {
  if (viaErrorIsp(res)) return { ok: false, outcome: 'server_error', message: 'CDN error_isp redirect' };
  const byStatus = statusOutcome(res.status);
  // A 404/410 speaks for the thread only from the host it was asked of, not from a page redirected to.
  if (byStatus?.outcome === 'gone_unspecified' && !sameHost(res.url, res.finalUrl))
    return { ok: false, outcome: 'unparseable', message: `${byStatus.message} at ${res.finalUrl}` };
  if (byStatus) return { ok: false, ...byStatus };
  if (res.status < 200 || res.status >= 300)
    return { ok: false, outcome: 'unparseable', message: `HTTP ${res.status}` };
  const { text } = decodeBody(res.body, res.headers['content-type']);
  let json: unknown;
  try {
    json = JSON.parse(unwrapJsonp(text));
  } catch {
    return { ok: false, outcome: 'unparseable', message: 'response is not JSON' };
  }
  return { ok: true, value: json };
}

/** A NetEase `{code, message}` error object (e.g. 42212 "Illegal pagination parameters"), as a message. */
export function apiError(json: Record<string, unknown>, expectedKey: string): string | null {
  if (expectedKey in json) return null;
  const code = str(json['code']);
  const msg = str(json['message']) ?? str(json['msg']);
  return code != null || msg != null ? `NetEase error ${code ?? '?'}: ${msg ?? ''}`.trim() : null;
}

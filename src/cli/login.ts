import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { parse as parseYaml } from 'yaml';
import { qrLogin } from '../browser/login';
import { realCookieLines, remapUrl } from '../browser/remap';
import { ConfigError } from '../errors';
import type { Config } from '../config/types';
import type { Clock } from '../domain/clock';
import { CookieJar } from '../http/cookie-jar';
import { Fetcher } from '../http/fetcher';
import { DEFAULT_WEIBO_USER_AGENT } from '../platforms/weibo/adapter';
import { API_CONFIG_URL, M_WEIBO_HOME, WeiboSession, type LoginCheck } from '../platforms/weibo/session';

/** Weibo's QR sign-in page (MediaCrawler `login.py`). */
export const WEIBO_SIGNIN_URL = 'https://passport.weibo.com/sso/signin?entry=miniblog&source=miniblog';

/** Cookies that carry a Weibo login, taken from weibo.com when m.weibo.cn did not get its own. */
const LOGIN_NAMES = ['SUB', 'SUBP', 'SSOLoginState'];

/** Options of {@link loginWeibo}. */
export interface LoginWeiboOptions {
  readonly config: Config;
  readonly logger: Logger;
  /** Where the person is told what to do (stderr). */
  readonly err: NodeJS.WritableStream;
  /** How long to wait for the QR code to be scanned (ms). @defaultValue 600000 */
  readonly timeout?: number;
  /** Overrides `browser.headless`. */
  readonly headless?: boolean;
  /** Headless: where the QR code PNG goes. @defaultValue `weibo-login-qr.png` beside the cookie file */
  readonly qrPath?: string;
  /** How often the browser's cookies are looked at (ms). @defaultValue 1000 */
  readonly pollEvery?: number;
  readonly signal?: AbortSignal;
}

/** What a login saved. */
export interface LoginWeiboResult {
  readonly file: string;
  /** Names of the saved cookies (never their values). */
  readonly cookies: readonly string[];
  /** The QR code PNG, when headless. */
  readonly qrPath: string | null;
}

/** The configured cookie file, or a ConfigError naming `platforms.weibo.cookieFile`. */
function cookieFileOf(config: Config): string {
  const file = config.platforms.weibo.cookieFile;
  if (file) return file;
  throw new ConfigError(
    [
      {
        path: 'platforms.weibo.cookieFile',
        message: 'not set: name the file the Weibo session is saved to (e.g. secrets/weibo.cookie)',
      },
    ],
    config.source,
  );
}

/**
 * The cookie string to save from a jar of real-host cookies: what m.weibo.cn would be sent, plus
 * the login cookies of weibo.com it lacks. One value per name.
 */
export function sessionCookieString(jar: CookieJar): string {
  const pairs = new Map<string, string>();
  for (const c of jar.cookiesFor(M_WEIBO_HOME)) if (!pairs.has(c.name)) pairs.set(c.name, c.value);
  for (const c of jar.cookiesFor('https://weibo.com/')) {
    if (LOGIN_NAMES.includes(c.name) && !pairs.has(c.name)) pairs.set(c.name, c.value);
  }
  return [...pairs].map(([k, v]) => `${k}=${v}`).join('; ');
}

/** Writes a cookie file readable by its owner only (mode 0600), replacing any old one whole. */
export function writeCookieFile(file: string, cookie: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${cookie}\n`, { mode: 0o600 });
  renameSync(tmp, file);
  // An old file keeps its mode through the rename's target; set it whatever it was.
  chmodSync(file, 0o600);
}

/**
 * Makes sure the `platforms.weibo.cookieFile` named in a config file exists (empty, mode 0600),
 * so the config loads before the first login has written it. Returns the file, or null when the
 * config names none or cannot be read (loading it then reports the problem).
 */
export function prepareCookieFile(configFile: string, cwd: string = process.cwd()): string | null {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(configFile, 'utf8'));
  } catch {
    return null;
  }
  const weibo = (raw as { platforms?: { weibo?: { cookieFile?: unknown } } } | null)?.platforms?.weibo;
  const name = weibo?.cookieFile;
  if (typeof name !== 'string' || name.trim() === '') return null;
  const file = resolve(cwd, name);
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, '', { mode: 0o600, flag: 'wx' });
  }
  return file;
}

/**
 * `censorwatch login weibo`: the QR login in Chromium (through the host remap), then the session's
 * cookies saved as a cookie string to `platforms.weibo.cookieFile`, mode 0600. Headless, the QR
 * code is saved as a PNG and its path printed.
 *
 * @throws ConfigError naming `platforms.weibo.cookieFile` when none is configured
 * @throws LoginTimeoutError when the code is not scanned in time
 */
export async function loginWeibo(o: LoginWeiboOptions): Promise<LoginWeiboResult> {
  const { config } = o;
  const file = cookieFileOf(config);
  const hosts = config.platforms.weibo.hosts;
  const headless = o.headless ?? config.browser.headless;
  const qrPath = headless ? (o.qrPath ?? join(dirname(file), 'weibo-login-qr.png')) : null;
  if (!headless) o.err.write('Scan the QR code in the Chromium window with the Weibo app.\n');
  const cookies = await qrLogin({
    executablePath: config.browser.executablePath,
    headless,
    signinUrl: remapUrl(WEIBO_SIGNIN_URL, hosts),
    mobileUrl: remapUrl(M_WEIBO_HOME, hosts),
    ...(o.timeout !== undefined ? { timeout: o.timeout } : {}),
    ...(o.pollEvery !== undefined ? { pollEvery: o.pollEvery } : {}),
    qrPath,
    onQrSaved: (p) =>
      o.err.write(`QR code saved to ${p}\nScan it with the Weibo app and confirm the login on the phone.\n`),
    ...(o.signal ? { signal: o.signal } : {}),
  });
  const jar = new CookieJar();
  for (const { line, url } of realCookieLines(cookies, hosts, [
    'm.weibo.cn',
    'passport.weibo.com',
    'weibo.com',
  ])) {
    jar.setCookie(line, url);
  }
  const cookie = sessionCookieString(jar);
  const names = cookie === '' ? [] : cookie.split('; ').map((p) => p.slice(0, p.indexOf('=')));
  if (!names.includes('SUB')) throw new Error('the login finished without a SUB cookie; nothing was saved');
  writeCookieFile(file, cookie);
  o.logger.info({ file, cookies: names }, 'weibo session saved');
  o.err.write(`Saved the Weibo session (${names.join(', ')}) to ${file}\n`);
  return { file, cookies: names, qrPath };
}

/** Whether the configured Weibo cookie is a working login, as m.weibo.cn's `api/config` says. */
export async function checkWeiboLogin(config: Config, clock: Clock, logger: Logger): Promise<LoginCheck> {
  const jar = new CookieJar({ clock });
  const http = new Fetcher({ platforms: config.platforms, jars: { weibo: jar }, logger });
  try {
    const session = new WeiboSession({
      http,
      jar,
      clock,
      cookie: config.platforms.weibo.cookie,
      hosts: config.platforms.weibo.hosts,
      userAgent: config.platforms.weibo.userAgent ?? DEFAULT_WEIBO_USER_AGENT,
    });
    return await session.checkLogin();
  } finally {
    await http.close();
  }
}

/**
 * One line for a {@link LoginCheck}, e.g. `weibo session: logged in (uid 5600000001)`. A check that
 * could not reach the host names it (and where the remap sent it) with what failed.
 */
export function renderLoginCheck(
  c: LoginCheck,
  cookieConfigured: boolean,
  hosts: Readonly<Record<string, string>> = {},
): string {
  switch (c.state) {
    case 'logged_in':
      return `weibo session: logged in${c.uid ? ` (uid ${c.uid})` : ''}`;
    case 'not_logged_in':
      return `weibo session: not logged in (${cookieConfigured ? 'the saved cookie no longer works: run `censorwatch login weibo`' : 'no cookie configured; visitor cookies only'})`;
    case 'network_error': {
      const host = new URL(API_CONFIG_URL).host;
      const sent = remapUrl(API_CONFIG_URL, hosts);
      const via = sent === API_CONFIG_URL ? '' : ` (sent to ${new URL(sent).origin})`;
      return `weibo session: not checked, ${host}${via} unreachable: ${c.detail}`;
    }
    default:
      return `weibo session: unknown, ${c.state} (${c.detail})`;
  }
}

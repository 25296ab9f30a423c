import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../../domain/clock';
import { NeteaseSim, type NeteaseFaultKind } from '../netease/server';
import { send } from '../respond';
import type { CommentTruthRow, GroundTruthRow } from '../truth';
import type { FaultKind } from '../weibo/faults';
import type { Hold } from './held-clock';
import { badGatewayPage } from '../weibo/pages';
import { WeiboSim, type WeiboEndpoint } from '../weibo/server';
import type { SimSessionMode, SimWeiboSession } from '../weibo/session';
import { createRng, type Rng, type Scenario } from '../world';
import { simulatorConfigYaml } from './config-yaml';
import { serveControl } from './control';

/** The logging the simulator does; a pino logger fits. */
export interface SimLogger {
  info(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

/** Options of {@link Simulator}. */
export interface SimulatorOptions {
  /** Time source; every answer is computed for `clock.now()`. */
  readonly clock: Clock;
  readonly scenario: Scenario;
  /** Probability (0..1) that a request is answered with an injected fault instead. @defaultValue 0 */
  readonly faultRate?: number;
  /** Seed of the fault PRNG. @defaultValue 1 */
  readonly seed?: number;
  readonly logger?: SimLogger;
  /** Weibo cookie walls, visitor-system failures and login redirects; all off by default. */
  readonly session?: SimSessionMode;
}

/** Request and fault counts of one endpoint. */
export interface EndpointStats {
  requests: number;
  faults: number;
  faultKinds: Partial<Record<FaultKind | NeteaseFaultKind, number>>;
}

const HTML_TYPE = 'text/html; charset=utf-8';

/**
 * A local HTTP server that answers like m.weibo.cn (and the weibo.com / passport hosts mapped
 * onto it) and NetEase's hosts for a {@link Scenario} on an injected clock, with optional fault
 * injection and answer delays, and that keeps the ground truth of what it has shown. The platforms
 * are weibo/ and netease/; this host routes to them by path, injects faults, counts requests and
 * serves the `/__sim/*` control endpoints.
 */
export class Simulator {
  private readonly clock: Clock;
  /** The scenario being served. */
  readonly scenario: Scenario;
  private readonly faultRate: number;
  private readonly faultRng: Rng;
  private readonly logger: SimLogger | undefined;
  private readonly counters = new Map<string, EndpointStats>();
  private readonly weibo: WeiboSim;
  /** NetEase's hosts, answered on the same port and told apart by path. */
  private readonly netease: NeteaseSim;
  private server: http.Server | null = null;
  private base: string | null = null;
  /** Weibo's cookies and walls; {@link SimWeiboSession.set} changes them while serving. */
  readonly session: SimWeiboSession;
  /** Real milliseconds every platform answer waits before it is computed; see {@link setDelay}. */
  private delay = 0;
  /** Answers waiting out the delay, so `stop` can drop them. */
  private readonly delayed = new Set<NodeJS.Timeout>();

  constructor(options: SimulatorOptions) {
    this.clock = options.clock;
    this.scenario = options.scenario;
    this.faultRate = Math.min(1, Math.max(0, options.faultRate ?? 0));
    this.faultRng = createRng((options.seed ?? 1) ^ 0x5eed5eed);
    this.logger = options.logger;
    this.weibo = new WeiboSim({
      clock: this.clock,
      weibo: options.scenario.weibo,
      session: options.session,
      onOddity: (kind) => this.count(`oddity:${kind}`),
    });
    this.session = this.weibo.session;
    this.netease = new NeteaseSim({ clock: this.clock, netease: options.scenario.netease });
  }

  /** Base URL once started (e.g. `http://127.0.0.1:40123`), else null. */
  get url(): string | null {
    return this.base;
  }

  /** Starts listening; resolves to the base URL. Port 0 picks a free port. */
  async start(port = 0, host = '127.0.0.1'): Promise<string> {
    if (this.server) throw new Error('simulator already started');
    const server = http.createServer((req, res) => this.handle(req, res));
    server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    const addr = server.address() as AddressInfo;
    const shownHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
    this.base = `http://${shownHost}:${addr.port}`;
    this.logger?.info({ url: this.base, scenario: this.scenario.name }, 'weibo simulator listening');
    return this.base;
  }

  /**
   * Makes every platform answer (not `/__sim/*`) wait `ms` real milliseconds before it is computed
   * for the clock's time then, like a slow network or an overloaded site; 0 answers at once again.
   * Also `GET /__sim/delay?ms=N`.
   */
  setDelay(ms: number): void {
    this.delay = Math.max(0, Number.isFinite(ms) ? ms : 0);
  }

  /** The delay {@link setDelay} set, in ms. */
  get delayMs(): number {
    return this.delay;
  }

  /** Requests received and not yet answered because of the delay. */
  get waiting(): number {
    return this.delayed.size;
  }

  /** Stops listening and drops open keep-alive connections. */
  async stop(): Promise<void> {
    for (const t of this.delayed) clearTimeout(t);
    this.delayed.clear();
    const server = this.server;
    if (!server) return;
    this.server = null;
    this.base = null;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  /** Requests and faults per endpoint since construction. */
  stats(): Record<string, EndpointStats> {
    const out: Record<string, EndpointStats> = {};
    for (const [k, v] of this.counters)
      out[k] = { requests: v.requests, faults: v.faults, faultKinds: { ...v.faultKinds } };
    return out;
  }

  /**
   * The truth about every post the server has served alive, plus every original embedded in a
   * served repost, as of `at`. `gone` iff its fate or its account's ban/closure happened by `at`.
   * The cause is what an observer could learn: the stated cause for `message` fates and account
   * bans; for `ambiguous` fates the cause a served repost placeholder stated (state 7 / 8), else
   * `gone_unspecified`. Weibo rows first, then NetEase's.
   */
  groundTruth(at: number = this.clock.now()): GroundTruthRow[] {
    return [...this.weibo.groundTruth(at), ...this.netease.groundTruth(at)];
  }

  /**
   * The scenario's changes that wait until the crawler has seen what they change: edits until the
   * version before was served, removals until the last version was, search blocks' ends until a
   * search met them. Handed to a {@link HeldClock}, they keep a scenario played on real time to its
   * story however slow the crawler is; the simulator serves the same either way.
   */
  holds(): Hold[] {
    return [...this.weibo.holds(), ...this.netease.holds()];
  }

  /**
   * Comments an observer saw and that were deleted by `at` (Weibo and NetEase): each was served
   * alive at least once before its deletion.
   */
  commentTruth(at: number = this.clock.now()): CommentTruthRow[] {
    return [...this.weibo.commentTruth(at), ...this.netease.commentTruth(at)];
  }

  /**
   * A censorwatch YAML config pointing every Weibo and NetEase host at this server, with the
   * scenario's watches and timing. Needs the server started.
   */
  configYaml(database = 'data/censorwatch.db'): string {
    if (!this.base) throw new Error('simulator not started');
    return simulatorConfigYaml(this.scenario, this.base, database);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    req.resume();
    if (this.delay > 0 && !(req.url ?? '').startsWith('/__sim/')) {
      const t = setTimeout(() => {
        this.delayed.delete(t);
        this.answer(req, res);
      }, this.delay);
      this.delayed.add(t);
      return;
    }
    this.answer(req, res);
  }

  private answer(req: IncomingMessage, res: ServerResponse): void {
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
    const params = new URLSearchParams(q < 0 ? '' : rawUrl.slice(q + 1));
    const ne = this.netease.endpointOf(path);
    const control = ne === null && path.startsWith('/__sim/');
    const wb: WeiboEndpoint | null = ne === null && !control ? this.weibo.endpointOf(path, params) : null;
    const endpoint = ne ?? wb ?? 'sim';
    const stats = this.count(endpoint);
    if (
      !control &&
      (ne === null || this.netease.faultable(ne)) &&
      this.faultRate > 0 &&
      this.faultRng.next() < this.faultRate
    ) {
      const rng = this.faultRng;
      const random = (): number => rng.next();
      const kind = ne ? this.netease.pickFault(ne, random) : this.weibo.pickFault(random);
      stats.faults++;
      stats.faultKinds[kind] = (stats.faultKinds[kind] ?? 0) + 1;
      this.logger?.debug({ endpoint, kind, url: rawUrl }, 'injected fault');
      if (ne) this.netease.fault(kind as NeteaseFaultKind, req, res);
      else this.weibo.fault(kind as FaultKind, req, res, random);
      return;
    }
    try {
      if (ne) this.netease.serve(ne, path, params, res);
      else if (wb) this.weibo.serve(wb, path, params, req, res);
      else serveControl(this, path, params, this.clock.now(), res);
    } catch (err) {
      this.logger?.info({ err, url: rawUrl }, 'simulator failed to answer');
      if (!res.headersSent) send(res, 500, HTML_TYPE, badGatewayPage());
      else res.destroy();
    }
  }

  private count(endpoint: string): EndpointStats {
    let s = this.counters.get(endpoint);
    if (!s) this.counters.set(endpoint, (s = { requests: 0, faults: 0, faultKinds: {} }));
    s.requests++;
    return s;
  }
}

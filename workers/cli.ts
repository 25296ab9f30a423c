import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { Argument, Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { Logger } from 'pino';
import { ConfigError, loadConfig, requireWatch } from '../src/config';
import type { Config } from '../src/config/types';
import { systemClock } from '../src/domain/clock';
import { parseDuration } from '../src/domain/duration';
import { createRootLogger } from '../src/cli/logger';
import { runEmbedded } from '../src/cli/run';
import { parseListen } from '../src/cli/metrics-server';
import { runDemo } from '../src/cli/demo';
import { gatherStatus, renderStatus } from '../src/cli/status';
import { checkWeiboLogin, loginWeibo, prepareCookieFile, renderLoginCheck } from '../src/cli/login';
import { Store } from '../src/store/store';
import { Alerter } from '../src/alerts/alerter';
import { renderQueueStatus } from '../src/engine/distributed';
import {
  DEFAULT_TIMING,
  ROLE_NAMES,
  queueStatusFor,
  runDashboard,
  runDistributed,
  twoStageSignals,
  type DistributedTiming,
  type RoleName,
} from './distributed';
import { verifyStore } from '../src/store/verify';
import {
  buildReport,
  exportEvents,
  exportTargets,
  renderHtml,
  renderJson,
  renderMarkdown,
} from '../src/report';
import { buildScenario, SCENARIO_NAMES, Simulator } from '../src/sim';

const VERSION = '0.1.0';

function durationArg(value: string): number {
  const ms = parseDuration(value);
  if (ms === null) throw new InvalidArgumentError(`expected a duration like 30s, 10m, 2h or 7d`);
  return ms;
}

function timeArg(value: string): number {
  const t = Date.parse(value);
  if (Number.isNaN(t))
    throw new InvalidArgumentError(`expected an ISO 8601 time like 2023-04-27 or 2023-04-27T08:00:00Z`);
  return t;
}

function intArg(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number');
  return n;
}

function fractionArg(value: string): number {
  const n = Number(value);
  if (!(n >= 0 && n <= 1)) throw new InvalidArgumentError('expected a number from 0 to 1');
  return n;
}

/** Where a data command writes: --out FILE or stdout. */
function output(out: string | undefined): { stream: Writable; done: () => Promise<void> } {
  if (!out) return { stream: process.stdout, done: async () => {} };
  const stream = createWriteStream(out);
  return {
    stream,
    done: () =>
      new Promise<void>((resolve, reject) =>
        stream.end((err?: Error | null) => (err ? reject(err) : resolve())),
      ),
  };
}

/** A signal that aborts on the first SIGINT/SIGTERM; a second one exits at once. */
function shutdownSignal(logger: Logger): AbortSignal {
  const ac = new AbortController();
  const onSignal = (sig: string): void => {
    if (ac.signal.aborted) {
      logger.warn({ signal: sig }, 'second signal: exiting now');
      process.exit(130);
    }
    logger.info({ signal: sig }, 'stopping: finishing work in flight (send again to force)');
    ac.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return ac.signal;
}

/** Distributed timing flags shared by `run --redis` and `worker`. */
interface TimingOptions {
  tick?: number;
  lease?: number;
  drainTimeout?: number;
}

function buildTiming(o: TimingOptions): DistributedTiming {
  return {
    tickEvery: o.tick ?? DEFAULT_TIMING.tickEvery,
    leaseMs: o.lease ?? DEFAULT_TIMING.leaseMs,
    drainTimeout: o.drainTimeout ?? DEFAULT_TIMING.drainTimeout,
  };
}

function withStore<T>(config: Config, fn: (store: Store) => T): T {
  const store = Store.open(config.database);
  try {
    return fn(store);
  } finally {
    store.close();
  }
}

/** Options of the `sim` command. */
interface SimCommandOptions {
  port: number;
  scenario: string;
  faultRate: number;
  seed: number;
  requireCookies?: boolean;
  failVisitor?: boolean;
  requireLogin?: boolean;
}

function buildProgram(logger: Logger): Command {
  /** Runs distributed roles until the two-stage shutdown (or the duration) ends them. */
  const runRoles = async (
    config: Config,
    redisUrl: string,
    roles: RoleName[],
    timing: TimingOptions,
    duration: number | null,
    concurrency?: number,
  ): Promise<void> => {
    const signals = twoStageSignals(logger);
    try {
      const outcome = await runDistributed({
        config,
        logger,
        redisUrl,
        roles,
        timing: buildTiming(timing),
        duration,
        concurrency,
        signals,
      });
      if (outcome === 'forced') process.exitCode = 130;
    } finally {
      signals.dispose();
    }
  };

  const program = new Command('censorwatch')
    .description(
      'Watch Weibo and NetEase posts on chosen topics, re-check them on an age-adaptive schedule, tell author deletions from platform removals, keep the evidence, and report.',
    )
    .version(VERSION)
    .showHelpAfterError()
    .exitOverride();

  program
    .command('run')
    .description(
      'monitor the watches in a config until stopped or for --duration (embedded mode: one process, no services)',
    )
    .requiredOption('-c, --config <file>', 'watch config (YAML)')
    .option('-d, --duration <duration>', 'stop after this long, e.g. 30s, 10m, 2h', durationArg)
    .option(
      '--redis <url>',
      'distributed mode: all four roles in this process through BullMQ on this Redis (overrides queue.redis)',
    )
    .option('--tick <duration>', 'distributed: time between scheduler ticks', durationArg)
    .option('--lease <duration>', 'distributed: how long an enqueued item stays leased', durationArg)
    .option('--drain-timeout <duration>', 'distributed: first-signal drain deadline', durationArg)
    .option(
      '--metrics <[host:]port>',
      'embedded: serve Prometheus metrics at /metrics (127.0.0.1 unless a host is given)',
    )
    .option(
      '--metrics-token <token>',
      'bearer token /metrics requires; needed to bind other than loopback (or CENSORWATCH_METRICS_TOKEN)',
    )
    .action(
      async (
        opts: {
          config: string;
          duration?: number;
          redis?: string;
          metrics?: string;
          metricsToken?: string;
        } & TimingOptions,
      ) => {
        const config = loadConfig(opts.config);
        const redisUrl = opts.redis ?? config.queue.redis;
        if (redisUrl) {
          if (opts.metrics)
            throw new ConfigError([{ path: '--metrics', message: 'is available in embedded mode only' }]);
          await runRoles(config, redisUrl, [...ROLE_NAMES], opts, opts.duration ?? null);
          return;
        }
        const metrics = opts.metrics
          ? {
              ...parseListen(opts.metrics),
              token: opts.metricsToken ?? (process.env.CENSORWATCH_METRICS_TOKEN || null),
            }
          : undefined;
        await runEmbedded({
          config,
          duration: opts.duration ?? null,
          logger,
          signal: shutdownSignal(logger),
          metrics,
        });
      },
    );

  program
    .command('worker')
    .description(
      'run one distributed role against queue.redis (or --redis): scheduler, recorder and alerter on the machine with the database, fetchers anywhere',
    )
    .requiredOption('-c, --config <file>', 'watch config (YAML)')
    .addOption(
      new Option('-r, --role <role>', 'the role to run').choices([...ROLE_NAMES]).makeOptionMandatory(),
    )
    .option('--redis <url>', 'Redis URL (overrides queue.redis)')
    .option('--concurrency <n>', 'fetcher: checks in flight at once (default: config concurrency)', intArg)
    .option('--tick <duration>', 'scheduler: time between ticks (default 1s)', durationArg)
    .option(
      '--lease <duration>',
      "how long an enqueued item stays leased; a dead fetcher's job moves on within this, at most 30s (default 10m)",
      durationArg,
    )
    .option(
      '--drain-timeout <duration>',
      'first-signal drain deadline before jobs are aborted (default 30s)',
      durationArg,
    )
    .option('-d, --duration <duration>', 'stop (drain) after this long', durationArg)
    .action(
      async (
        opts: {
          config: string;
          role: RoleName;
          redis?: string;
          concurrency?: number;
          duration?: number;
        } & TimingOptions,
      ) => {
        const config = loadConfig(opts.config);
        const redisUrl = opts.redis ?? config.queue.redis;
        if (!redisUrl)
          throw new ConfigError(
            [{ path: 'queue.redis', message: 'a worker needs Redis: set queue.redis or pass --redis URL' }],
            config.source,
          );
        await runRoles(config, redisUrl, [opts.role], opts, opts.duration ?? null, opts.concurrency);
      },
    );

  program
    .command('demo')
    .description(
      'start the simulator, run the whole pipeline on a simulated clock, print a report and compare it with the ground truth; no network, no services',
    )
    .addOption(
      new Option('--scenario <name>', 'simulator scenario').choices([...SCENARIO_NAMES]).default('un-vote'),
    )
    .option('--days <n>', 'simulated days to run', intArg, 7)
    .option(
      '--fault-rate <p>',
      'share of requests answered with rate limits, captchas, resets and error pages',
      fractionArg,
      0.1,
    )
    .option('--seed <n>', 'scenario and fault seed', intArg, 2023)
    .option('--db <file>', 'keep the database in this file (a temporary file otherwise)')
    .action(
      async (opts: { scenario: string; days: number; faultRate: number; seed: number; db?: string }) => {
        const cmp = await runDemo({
          scenario: opts.scenario,
          days: opts.days,
          faultRate: opts.faultRate,
          seed: opts.seed,
          database: opts.db ?? null,
          logger,
          out: process.stdout,
        });
        if (!cmp.equal) process.exitCode = 1;
      },
    );

  program
    .command('sim')
    .description('serve the simulated Weibo and NetEase alone on the real clock, to try `run` against it')
    .option('-p, --port <n>', 'port on 127.0.0.1', intArg, 8081)
    .addOption(
      new Option('--scenario <name>', 'simulator scenario').choices([...SCENARIO_NAMES]).default('quick'),
    )
    .option('--fault-rate <p>', 'share of requests answered with transient failures', fractionArg, 0)
    .option('--seed <n>', 'scenario and fault seed', intArg, 2023)
    .option('--require-cookies', 'Weibo: cookieless API requests redirect to the visitor system')
    .option('--fail-visitor', 'Weibo: genvisitor2 fails, so only a browser gets visitor cookies')
    .option('--require-login', 'Weibo: API requests without a logged-in session redirect to login')
    .action(async (opts: SimCommandOptions) => {
      const scenario = buildScenario(opts.scenario, { start: systemClock.now(), seed: opts.seed });
      const sim = new Simulator({
        clock: systemClock,
        scenario,
        faultRate: opts.faultRate,
        seed: opts.seed,
        logger: logger.child({ module: 'sim' }),
        session: {
          requireCookies: opts.requireCookies ?? false,
          failVisitor: opts.failVisitor ?? false,
          requireLogin: opts.requireLogin ?? false,
        },
      });
      const base = await sim.start(opts.port);
      process.stderr.write(
        `simulator (${opts.scenario}) at ${base}\n` +
          `  a config for it:   curl '${base}/__sim/config?db=data/sim.db' > sim.yaml\n` +
          `  its ground truth:  curl ${base}/__sim/truth\n`,
      );
      const signal = shutdownSignal(logger);
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      await sim.stop();
    });

  program
    .command('dashboard')
    .description(
      'serve Bull Board for the distributed queues (127.0.0.1 by default; another address needs --token)',
    )
    .requiredOption('-c, --config <file>', 'watch config (YAML)')
    .option('--redis <url>', 'Redis URL (overrides queue.redis)')
    .option('--listen <[host:]port>', 'where to listen', '127.0.0.1:3030')
    .option('--token <token>', 'bearer token required off loopback (or CENSORWATCH_DASHBOARD_TOKEN)')
    .action(async (opts: { config: string; redis?: string; listen: string; token?: string }) => {
      const config = loadConfig(opts.config);
      const redisUrl = opts.redis ?? config.queue.redis;
      if (!redisUrl)
        throw new ConfigError([
          { path: 'queue.redis', message: 'the dashboard needs Redis (queue.redis or --redis)' },
        ]);
      const listen = {
        ...parseListen(opts.listen, '--listen'),
        token: opts.token ?? (process.env.CENSORWATCH_DASHBOARD_TOKEN || null),
      };
      await runDashboard(config, redisUrl, listen, logger, shutdownSignal(logger));
    });

  program
    .command('status')
    .description('watches, targets by verdict, keyword states, work due, failing hosts')
    .requiredOption('-c, --config <file>', 'watch config (YAML)')
    .option('--json', 'print as JSON')
    .option('--no-session', 'skip the live check of the saved Weibo session (one request to m.weibo.cn)')
    .action(async (opts: { config: string; json?: boolean; session: boolean }) => {
      const config = loadConfig(opts.config);
      const status = withStore(config, (store) => gatherStatus(config, store, systemClock.now()));
      const session = opts.session ? await checkWeiboLogin(config, systemClock, logger) : null;
      const line = session ? `\n${renderLoginCheck(session, config.platforms.weibo.cookie !== '')}\n` : '';
      const queue = await queueStatusFor(config, logger);
      const queueText = queue ? `\n${renderQueueStatus(queue, systemClock.now())}` : '';
      process.stdout.write(
        opts.json
          ? JSON.stringify({ ...status, weiboSession: session, queue }, null, 2) + '\n'
          : renderStatus(status) + line + queueText,
      );
    });

  program
    .command('login')
    .description(
      'log in in Chromium and save the session: weibo opens the QR sign-in page (headless: saves the QR code as a PNG and prints its path) and saves the cookies to platforms.weibo.cookieFile, mode 0600',
    )
    .addArgument(new Argument('<platform>', 'platform to log in to').choices(['weibo']))
    .requiredOption('-c, --config <file>', 'watch config (YAML)')
    .option('--check', 'only check whether the saved session still works; exit 1 when it does not')
    .option('--timeout <duration>', 'how long to wait for the QR code to be scanned', durationArg, 600_000)
    .option('--headed', 'show the Chromium window (overrides browser.headless)')
    .option('--headless', 'no window; save the QR code as a PNG (overrides browser.headless)')
    .option('--qr <file>', 'headless: where to save the QR code PNG')
    .action(
      async (
        _platform: string,
        opts: {
          config: string;
          check?: boolean;
          timeout: number;
          headed?: boolean;
          headless?: boolean;
          qr?: string;
        },
      ) => {
        if (opts.check) {
          const config = loadConfig(opts.config);
          const check = await checkWeiboLogin(config, systemClock, logger);
          process.stdout.write(`${renderLoginCheck(check, config.platforms.weibo.cookie !== '')}\n`);
          if (check.state !== 'logged_in') process.exitCode = 1;
          return;
        }
        // The first login writes the cookie file; the config must load before it exists.
        prepareCookieFile(opts.config);
        const config = loadConfig(opts.config);
        await loginWeibo({
          config,
          logger,
          err: process.stderr,
          timeout: opts.timeout,
          ...(opts.headed ? { headless: false } : opts.headless ? { headless: true } : {}),
          ...(opts.qr ? { qrPath: opts.qr } : {}),
          signal: shutdownSignal(logger),
        });
      },
    );

  program
    .command('export')
    .description('one row per target (default) or per event, as JSON lines or CSV, for R and pandas')
    .requiredOption('-c, --config <file>', 'watch config (YAML)')
    .addOption(
      new Option('-f, --format <format>', 'output format').choices(['jsonl', 'csv']).makeOptionMandatory(),
    )
    .addOption(
      new Option('--what <what>', 'rows to export').choices(['targets', 'events']).default('targets'),
    )
    .option('-w, --watch <id>', 'only this watch')
    .option('-o, --out <file>', 'write to this file instead of stdout')
    .action(
      async (opts: {
        config: string;
        format: 'jsonl' | 'csv';
        what: string;
        watch?: string;
        out?: string;
      }) => {
        const config = loadConfig(opts.config);
        if (opts.watch) requireWatch(config, opts.watch);
        const out = output(opts.out);
        const store = Store.open(config.database);
        try {
          const args = { watchId: opts.watch, format: opts.format };
          if (opts.what === 'events') await exportEvents(store, args, out.stream);
          else await exportTargets(store, args, out.stream);
        } finally {
          store.close();
          await out.done();
        }
      },
    );

  program
    .command('report')
    .description(
      'per watch: targets by verdict, gone by cause, deletion and censorship rates, deletion windows, baseline comparison',
    )
    .requiredOption('-c, --config <file>', 'watch config (YAML)')
    .option('-w, --watch <id>', 'only this watch')
    .option('-b, --baseline <id>', 'compare deletion rates against this watch')
    .option('--since <time>', 'only targets first seen at or after this time', timeArg)
    .option('--until <time>', 'only targets first seen before this time', timeArg)
    .addOption(
      new Option('-f, --format <format>', 'output format')
        .choices(['md', 'html', 'json'])
        .makeOptionMandatory(),
    )
    .option('-o, --out <file>', 'write to this file instead of stdout')
    .action(
      async (opts: {
        config: string;
        watch?: string;
        baseline?: string;
        since?: number;
        until?: number;
        format: string;
        out?: string;
      }) => {
        const config = loadConfig(opts.config);
        if (opts.watch) requireWatch(config, opts.watch);
        if (opts.baseline) requireWatch(config, opts.baseline);
        const report = withStore(config, (store) =>
          buildReport(store, {
            watchId: opts.watch,
            baselineId: opts.baseline,
            since: opts.since,
            until: opts.until,
            now: systemClock.now(),
          }),
        );
        const text =
          opts.format === 'html'
            ? renderHtml(report)
            : opts.format === 'json'
              ? renderJson(report)
              : renderMarkdown(report);
        const out = output(opts.out);
        out.stream.write(text);
        await out.done();
      },
    );

  program
    .command('verify')
    .description('re-hash the kept evidence and the observation chain; exits 1 if anything was altered')
    .requiredOption('-c, --config <file>', 'watch config (YAML)')
    .action((opts: { config: string }) => {
      const config = loadConfig(opts.config);
      const r = withStore(config, (store) => verifyStore(store));
      process.stdout.write(
        `${r.observations} observations, ${r.blobs} evidence bodies checked: ${r.problems.length ? `${r.problems.length} problems` : 'all intact'}\n`,
      );
      for (const p of r.problems) process.stdout.write(`  ${p}\n`);
      if (r.problems.length) process.exitCode = 1;
    });

  const alerts = program
    .command('alerts')
    .description('webhook alerts: send a signed test event, replay dead letters');
  const requireWebhook = (config: Config, name: string | undefined): void => {
    if (name === undefined || config.alerts.webhooks.some((w) => w.name === name)) return;
    const known = config.alerts.webhooks.map((w) => w.name).join(', ') || 'none configured';
    throw new ConfigError([
      { path: '--webhook', message: `unknown webhook ${JSON.stringify(name)} (known: ${known})` },
    ]);
  };
  alerts
    .command('test')
    .description('send a signed test event to one webhook and say what it answered')
    .requiredOption('-c, --config <file>', 'watch config (YAML)')
    .requiredOption('--webhook <name>', 'webhook name from alerts.webhooks')
    .action(async (opts: { config: string; webhook: string }) => {
      const config = loadConfig(opts.config);
      requireWebhook(config, opts.webhook);
      const store = Store.open(config.database);
      const alerter = new Alerter({ store, webhooks: config.alerts.webhooks, clock: systemClock, logger });
      try {
        const r = await alerter.sendTest(opts.webhook);
        process.stdout.write(
          `${opts.webhook}: ${r.ok ? 'delivered' : 'failed'}${r.status !== null ? ` (HTTP ${r.status})` : ''}${r.error ? ` — ${r.error}` : ''}; webhook-id ${r.messageId}\n`,
        );
        if (!r.ok) process.exitCode = 1;
      } finally {
        alerter.close();
        store.close();
      }
    });
  alerts
    .command('replay')
    .description('re-send dead letters (all webhooks, or one), keeping their webhook-id')
    .requiredOption('-c, --config <file>', 'watch config (YAML)')
    .option('--webhook <name>', 'only this webhook')
    .action(async (opts: { config: string; webhook?: string }) => {
      const config = loadConfig(opts.config);
      requireWebhook(config, opts.webhook);
      const store = Store.open(config.database);
      const alerter = new Alerter({ store, webhooks: config.alerts.webhooks, clock: systemClock, logger });
      try {
        const r = await alerter.replayDead(opts.webhook);
        process.stdout.write(`requeued ${r.requeued} dead letters, delivered ${r.delivered}\n`);
        if (r.delivered < r.requeued) process.exitCode = 1;
      } finally {
        alerter.close();
        store.close();
      }
    });

  return program;
}

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const logger = createRootLogger();
  const program = buildProgram(logger);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version are not errors; everything else commander rejects is bad usage.
      return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0
        ? 0
        : 2;
    }
    if (err instanceof ConfigError) {
      process.stderr.write(
        `censorwatch: bad ${err.source ? `config ${err.source}` : 'usage'}:\n${err.message.replace(/^/gm, '  ')}\n`,
      );
      return err.exitCode;
    }
    logger.error({ err }, 'failed');
    process.stderr.write(`censorwatch: ${(err as Error).message}\n`);
    return 1;
  } finally {
    logger.flush();
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { Logger } from 'pino';
import { ConfigError, loadConfig, requireWatch } from '../src/config';
import type { Config } from '../src/config/types';
import { systemClock } from '../src/domain/clock';
import { parseDuration } from '../src/domain/duration';
import { createRootLogger } from '../src/cli/logger';
import { runEmbedded } from '../src/cli/run';
import { runDemo } from '../src/cli/demo';
import { gatherStatus, renderStatus } from '../src/cli/status';
import { Store } from '../src/store/store';
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

function withStore<T>(config: Config, fn: (store: Store) => T): T {
  const store = Store.open(config.database);
  try {
    return fn(store);
  } finally {
    store.close();
  }
}

function buildProgram(logger: Logger): Command {
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
    .option('--redis <url>', 'distributed mode through BullMQ on this Redis (overrides queue.redis)')
    .action(async (opts: { config: string; duration?: number; redis?: string }) => {
      const config = loadConfig(opts.config);
      if (opts.redis || config.queue.redis) {
        throw new ConfigError([
          {
            path: opts.redis ? '--redis' : 'queue.redis',
            message: 'distributed mode is not available in this version; leave it out for embedded mode',
          },
        ]);
      }
      await runEmbedded({ config, duration: opts.duration ?? null, logger, signal: shutdownSignal(logger) });
    });

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
    .action(async (opts: { port: number; scenario: string; faultRate: number; seed: number }) => {
      const scenario = buildScenario(opts.scenario, { start: systemClock.now(), seed: opts.seed });
      const sim = new Simulator({
        clock: systemClock,
        scenario,
        faultRate: opts.faultRate,
        seed: opts.seed,
        logger: logger.child({ module: 'sim' }),
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
    .command('status')
    .description('watches, targets by verdict, keyword states, work due, failing hosts')
    .requiredOption('-c, --config <file>', 'watch config (YAML)')
    .option('--json', 'print as JSON')
    .action((opts: { config: string; json?: boolean }) => {
      const config = loadConfig(opts.config);
      const status = withStore(config, (store) => gatherStatus(config, store, systemClock.now()));
      process.stdout.write(opts.json ? JSON.stringify(status, null, 2) + '\n' : renderStatus(status));
    });

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

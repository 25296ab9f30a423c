/** `sim`: the simulated Weibo and NetEase alone on the real clock. */
import { Option, type Command } from 'commander';
import { systemClock } from '../../domain/clock';
import { buildScenario, HeldClock, SCENARIO_NAMES, Simulator } from '../../sim';
import { listenError, parsePort } from '../metrics-server';
import { fractionArg, intArg, shutdownSignal, type CliContext } from '../support';

/** Options of the `sim` command. */
interface SimCommandOptions {
  port: number;
  scenario: string;
  faultRate: number;
  seed: number;
  requireCookies?: boolean;
  failVisitor?: boolean;
  requireLogin?: boolean;
  hold?: boolean;
}

/** Registers `sim` on the program. */
export function simCommand(program: Command, { logger }: CliContext): Command {
  return program
    .command('sim')
    .description('serve the simulated Weibo and NetEase alone on the real clock, to try `run` against it')
    .option('-p, --port <n>', 'port on 127.0.0.1 (0: any free port)', (v) => parsePort(v, '--port'), 8081)
    .addOption(
      new Option('--scenario <name>', 'simulator scenario').choices([...SCENARIO_NAMES]).default('quick'),
    )
    .option('--fault-rate <p>', 'share of requests answered with transient failures', fractionArg, 0)
    .option('--seed <n>', 'scenario and fault seed', intArg, 2023)
    .option('--require-cookies', 'Weibo: cookieless API requests redirect to the visitor system')
    .option('--fail-visitor', 'Weibo: genvisitor2 fails, so only a browser gets visitor cookies')
    .option('--require-login', 'Weibo: API requests without a logged-in session redirect to login')
    .option(
      '--hold',
      "each edit and removal waits (up to 60 s) until the version before it was served, so a slow crawler still sees the scenario's whole story",
    )
    .action(async (opts: SimCommandOptions) => {
      const scenario = buildScenario(opts.scenario, { start: systemClock.now(), seed: opts.seed });
      // Held, the scenario's time stops before a change its crawler has not yet seen the
      // version before: a run started late or slowed by a busy machine misses nothing.
      const held = opts.hold ? new HeldClock({ start: scenario.start }) : null;
      const sim = new Simulator({
        clock: held ?? systemClock,
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
      if (held) {
        held.addHolds(sim.holds());
        held.go();
      }
      const base = await sim.start(opts.port).catch((err: unknown) => {
        throw listenError(err, '--port', '127.0.0.1', opts.port);
      });
      process.stderr.write(
        `simulator (${opts.scenario}) at ${base}\n` +
          `  a config for it:   curl '${base}/__sim/config?db=data/sim.db' > sim.yaml\n` +
          `  its ground truth:  curl ${base}/__sim/truth\n`,
      );
      const signal = shutdownSignal(logger);
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      await sim.stop();
    });
}

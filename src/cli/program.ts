/**
 * The censorwatch command-line program.
 *
 * Adding a command: write `src/cli/commands/<name>.ts` exporting
 * `function <name>Command(program: Command, ctx: CliContext): Command` that registers it with
 * `program.command('<name>')` (so it inherits exitOverride and help settings), keep the work in a
 * library module beside it in src/cli or below, then add the function to COMMANDS here. COMMANDS'
 * order is the order `--help` lists them in.
 */
import { Command, CommanderError } from 'commander';
import type { Logger } from 'pino';
import { ConfigError, formatIssue } from '../errors';
import { PrefixInUseError } from '../engine/distributed/prefix';
import { DatabaseTakenOverError } from '../store/owner';
import { DatabaseInUseError } from './db-owner';
import { alertsCommand } from './commands/alerts';
import { claimCommand } from './commands/claim';
import { dashboardCommand } from './commands/dashboard';
import { demoCommand } from './commands/demo';
import { evidenceCommand } from './commands/evidence';
import { exportCommand } from './commands/export';
import { loginCommand } from './commands/login';
import { queueCommand } from './commands/queue';
import { reportCommand } from './commands/report';
import { runCommand } from './commands/run';
import { showCommand } from './commands/show';
import { simCommand } from './commands/sim';
import { statusCommand } from './commands/status';
import { timestampCommand } from './commands/timestamp';
import { verifyCommand } from './commands/verify';
import { workerCommand } from './commands/worker';
import { createRootLogger } from '../logger';
import { logLevelFromEnv, type CliContext } from './support';
import { commanderUsageLine, usageLine } from './usage';

const VERSION = '0.1.0';

/** Every command, in the order `--help` lists them. */
const COMMANDS: readonly ((program: Command, ctx: CliContext) => Command)[] = [
  runCommand,
  workerCommand,
  demoCommand,
  simCommand,
  dashboardCommand,
  queueCommand,
  statusCommand,
  loginCommand,
  exportCommand,
  reportCommand,
  claimCommand,
  timestampCommand,
  evidenceCommand,
  showCommand,
  verifyCommand,
  alertsCommand,
];

/** Builds the program with every command registered; parsing errors throw instead of exiting. */
export function buildProgram(logger: Logger): Command {
  const program = new Command('censorwatch')
    .description(
      'Watch Weibo and NetEase posts on chosen topics, re-check them on an age-adaptive schedule, tell author deletions from platform removals, keep the evidence, and report.',
    )
    .version(VERSION)
    // Parse errors are written by main() as one line pointing at --help, not under the whole help.
    .configureOutput({ outputError: () => {} })
    .exitOverride();
  const ctx: CliContext = { logger };
  for (const register of COMMANDS) register(program, ctx);
  return program;
}

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  let logger: Logger;
  try {
    logger = createRootLogger({ level: logLevelFromEnv() });
  } catch (err) {
    // A bad CENSORWATCH_LOG: bad usage, said before there is a logger to say it with.
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`censorwatch: ${err.issues.map(formatIssue).join('; ')}\n`);
    return err.exitCode;
  }
  const program = buildProgram(logger);
  // Kept after main returns: a write still in flight fails after that, and would crash the process.
  if (!process.stdout.listeners('error').includes(onStdoutError)) process.stdout.on('error', onStdoutError);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version are not errors; everything else commander rejects is bad usage.
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0) {
        return 0;
      }
      // Called with no command, commander has already printed the help, which is the answer.
      if (err.code !== 'commander.help') process.stderr.write(commanderUsageLine(err, program, argv));
      return 2;
    }
    if (err instanceof ConfigError) {
      // A bad config lists every problem, one per line; a bad flag is one line.
      process.stderr.write(
        err.source
          ? `censorwatch: bad config ${err.source}:\n${err.message.replace(/^/gm, '  ')}\n`
          : usageLine(err.issues.map(formatIssue).join('; '), program, argv),
      );
      return err.exitCode;
    }
    if (
      err instanceof PrefixInUseError ||
      err instanceof DatabaseInUseError ||
      err instanceof DatabaseTakenOverError
    ) {
      // A setting to change, or another process's doing, not a fault here: one line, no stack.
      process.stderr.write(`censorwatch: ${err.message}\n`);
      return err.exitCode;
    }
    if (isClosedPipe(err)) return 0;
    logger.error({ err }, 'failed');
    process.stderr.write(`censorwatch: ${(err as Error).message}\n`);
    return 1;
  } finally {
    logger.flush();
  }
}

/**
 * `export … | head -1`: the reader has all it wanted. Without a listener the closed pipe crashes
 * the process with a stack trace; a pending write rejects with EPIPE and ends in main's catch.
 */
function onStdoutError(err: NodeJS.ErrnoException): void {
  if (err.code !== 'EPIPE') process.stderr.write(`censorwatch: stdout: ${err.message}\n`);
}

/** True for the error of a write to a pipe whose reader has gone (`| head`): not a failure. */
function isClosedPipe(err: unknown): boolean {
  return err instanceof Error && (err as NodeJS.ErrnoException).code === 'EPIPE';
}

/** Runs the CLI as the process's entry point: its exit code becomes the process's. */
export function runMain(argv: readonly string[]): void {
  void main(argv).then((code) => {
    process.exitCode = code;
  });
}

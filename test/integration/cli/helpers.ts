import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const BIN = join(__dirname, '../../../bin/censorwatch.js');

/**
 * Children still running, and whether the calling file's tests are over. A test that times out
 * goes on in the background: its CLI child (and the kill timer beside it) would keep the jest
 * worker from exiting, and a loop in it would start the next child after the file's end.
 */
const running = new Set<ChildProcess>();
let over = false;

// Registered on import, at the top level of the importing file (jest forbids hooks inside tests).
afterAll(async () => {
  over = true;
  await Promise.all(
    [...running].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('close', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
});

/** Starts the CLI as a tracked child; refused once the file's tests are over. */
function start(args: readonly string[], options: Parameters<typeof spawn>[2]): ChildProcess {
  if (over) throw new Error(`censorwatch ${args.join(' ')} started after the test file ended`);
  const child = spawn(process.execPath, [BIN, ...args], options);
  running.add(child);
  child.once('close', () => running.delete(child));
  return child;
}

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Who the child runs as (a test run by root drops to another user to meet file permissions). */
export interface RunAs {
  readonly uid?: number;
  readonly gid?: number;
}

/**
 * Who to run the CLI as for a test about file permissions, which mean nothing to root: a test run
 * as root runs it as `nobody`, when that user can read the checkout; null when it cannot (a clone
 * under /root), and those cases then say so and pass.
 */
export function otherUser(): RunAs | null {
  if (process.getuid?.() !== 0) return {};
  const nobody = { uid: 65534, gid: 65534 };
  const probe = spawnSync(process.execPath, [BIN, '--version'], { ...nobody, encoding: 'utf8' });
  return probe.status === 0 ? nobody : null;
}

/** Runs the real CLI in a child process, as a user would; killed after `timeoutMs` (default 60 s). */
export async function cli(
  args: readonly string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } & RunAs = {},
): Promise<CliResult> {
  const run = cliRunning(args, opts);
  const timer = setTimeout(() => run.child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
  try {
    return await run.exited();
  } finally {
    clearTimeout(timer);
  }
}

/** Starts a long-running CLI command; resolves once `ready` matches its stderr. */
export function cliBackground(
  args: readonly string[],
  ready: RegExp,
): Promise<{ child: ChildProcess; match: RegExpMatchArray; stop: () => Promise<number | null> }> {
  return new Promise((resolve, reject) => {
    const child = start(args, {
      env: { ...process.env, CENSORWATCH_LOG: 'warn' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    const stop = (): Promise<number | null> =>
      new Promise((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done(child.exitCode);
        child.once('close', (code) => done(code));
        child.kill('SIGINT');
      });
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      const m = stderr.match(ready);
      if (m) resolve({ child, match: m, stop });
    });
    child.on('error', reject);
    child.on('close', (code) => reject(new Error(`exited ${code} before ready: ${stderr}`)));
  });
}

/** A CLI command running in the background, with its output so far. */
export interface RunningCli {
  readonly child: ChildProcess;
  /** Output so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves with the whole result once the process has ended by itself. */
  exited(): Promise<CliResult>;
  /** Sends `signal` (SIGINT by default) and resolves with the whole result once the process ended. */
  stop(signal?: NodeJS.Signals): Promise<CliResult>;
}

/**
 * Starts a CLI command that runs until it is stopped, so a test can wait for the condition it is
 * about (with a generous cap) instead of giving the command a fixed time.
 */
export function cliRunning(
  args: readonly string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv } & RunAs = {},
): RunningCli {
  const child = start(args, {
    cwd: opts.cwd,
    ...(opts.uid !== undefined ? { uid: opts.uid } : {}),
    ...(opts.gid !== undefined ? { gid: opts.gid } : {}),
    env: { ...process.env, CENSORWATCH_LOG: 'warn', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited: () => done,
    stop(signal = 'SIGINT') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return done;
    },
  };
}

/** Polls `cond` until it holds; fails naming `what` (and `why()`, when given) once `capMs` ran out. */
export async function waitUntil(
  what: string,
  cond: () => boolean | Promise<boolean>,
  capMs: number,
  why?: () => string,
): Promise<void> {
  const deadline = Date.now() + capMs;
  while (!(await cond())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${capMs} ms waiting for ${what}${why ? `: ${why()}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Store } from '../../../src/store/store';

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
function start(
  args: readonly string[],
  options: Parameters<typeof spawn>[2],
  through: readonly string[] = [],
): ChildProcess {
  if (over) throw new Error(`censorwatch ${args.join(' ')} started after the test file ended`);
  const command = [...through, process.execPath, BIN, ...args];
  const child = spawn(command[0]!, command.slice(1), options);
  running.add(child);
  child.once('close', () => running.delete(child));
  return child;
}

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Who the child runs as (a test run by root drops to another user to meet file permissions): a
 * uid and gid given to spawn, or a command the CLI is run through that does so itself.
 */
export interface RunAs {
  readonly uid?: number;
  readonly gid?: number;
  readonly through?: readonly string[];
}

const NOBODY = { uid: 65534, gid: 65534 };

/**
 * `nobody` keeping only the right to read and search every file (CAP_DAC_READ_SEARCH), so it can
 * load a checkout it could not reach as itself (a clone under /root) while every write still
 * meets the files' permissions, which is what these tests are about.
 */
const NOBODY_READING_ALL = [
  'setpriv',
  `--reuid=${NOBODY.uid}`,
  `--regid=${NOBODY.gid}`,
  '--clear-groups',
  '--inh-caps=+dac_read_search',
  '--ambient-caps=+dac_read_search',
  '--',
];

/**
 * Who to run the CLI as for a test about file permissions, which mean nothing to root. Run by
 * another user, the tests run the CLI as themselves; run by root, as `nobody`, directly when that
 * user can read the checkout, otherwise through setpriv (see {@link NOBODY_READING_ALL}).
 * @throws when root can do neither: the tests would prove nothing, and say so by failing
 */
export function otherUser(): RunAs {
  if (process.getuid?.() !== 0) return {};
  const probe = (as: RunAs): boolean => {
    const command = [...(as.through ?? []), process.execPath, BIN, '--version'];
    const r = spawnSync(command[0]!, command.slice(1), { uid: as.uid, gid: as.gid, encoding: 'utf8' });
    return r.status === 0 && r.stdout.trim() !== '';
  };
  if (probe(NOBODY)) return NOBODY;
  const through = { through: NOBODY_READING_ALL };
  if (probe(through)) return through;
  throw new Error(
    'run as root, these tests need to run the CLI as nobody: nobody cannot read this checkout and setpriv (util-linux) could not give it the right to',
  );
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
  const child = start(
    args,
    {
      cwd: opts.cwd,
      ...(opts.uid !== undefined ? { uid: opts.uid } : {}),
      ...(opts.gid !== undefined ? { gid: opts.gid } : {}),
      env: { ...process.env, CENSORWATCH_LOG: 'warn', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
    opts.through,
  );
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

/**
 * A censorwatch database `cw.db` in a new folder `name` under `dir`, and a config beside the folder
 * naming it that every user may read (the permission tests run the CLI as another user).
 */
export function databaseInFolder(dir: string, name: string): { folder: string; db: string; config: string } {
  const folder = join(dir, name);
  mkdirSync(folder);
  const db = join(folder, 'cw.db');
  Store.open(db).close();
  const config = join(dir, `${name}.yaml`);
  writeFileSync(config, `database: ${db}\nwatches:\n  - id: w\n    weibo: { keywords: ["联合国"] }\n`);
  chmodSync(config, 0o644);
  return { folder, db, config };
}

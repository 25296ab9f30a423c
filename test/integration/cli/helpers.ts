import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const BIN = join(__dirname, '../../../bin/censorwatch.js');

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the real CLI in a child process, as a user would. */
export function cli(
  args: readonly string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: opts.cwd,
      env: { ...process.env, CENSORWATCH_LOG: 'warn', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Starts a long-running CLI command; resolves once `ready` matches its stderr. */
export function cliBackground(
  args: readonly string[],
  ready: RegExp,
): Promise<{ child: ChildProcess; match: RegExpMatchArray; stop: () => Promise<number | null> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, CENSORWATCH_LOG: 'warn' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    const stop = (): Promise<number | null> =>
      new Promise((done) => {
        if (child.exitCode !== null) return done(child.exitCode);
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

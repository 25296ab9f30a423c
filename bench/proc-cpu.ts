/**
 * CPU time of processes, read from /proc (Linux), for benchmarks on a shared machine: there a
 * loop's checks per second say how much of a core it was given, while its CPU time per check
 * says what a check costs.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's times (USER_HZ; 100 on every mainstream Linux). */
const HZ = 100;

function stat(pid: number): { ppid: number; ms: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces.
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(f[1]), ms: ((Number(f[11]) + Number(f[12])) * 1000) / HZ };
  } catch {
    return null;
  }
}

/** User + system CPU ms of `pid` and, with `tree`, of all its living descendants; 0 if gone. */
export function cpuMs(pid: number, tree = false): number {
  const own = stat(pid)?.ms ?? 0;
  if (!tree) return own;
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    const p = Number(name);
    if (!Number.isInteger(p)) continue;
    const s = stat(p);
    if (!s) continue;
    const list = children.get(s.ppid) ?? [];
    list.push(p);
    children.set(s.ppid, list);
  }
  let total = 0;
  const walk = (p: number): void => {
    total += stat(p)?.ms ?? 0;
    for (const c of children.get(p) ?? []) walk(c);
  };
  walk(pid);
  return total;
}

/** This process's CPU ms so far (user + system). */
export function selfCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

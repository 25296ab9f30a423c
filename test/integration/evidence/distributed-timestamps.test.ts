/**
 * Time-stamping in distributed mode: the recorder, which owns the database, stamps the log's head
 * every `evidence.timestamp.every`. A TSA that fails is retried and shown in status while the
 * deployment goes on recording checks; once it answers again the head is stamped.
 */
import { runDistributed } from '../../../src/cli/distributed';
import { gatherStatus, renderStatus } from '../../../src/cli/status';
import { parseConfig } from '../../../src/config/load';
import { Store } from '../../../src/store/store';
import {
  REDIS,
  cleanupDirs,
  scratchDir,
  silent,
  startQuickSim,
  uniquePrefix,
  writeConfig,
  type SimRun,
} from '../distributed/helpers';
import { opensslVerify, startTsa, type LocalTsa } from './tsa';
import { headLine } from '../../../src/store/log';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const CAP_MS = 90_000;

/** Polls `read` on a read-only store until `cond` holds; fails naming `what` after the cap. */
async function waitFor<T>(
  database: string,
  what: string,
  read: (s: Store) => T,
  cond: (v: T) => boolean,
): Promise<T> {
  const deadline = Date.now() + CAP_MS;
  for (;;) {
    let value: T | undefined;
    try {
      const s = Store.open(database, { readonly: true });
      try {
        value = read(s);
      } finally {
        s.close();
      }
    } catch {
      // Not created yet, or mid-migration: look again.
    }
    if (value !== undefined && cond(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('distributed mode time-stamps the log from the recorder', () => {
  let run: SimRun;
  let tsa: LocalTsa;
  beforeAll(async () => {
    run = await startQuickSim();
    tsa = await startTsa();
  });
  afterAll(async () => {
    await tsa?.close();
    await run?.stop();
    cleanupDirs();
  });

  it('retries a failing TSA without stopping the checks, reports it in status, then stamps the head', async () => {
    const dir = scratchDir();
    const { path } = writeConfig(dir, run, { redis: REDIS, prefix: uniquePrefix() });
    const doc = parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    const config = parseConfig({ ...doc, evidence: { timestamp: { url: tsa.url, every: '1s' } } }, path, {});
    tsa.fail = true;
    const drain = new AbortController();
    const force = new AbortController();
    run.go();
    const running = runDistributed({
      config,
      logger: silent,
      redisUrl: REDIS,
      roles: ['recorder', 'alerter', 'fetcher', 'scheduler'],
      timing: { tickEvery: 250, leaseMs: 3000, drainTimeout: 10_000 },
      signals: { drain: drain.signal, force: force.signal },
    });
    try {
      // The TSA fails again and again while observations keep being recorded.
      const failing = await waitFor(
        config.database,
        'failed stamps while checks are recorded',
        (s) => ({
          failures: s.timestamps.failuresSinceGrant(),
          head: s.log.head().seq,
          granted: s.timestamps.lastGranted(),
        }),
        (v) => v.failures >= 2 && v.head >= 5,
      );
      expect(failing.granted).toBeUndefined();
      const before = failing.head;
      await waitFor(
        config.database,
        'more observations',
        (s) => s.log.head().seq,
        (seq) => seq > before,
      );
      const status = await waitFor(
        config.database,
        'status',
        (s) => renderStatus(gatherStatus(config, s, Date.now())),
        () => true,
      );
      expect(status).toMatch(
        /time-stamping FAILING: \d+ attempts since the last granted \(HTTP 503 from the TSA\); retried/,
      );

      // The TSA is back: the recorder stamps the head, and the token holds for that head.
      tsa.fail = false;
      const granted = await waitFor(
        config.database,
        'a granted stamp',
        (s) => s.timestamps.lastGranted(),
        (g) => g !== undefined,
      );
      expect(granted!.seq).toBeGreaterThan(0);
      const headFile = join(dir, 'head.txt');
      const tokenFile = join(dir, 'head.tsr');
      writeFileSync(headFile, headLine(granted!));
      writeFileSync(tokenFile, granted!.reply!);
      expect(opensslVerify(tsa, tokenFile, headFile)).toBe(true);
    } finally {
      drain.abort();
      await running;
    }
    const after = Store.open(config.database, { readonly: true });
    try {
      expect(after.timestamps.failuresSinceGrant()).toBe(0);
    } finally {
      after.close();
    }
  });
});

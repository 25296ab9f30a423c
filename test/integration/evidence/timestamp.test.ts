import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { ManualClock } from '../../../src/domain/clock';
import { parseTimestampReply } from '../../../src/evidence/rfc3161';
import { Timestamper } from '../../../src/evidence/timestamper';
import { headLine } from '../../../src/store/log';
import { verifyStore } from '../../../src/store/verify';
import { MIN, T0, alive, check, recordStory, tempDb } from './helpers';
import { opensslVerify, startTsa, type LocalTsa } from './tsa';
import { cli } from '../cli/helpers';
import { rawSql } from '../../helpers/sql';

let tsa: LocalTsa;
let db: ReturnType<typeof tempDb>;
beforeAll(async () => (tsa = await startTsa()));
afterAll(async () => tsa.close());
beforeEach(() => {
  db = tempDb();
  recordStory(db.store, db.recorder);
});
afterEach(() => db.cleanup());

const silent = pino({ level: 'silent' });

describe('RFC 3161 time-stamps of the log head', () => {
  it('stamps the head; the stored reply passes openssl ts -verify against the head line and the CA', async () => {
    const clock = new ManualClock(T0 + 20 * MIN);
    const stamper = new Timestamper({
      store: db.store,
      url: tsa.url,
      every: 60 * MIN,
      clock,
      logger: silent,
    });
    const r = await stamper.stamp();
    expect(r.state).toBe('granted');
    const head = db.store.log.head();
    expect(r.row).toMatchObject({ seq: head.seq, head: head.head, state: 'granted' });
    const tsr = join(db.dir, 'head.txt.tsr');
    const data = join(db.dir, 'head.txt');
    writeFileSync(tsr, r.row.reply!);
    writeFileSync(data, headLine(head));
    expect(opensslVerify(tsa, tsr, data)).toBe(true);
    // A different head does not verify: the token is bound to this one.
    writeFileSync(data, headLine({ seq: head.seq, head: '0'.repeat(64) }));
    expect(opensslVerify(tsa, tsr, data)).toBe(false);
    expect(parseTimestampReply(r.row.reply!).genTime).toBeInstanceOf(Date);
    expect(verifyStore(db.store).problems).toEqual([]);

    // Nothing new since: not stamped again.
    expect((await stamper.stamp()).state).toBe('unchanged');
    expect(stamper.nextDueAt()).toBe(T0 + 80 * MIN);
  });

  it('a TSA that fails or cannot be reached is recorded, retried with backoff, and never throws', async () => {
    const clock = new ManualClock(T0 + 20 * MIN);
    tsa.fail = true;
    const stamper = new Timestamper({
      store: db.store,
      url: tsa.url,
      every: 60 * MIN,
      clock,
      logger: silent,
    });
    const failed = await stamper.stamp();
    expect(failed.state).toBe('failed');
    expect(failed.row.error).toMatch(/HTTP 503/);
    expect(stamper.nextDueAt()).toBe(T0 + 21 * MIN);
    clock.advanceBy(MIN);
    await stamper.stamp();
    expect(stamper.nextDueAt()).toBe(T0 + 23 * MIN);

    const unreachable = new Timestamper({
      store: db.store,
      url: 'http://127.0.0.1:9/tsr',
      every: 60 * MIN,
      clock,
      logger: silent,
    });
    expect((await unreachable.stamp()).state).toBe('failed');

    tsa.fail = false;
    clock.advanceBy(10 * MIN);
    expect((await stamper.stamp()).state).toBe('granted');
    expect(db.store.timestamps.failuresSinceGrant()).toBe(0);
  });

  it('verify catches a log cut short after a stamped head, or rewritten before it', async () => {
    const clock = new ManualClock(T0 + 20 * MIN);
    const stamper = new Timestamper({
      store: db.store,
      url: tsa.url,
      every: 60 * MIN,
      clock,
      logger: silent,
    });
    await stamper.stamp();
    check(db.store, db.recorder, alive('4895000000000011', T0 + 30 * MIN, '联合国大会表决'));
    expect(verifyStore(db.store).problems).toEqual([]);
    const stamped = db.store.timestamps.lastGranted()!;
    // Cut the log back to before the stamp, as whoever holds the file could.
    rawSql(db.store).run(`DELETE FROM log_entries WHERE seq >= ?`, stamped.seq);
    rawSql(db.store).run(`DELETE FROM observations WHERE id NOT IN (SELECT observation_id FROM log_entries)`);
    const r = verifyStore(db.store);
    expect(r.problems.some((p) => /entries after it were removed/.test(p))).toBe(true);
  });
});

describe('censorwatch timestamp', () => {
  const config = (database: string, url: string): string => {
    const file = join(db.dir, 'watch.yaml');
    writeFileSync(
      file,
      `database: ${database}\nevidence:\n  timestamp: { url: "${url}", every: 1h }\n` +
        `watches:\n  - id: un-vote-2023\n    weibo: { keywords: ["联合国"] }\n`,
    );
    return file;
  };

  it('stamps the head at once, says so, and stores the token; a failing TSA exits 1; no database exits 2', async () => {
    db.store.close();
    const ok = await cli(['timestamp', '--config', config(db.file, tsa.url)]);
    expect(ok.stderr).not.toMatch(/error/i);
    expect(ok.code).toBe(0);
    const head = (await cli(['verify', '--config', config(db.file, tsa.url), '--head'])).stdout.trim();
    expect(ok.stdout).toMatch(new RegExp(`^time-stamped log entry ${head.replace(' ', ' ')} at \\d{4}-`));

    tsa.fail = true;
    const failed = await cli(['timestamp', '--config', config(db.file, tsa.url)]);
    tsa.fail = false;
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/time-stamp failed: HTTP 503/);

    const status = await cli(['status', '--config', config(db.file, tsa.url)]);
    expect(status.stdout).toMatch(/time-stamped up to entry 8/);
    expect(status.stdout).toMatch(/time-stamping FAILING: 1 attempt since the last granted/);

    const missing = await cli(['timestamp', '--config', config(join(db.dir, 'nothing.db'), tsa.url)]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/database: .*nothing\.db does not exist/);
  }, 240_000);
});

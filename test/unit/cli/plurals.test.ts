import { progressLine } from '../../../src/cli/progress';
import { renderStatus, type StatusReport } from '../../../src/cli/status';

describe('CLI lines give a count of one its singular noun', () => {
  it('progress: 1 check, 1 discovery round, 1 open watch problem', () => {
    const line = (n: number): string =>
      progressLine({ checks: n, discoveries: n, due: n, gone: n, goneThisRun: n, problems: n });
    expect(line(1)).toBe(
      'progress: 1 check, 1 discovery round, 1 due, 1 gone (+1 this run), 1 open watch problem',
    );
    expect(line(2)).toBe(
      'progress: 2 checks, 2 discovery rounds, 2 due, 2 gone (+2 this run), 2 open watch problems',
    );
  });

  it('status: 1 attempt since the last granted time-stamp, 2 attempts', () => {
    const status = (failures: number): StatusReport => ({
      database: 'data/x.db',
      mode: 'embedded',
      watches: [],
      discovery: { everyMs: 600_000, minMs: 60_000, maxMs: 3_600_000 },
      targetsByVerdict: {},
      dueNow: 0,
      nextDueAt: null,
      parsing: [],
      hosts: [],
      evidence: {
        logHead: { seq: 3, head: 'ab' },
        lastTimestamp: null,
        timestampFailures: failures,
        lastTimestampError: 'HTTP 503 from the TSA',
        screenshots: { taken: 0, wanted: 0, failed: 0, pruned: 0 },
      },
      budget: [],
      alerts: { deliveries: [], deadLetters: [] },
    });
    expect(renderStatus(status(1))).toContain(
      'time-stamping FAILING: 1 attempt since the last granted (HTTP 503 from the TSA); retried',
    );
    expect(renderStatus(status(2))).toContain(
      'time-stamping FAILING: 2 attempts since the last granted (HTTP 503 from the TSA); retried',
    );
  });
});

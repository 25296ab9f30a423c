import { logEvents } from '../../../src/cli/log-events';
import { renderProblems, withProblems, type ProblemStatus } from '../../../src/cli/status-problems';
import type { RecordedEvent } from '../../../src/engine/recorder';
import { capturedLogger } from '../../helpers/log-lines';

/** A logger whose lines are collected as parsed JSON. */
const captured = (): ReturnType<typeof capturedLogger> => capturedLogger('info');

const problem: RecordedEvent = {
  id: 3,
  type: 'watch.problem',
  at: Date.UTC(2026, 11, 1, 8),
  platform: 'netease',
  targetId: null,
  keyword: null,
  cause: null,
  watch: 'mine',
  detail: {
    problem: 'account_unresolved',
    summary: 'netease account "张佳栋看世界" cannot be resolved',
    hint: 'configure its home page URL',
    message: 'no article found',
  },
};

describe('watch problems in the log and in status', () => {
  it('logs a problem as one warning naming the item, the watch and what to do; other events at info', () => {
    const { logger, lines } = captured();
    logEvents(logger)([problem, { ...problem, id: 4, type: 'post.discovered', detail: {} }]);
    logger.flush();
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      [
        40,
        'watch problem: netease account "张佳栋看世界" cannot be resolved (watch mine): configure its home page URL',
      ],
      [30, 'post.discovered'],
    ]);
    expect(lines[0]).toMatchObject({ event: 'watch.problem', problem: 'account_unresolved', watch: 'mine' });
  });

  const open: ProblemStatus = {
    kind: 'keyword_empty',
    subject: 'keyword',
    platform: 'weibo',
    query: '联合国 决议',
    watches: ['a', 'b'],
    since: '2026-12-01T08:00:00.000Z',
    count: 5,
    message: null,
    summary: 'weibo keyword "联合国 决议" returned nothing in 5 rounds',
    hint: 'check the spelling',
  };

  it('puts the section after the overall counts, and nothing when none is open', () => {
    const status =
      'database: d.db (embedded mode)\ntargets: alive 3\ndue now: 0; next due: x\n\nwatch a — A\n';
    expect(withProblems(status, renderProblems([]))).toBe(status);
    expect(withProblems(status, renderProblems([open])).split('\n')).toEqual([
      'database: d.db (embedded mode)',
      'targets: alive 3',
      'due now: 0; next due: x',
      '',
      'watch problems (1 open):',
      '  weibo keyword "联合国 决议" returned nothing in 5 rounds, since 2026-12-01T08:00:00.000Z — watch a, b',
      '    check the spelling',
      '',
      'watch a — A',
      '',
    ]);
  });
});

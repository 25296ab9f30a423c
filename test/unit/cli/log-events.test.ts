import { logEvents } from '../../../src/cli/log-events';
import type { RecordedEvent } from '../../../src/engine/recorder';
import { capturedLogger } from '../../helpers/log-lines';

/** The run's log lines for recorded events, read back as data. */
function capture(): { log: (events: readonly RecordedEvent[]) => void; lines: Record<string, unknown>[] } {
  const { logger, lines } = capturedLogger('info');
  return { log: logEvents(logger), lines };
}

const gone = (kind: 'post' | 'thread' | undefined, id: number): RecordedEvent => ({
  id,
  type: 'post.gone',
  at: Date.UTC(2026, 11, 3, 8),
  platform: 'weibo',
  targetId: '5372079668859662',
  ...(kind ? { kind } : {}),
  keyword: null,
  cause: 'gone_unspecified',
  detail: {},
  watch: 'topic',
});

describe('the log line of a recorded event', () => {
  it('names the kind, so a post and its comment thread going are two lines a reader can tell apart', () => {
    const { log, lines } = capture();
    log([gone('thread', 1), gone('post', 2)]);
    expect(lines.map((l) => [l.msg, l.target, l.kind])).toEqual([
      ['post.gone', '5372079668859662', 'thread'],
      ['post.gone', '5372079668859662', 'post'],
    ]);
  });

  it('a target event without a kind is a post; an event of no target has none', () => {
    const { log, lines } = capture();
    log([
      gone(undefined, 1),
      {
        id: 2,
        type: 'search.blocked',
        at: Date.UTC(2026, 11, 3, 8),
        platform: 'weibo',
        targetId: null,
        keyword: '联合国',
        cause: null,
        detail: {},
        watch: 'topic',
      },
    ]);
    expect(lines.map((l) => l.kind)).toEqual(['post', null]);
  });
});

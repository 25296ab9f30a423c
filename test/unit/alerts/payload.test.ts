import {
  digestPayload,
  eventPayload,
  renderBody,
  shortTime,
  slackEscape,
  slackMessage,
  summarize,
  testPayload,
  type EventPayload,
} from '../../../src/alerts/payload';
import type { EventRow } from '../../../src/store/store';

const T = (s: string): number => Date.parse(s);

function ev(over: Partial<EventRow>): EventRow {
  return {
    id: 7,
    type: 'post.gone',
    at: T('2023-04-27T01:06:00Z'),
    watchId: 'un-vote-2023',
    platform: 'weibo',
    nativeId: '4383000000000001',
    kind: 'post',
    keyword: null,
    cause: 'removed_by_platform',
    detail: {},
    ...over,
  };
}

describe('summarize', () => {
  test('watch.problem says what is wrong with which configured item, and what to do', () => {
    const e = ev({
      type: 'watch.problem',
      nativeId: null,
      kind: null,
      cause: null,
      keyword: '联合国 决议',
      detail: {
        problem: 'keyword_empty',
        summary: 'weibo keyword "联合国 决议" returned nothing in 4 rounds',
        hint: 'check the spelling',
      },
    });
    expect(summarize(e)).toBe(
      'watch problem: weibo keyword "联合国 决议" returned nothing in 4 rounds — check the spelling — watch un-vote-2023',
    );
    expect(eventPayload({ event: e, target: null, evidence: [] }).type).toBe('watch.problem');
  });

  test('post.gone states the cause and the deletion window, end abbreviated on the same day', () => {
    const e = ev({ detail: { lastAliveAt: T('2023-04-27T01:00:00Z'), goneAt: T('2023-04-27T01:05:00Z') } });
    expect(summarize(e)).toBe(
      'weibo post 4383000000000001 removed_by_platform (gone between 2023-04-27T01:00Z and 01:05Z) — watch un-vote-2023',
    );
  });

  test('a window across midnight keeps the date; seconds appear only when not zero', () => {
    const e = ev({
      cause: 'deleted_by_author',
      detail: { lastAliveAt: T('2023-04-26T23:59:30Z'), goneAt: T('2023-04-27T00:04:00Z') },
    });
    expect(summarize(e)).toContain(
      'deleted_by_author (gone between 2023-04-26T23:59:30Z and 2023-04-27T00:04Z)',
    );
  });

  test('never seen alive, edits, search and watchless monitor events', () => {
    expect(
      summarize(ev({ watchId: null, detail: { lastAliveAt: null, goneAt: T('2023-04-27T01:05:00Z') } })),
    ).toBe('weibo post 4383000000000001 removed_by_platform (gone by 2023-04-27T01:05Z, never seen alive)');
    expect(
      summarize(ev({ type: 'post.edited', cause: null, detail: { diffText: '投票[-反对-]{+弃权+}' } })),
    ).toBe('weibo post 4383000000000001 edited: 投票[-反对-]{+弃权+} — watch un-vote-2023');
    expect(
      summarize(
        ev({
          type: 'search.blocked',
          nativeId: null,
          kind: null,
          cause: null,
          keyword: '联合国 决议',
          detail: { reason: 'notice' },
        }),
      ),
    ).toBe('weibo search "联合国 决议" blocked (notice) at 2023-04-27T01:06Z — watch un-vote-2023');
    expect(
      summarize(
        ev({
          type: 'post.restored',
          cause: null,
          detail: { goneAt: T('2023-04-27T01:05:00Z'), cause: 'gone_unspecified' },
        }),
      ),
    ).toBe(
      'weibo post 4383000000000001 restored after gone_unspecified (gone since 2023-04-27T01:05Z) — watch un-vote-2023',
    );
    expect(
      summarize(
        ev({ type: 'post.cause_changed', detail: { from: 'gone_unspecified', to: 'removed_by_platform' } }),
      ),
    ).toContain('cause changed from gone_unspecified to removed_by_platform');
  });

  test('long diffs are clipped to one line', () => {
    const s = summarize(ev({ type: 'post.edited', detail: { diffText: `a\nb${'字'.repeat(300)}` } }));
    expect(s).not.toContain('\n');
    expect(s).toContain('…');
    expect(Array.from(s).length).toBeLessThan(200);
  });
});

test('shortTime drops zero seconds only', () => {
  expect(shortTime(T('2023-04-27T01:00:00Z'))).toBe('2023-04-27T01:00Z');
  expect(shortTime(T('2023-04-27T01:00:07Z'))).toBe('2023-04-27T01:00:07Z');
});

describe('eventPayload', () => {
  test('an edit carries its diff; the timestamp is the event time', () => {
    const parts = [
      { op: '=', text: '投票' },
      { op: '-', text: '反对' },
      { op: '+', text: '弃权' },
    ];
    const p = eventPayload({
      event: ev({
        type: 'post.edited',
        cause: null,
        detail: { before: '投票反对', after: '投票弃权', diff: parts, diffText: '投票[-反对-]{+弃权+}' },
      }),
      target: null,
      evidence: [],
    });
    expect(p.type).toBe('post.edited');
    expect(p.timestamp).toBe('2023-04-27T01:06:00.000Z');
    expect(p.data.diff).toEqual({
      before: '投票反对',
      after: '投票弃权',
      text: '投票[-反对-]{+弃权+}',
      parts,
    });
    expect(p.data.window).toBeNull();
  });

  test('a gone event carries its window as ISO times', () => {
    const p = eventPayload({
      event: ev({ detail: { lastAliveAt: T('2023-04-27T01:00:00Z'), goneAt: T('2023-04-27T01:05:00Z') } }),
      target: null,
      evidence: [],
    });
    expect(p.data.window).toEqual({
      lastAliveAt: '2023-04-27T01:00:00.000Z',
      goneAt: '2023-04-27T01:05:00.000Z',
    });
    expect(p.data.diff).toBeNull();
  });
});

describe('slack', () => {
  const gone = eventPayload({
    event: ev({ detail: { lastAliveAt: T('2023-04-27T01:00:00Z'), goneAt: T('2023-04-27T01:05:00Z') } }),
    target: null,
    evidence: [],
  });

  test('escapes mrkdwn control characters', () => {
    expect(slackEscape('a<b>&c')).toBe('a&lt;b&gt;&amp;c');
  });

  test('an event renders as its summary line plus a context line', () => {
    const m = slackMessage(gone);
    expect(m.text).toBe(gone.data.summary);
    expect(m.blocks[0]).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: `*${gone.data.summary}*` },
    });
    expect(JSON.stringify(m.blocks.at(-1))).toContain(
      'window (2023-04-27T01:00:00.000Z, 2023-04-27T01:05:00.000Z]',
    );
  });

  test('a large digest stays within Slack’s 50-block limit and says how many were left out', () => {
    const events: EventPayload[] = Array.from({ length: 40 }, () => gone);
    const m = slackMessage(digestPayload(events, T('2023-04-27T01:00:00Z'), T('2023-04-27T02:00:00Z')));
    expect(m.blocks.length).toBeLessThanOrEqual(50);
    expect(m.text).toBe('censorwatch digest: 40 events between 2023-04-27T01:00Z and 02:00Z');
    expect(JSON.stringify(m.blocks.at(-1))).toContain('and 25 more');
  });

  test('the test message renders in both formats', () => {
    const p = testPayload('lab', T('2023-04-27T01:00:00Z'));
    expect(JSON.parse(renderBody('standard', p))).toEqual(p);
    expect((JSON.parse(renderBody('slack', p)) as { text: string }).text).toBe(
      'censorwatch test message for webhook lab',
    );
  });
});

test('renderBody is deterministic, so every retry sends the same bytes', () => {
  const p = eventPayload({ event: ev({}), target: null, evidence: [] });
  expect(renderBody('standard', p)).toBe(
    renderBody('standard', JSON.parse(JSON.stringify(p)) as EventPayload),
  );
  expect(renderBody('slack', p)).toBe(renderBody('slack', p));
});

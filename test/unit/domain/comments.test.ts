import { compareComments, flagsTurnedOff, type KnownComment } from '../../../src/domain/comments';
import type { CommentSnapshot } from '../../../src/domain/glossary';
import { applyObservation, initialState } from '../../../src/domain/verdict';

const T0 = Date.UTC(2024, 0, 10, 2, 0, 0);
const iso = (min: number): string => new Date(T0 + min * 60_000).toISOString();

function known(id: string, min: number, extra: Partial<KnownComment> = {}): KnownComment {
  return {
    id,
    author: `a${id}`,
    location: null,
    text: `t${id}`,
    createdAt: T0 + min * 60_000,
    firstSeenAt: T0 + 100 * 60_000,
    lastSeenAt: T0 + 100 * 60_000,
    goneAt: null,
    ...extra,
  };
}
function seen(id: string, min: number, deleted = false): CommentSnapshot {
  return { id, text: `t${id}`, author: `a${id}`, createdAt: iso(min), deleted };
}
const ids = (r: ReturnType<typeof compareComments>): string[] =>
  r.gone.map((g) => `${g.comment.id}:${g.reason}`);

describe('compareComments', () => {
  const before = [known('1', 1), known('2', 2), known('3', 3), known('4', 4), known('5', 5)];

  it('a complete snapshot covers every comment: the missing ones are gone', () => {
    const r = compareComments(before, { items: [seen('5', 5), seen('3', 3), seen('1', 1)], complete: true });
    expect(ids(r)).toEqual(['2:missing', '4:missing']);
  });

  it('a cut newest-first snapshot covers only comments newer than its oldest', () => {
    // Shows 5 and 3: 4 is missing within the span, 1 and 2 may lie beyond the cap.
    const r = compareComments(before, { items: [seen('5', 5), seen('3', 3)], complete: false });
    expect(ids(r)).toEqual(['4:missing']);
    expect(r.timeOrdered).toBe(true);
  });

  it('a comment from the same minute as the oldest listed one is not covered by a cut list', () => {
    const r = compareComments([known('a', 3), known('b', 3)], { items: [seen('a', 3)], complete: false });
    expect(ids(r)).toEqual([]);
  });

  it('a cut list that is not in time order (ranked) covers nothing', () => {
    const r = compareComments(before, { items: [seen('1', 1), seen('5', 5)], complete: false });
    expect(r.timeOrdered).toBe(false);
    expect(ids(r)).toEqual([]);
  });

  it('a comment listed with the deleted mark is gone, wherever it is', () => {
    const r = compareComments(before, {
      items: [seen('5', 5), seen('4', 4, true), seen('3', 3), seen('2', 2), seen('1', 1)],
      complete: false,
    });
    expect(ids(r)).toEqual(['4:deleted']);
  });

  it('a comment already gone is never reported again; a comment without a time needs a complete list', () => {
    const r = compareComments([known('1', 1, { goneAt: T0 }), known('9', 0, { createdAt: null })], {
      items: [seen('5', 5), seen('2', 2)],
      complete: false,
    });
    expect(ids(r)).toEqual([]);
    const all = compareComments([known('1', 1, { goneAt: T0 }), known('9', 0, { createdAt: null })], {
      items: [],
      complete: true,
    });
    expect(ids(all)).toEqual(['9:missing']);
  });
});

describe('flagsTurnedOff', () => {
  it('names the flags that went from on to off, and nothing on the first snapshot', () => {
    expect(flagsTurnedOff(null, { web: false })).toEqual([]);
    expect(
      flagsTurnedOff({ web: true, app: true, audio: false }, { web: false, app: false, audio: false }),
    ).toEqual(['app', 'web']);
    expect(flagsTurnedOff({ web: false }, { web: true })).toEqual([]);
  });
});

describe('threads never count as edited', () => {
  const rules = { confirmGone: 2, confirmAfter: 60_000 };
  it('a changed hash of a thread moves on without post.edited; a post with the same change is edited', () => {
    const first = applyObservation(
      initialState(T0),
      { at: T0, outcome: 'alive', contentHash: 'a', kind: 'thread' },
      rules,
    );
    const thread = applyObservation(
      first.state,
      { at: T0 + 1, outcome: 'alive', contentHash: 'b', kind: 'thread' },
      rules,
    );
    expect(thread.events).toEqual([]);
    expect(thread.state.editCount).toBe(0);
    expect(thread.state.lastAliveHash).toBe('b');
    const post = applyObservation(
      first.state,
      { at: T0 + 1, outcome: 'alive', contentHash: 'b', kind: 'post' },
      rules,
    );
    expect(post.events.map((e) => e.type)).toEqual(['post.edited']);
  });
});

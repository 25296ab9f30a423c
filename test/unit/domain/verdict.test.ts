import {
  applyObservation,
  initialState,
  type TargetState,
  type ObservationFacts,
} from '../../../src/domain/verdict';

const rules = { confirmGone: 2, confirmAfter: 60_000 };
const T0 = Date.UTC(2023, 3, 27, 0, 0, 0);

function run(facts: ObservationFacts[], r = rules) {
  let state: TargetState = initialState(T0);
  const events: string[] = [];
  let confirmAt: number | null = null;
  for (const f of facts) {
    const t = applyObservation(state, f, r);
    state = t.state;
    confirmAt = t.confirmAt;
    events.push(...t.events.map((e) => e.type + (e.cause ? `:${e.cause}` : '')));
  }
  return { state, events, confirmAt };
}

const alive = (at: number, hash = 'h1', text = '联合国 决议'): ObservationFacts => ({
  at,
  outcome: 'alive',
  contentHash: hash,
  text,
});

describe('verdict rules', () => {
  it('starts unknown and stays unknown on transient outcomes only', () => {
    const r = run([
      { at: T0, outcome: 'rate_limited' },
      { at: T0 + 1000, outcome: 'network_error' },
    ]);
    expect(r.state.verdict).toBe('unknown');
    expect(r.state.observations).toBe(2);
    expect(r.events).toEqual([]);
  });

  it('a single final outcome is only unconfirmed and asks for a confirmation check confirmAfter later', () => {
    const r = run([alive(T0), { at: T0 + 300_000, outcome: 'removed_by_platform' }]);
    expect(r.state.verdict).toBe('unconfirmed');
    expect(r.events).toEqual([]);
    expect(r.confirmAt).toBe(T0 + 300_000 + 60_000);
  });

  it('confirms gone after confirmGone final outcomes at least confirmAfter apart, with the deletion window', () => {
    let state = initialState(T0);
    state = applyObservation(state, alive(T0), rules).state;
    state = applyObservation(state, { at: T0 + 120_000, outcome: 'deleted_by_author' }, rules).state;
    const tooSoon = applyObservation(state, { at: T0 + 150_000, outcome: 'deleted_by_author' }, rules);
    expect(tooSoon.state.verdict).toBe('unconfirmed');
    expect(tooSoon.confirmAt).toBe(T0 + 180_000);
    const t = applyObservation(tooSoon.state, { at: T0 + 180_000, outcome: 'deleted_by_author' }, rules);
    expect(t.state.verdict).toBe('gone');
    expect(t.state.cause).toBe('deleted_by_author');
    expect(t.events).toHaveLength(1);
    expect(t.events[0]!.type).toBe('post.gone');
    expect(t.events[0]!.detail.window).toEqual([T0, T0 + 120_000]);
    expect(t.state.goneAt).toBe(T0 + 120_000);
  });

  it('transient outcomes between final ones neither confirm nor reset the count', () => {
    const r = run([
      alive(T0),
      { at: T0 + 60_000, outcome: 'gone_unspecified' },
      { at: T0 + 130_000, outcome: 'rate_limited' },
      { at: T0 + 140_000, outcome: 'captcha' },
      { at: T0 + 200_000, outcome: 'gone_unspecified' },
    ]);
    expect(r.state.verdict).toBe('gone');
    expect(r.state.goneAt).toBe(T0 + 60_000);
    expect(r.events).toEqual(['post.gone:gone_unspecified']);
  });

  it('a transient outcome while unconfirmed keeps asking for the confirmation check', () => {
    const r = run([
      alive(T0),
      { at: T0 + 60_000, outcome: 'removed_by_platform' },
      { at: T0 + 130_000, outcome: 'server_error' },
    ]);
    expect(r.state.verdict).toBe('unconfirmed');
    expect(r.confirmAt).toBe(T0 + 190_000);
  });

  it('an alive observation between two final ones resets the count (a flap is not a deletion)', () => {
    const r = run([
      alive(T0),
      { at: T0 + 60_000, outcome: 'gone_unspecified' },
      alive(T0 + 130_000),
      { at: T0 + 200_000, outcome: 'gone_unspecified' },
    ]);
    expect(r.state.verdict).toBe('unconfirmed');
    expect(r.state.finalStreak).toBe(1);
    expect(r.events).toEqual([]);
  });

  it('takes the most specific cause while confirming', () => {
    const r = run([
      alive(T0),
      { at: T0 + 60_000, outcome: 'gone_unspecified' },
      { at: T0 + 130_000, outcome: 'removed_by_platform' },
    ]);
    expect(r.events).toEqual(['post.gone:removed_by_platform']);
  });

  it('upgrades the cause of a gone target without a second post.gone', () => {
    const r = run([
      alive(T0),
      { at: T0 + 60_000, outcome: 'gone_unspecified' },
      { at: T0 + 130_000, outcome: 'gone_unspecified' },
      { at: T0 + 900_000, outcome: 'removed_by_platform' },
      { at: T0 + 990_000, outcome: 'gone_unspecified' },
    ]);
    expect(r.events).toEqual(['post.gone:gone_unspecified', 'post.cause_changed:removed_by_platform']);
    expect(r.state.cause).toBe('removed_by_platform');
  });

  it('detects an edit by content hash and carries a diff', () => {
    let state = applyObservation(initialState(T0), alive(T0, 'a', '中国投票赞成'), rules).state;
    const t = applyObservation(state, alive(T0 + 60_000, 'b', '中国投票弃权'), rules);
    state = t.state;
    expect(state.editCount).toBe(1);
    expect(t.events[0]!.type).toBe('post.edited');
    expect(t.events[0]!.detail.diffText).toBe('中国投票[-赞成-]{+弃权+}');
    const same = applyObservation(state, alive(T0 + 120_000, 'b', '中国投票弃权'), rules);
    expect(same.events).toEqual([]);
    expect(same.state.editCount).toBe(1);
  });

  it('a partial (truncated listing) alive observation proves life but is never an edit', () => {
    const r = run([
      alive(T0, 'full'),
      { at: T0 + 1000, outcome: 'alive', contentHash: 'truncated', text: '…', partial: true },
    ]);
    expect(r.state.editCount).toBe(0);
    expect(r.state.lastAliveHash).toBe('full');
    expect(r.state.lastAliveAt).toBe(T0 + 1000);
  });

  it('alive after gone is a restore', () => {
    const r = run([
      alive(T0),
      { at: T0 + 60_000, outcome: 'restricted' },
      { at: T0 + 130_000, outcome: 'restricted' },
      alive(T0 + 500_000),
    ]);
    expect(r.events).toEqual(['post.gone:restricted', 'post.restored']);
    expect(r.state.verdict).toBe('alive');
    expect(r.state.cause).toBeNull();
  });

  it('confirmGone 1 makes the first final outcome gone', () => {
    const r = run([alive(T0), { at: T0 + 1, outcome: 'account_gone' }], { confirmGone: 1, confirmAfter: 0 });
    expect(r.events).toEqual(['post.gone:account_gone']);
  });

  describe('an observation older than the state, recorded after a newer one', () => {
    it('an older text is no edit back, and the next newer one no second edit', () => {
      const r = run([
        alive(T0, 'h1', 'v1'),
        alive(T0 + 4000, 'h2', 'v2'),
        alive(T0 + 3000, 'h1', 'v1'),
        alive(T0 + 6000, 'h2', 'v2'),
      ]);
      expect(r.events).toEqual(['post.edited']);
      expect(r.state).toMatchObject({
        lastAliveHash: 'h2',
        lastAliveText: 'v2',
        lastAliveAt: T0 + 6000,
        editCount: 1,
      });
      expect(r.state.observations).toBe(4);
    });

    // A 网易号 article: a listing (title only, partial) fetched after a check is recorded before it.
    const listing = (at: number): ObservationFacts => ({
      at,
      outcome: 'alive',
      contentHash: 'title',
      partial: true,
    });

    it('a check recorded after a later listing still gives the first text, so the next edit is seen', () => {
      const r = run([
        listing(T0),
        listing(T0 + 3000),
        alive(T0 + 2000, 'h1', 'v1'),
        alive(T0 + 5000, 'h2', 'v2'),
      ]);
      expect(r.events).toEqual(['post.edited']);
      expect(r.state).toMatchObject({ lastAliveHash: 'h2', editCount: 1, lastContentAt: T0 + 5000 });
    });

    it('an edited text recorded after a later listing is an edit at once, and the next check no second one', () => {
      const upToEdit = [
        listing(T0),
        alive(T0 + 1000, 'h1', 'v1'),
        listing(T0 + 3000),
        alive(T0 + 2000, 'h2', 'v2'),
      ];
      // At once: the post may go before its next check, which would then never see the text.
      expect(run(upToEdit).events).toEqual(['post.edited']);
      const r = run([...upToEdit, alive(T0 + 5000, 'h2', 'v2')]);
      expect(r.events).toEqual(['post.edited']);
      expect(r.state).toMatchObject({
        verdict: 'alive',
        lastAliveAt: T0 + 5000,
        lastAliveText: 'v2',
        editCount: 1,
      });
    });

    it('a text older than the last text seen is passed over even when a listing came between', () => {
      const r = run([
        alive(T0, 'h1', 'v1'),
        listing(T0 + 1000),
        alive(T0 + 3000, 'h2', 'v2'),
        alive(T0 + 2000, 'h1', 'v1'),
      ]);
      expect(r.events).toEqual(['post.edited']);
      expect(r.state).toMatchObject({
        lastAliveHash: 'h2',
        lastContentAt: T0 + 3000,
        lastAliveAt: T0 + 3000,
      });
    });

    it('the first text, recorded after the edited one, is the edit, seen when the edited text was', () => {
      let state = initialState(T0);
      state = applyObservation(state, alive(T0 + 3000, 'h2', 'v2'), rules).state;
      const t = applyObservation(state, alive(T0 + 1000, 'h1', 'v1'), rules);
      expect(t.events).toMatchObject([
        { type: 'post.edited', at: T0 + 3000, detail: { before: 'v1', after: 'v2' } },
      ]);
      expect(t.state).toMatchObject({ lastAliveText: 'v2', lastContentAt: T0 + 3000, editCount: 1 });
      // Once an edit is known, an older text may be the one it replaced: no second edit.
      expect(applyObservation(t.state, alive(T0 + 500, 'h0', 'v0'), rules).events).toEqual([]);
    });

    it('an edited text older than a final answer is an edit of the gone post, not a restore', () => {
      const r = run([
        alive(T0, 'h1', 'v1'),
        { at: T0 + 120_000, outcome: 'deleted_by_author' },
        { at: T0 + 180_000, outcome: 'deleted_by_author' },
        alive(T0 + 100_000, 'h2', 'v2'),
      ]);
      expect(r.events).toEqual(['post.gone:deleted_by_author', 'post.edited']);
      expect(r.state).toMatchObject({ verdict: 'gone', lastAliveAt: T0, lastAliveText: 'v2', editCount: 1 });
    });

    it('an older alive is no restore of a gone post', () => {
      const gone = [
        alive(T0),
        { at: T0 + 120_000, outcome: 'deleted_by_author' as const },
        { at: T0 + 180_000, outcome: 'deleted_by_author' as const },
      ];
      const r = run([...gone, alive(T0 + 100_000)]);
      expect(r.events).toEqual(['post.gone:deleted_by_author']);
      expect(r.state).toMatchObject({ verdict: 'gone', lastAliveAt: T0 });
    });

    it('an older alive keeps an unconfirmed post waiting for its confirmation', () => {
      const r = run([alive(T0), { at: T0 + 120_000, outcome: 'removed_by_platform' }, alive(T0 + 100_000)]);
      expect(r.state.verdict).toBe('unconfirmed');
      expect(r.confirmAt).toBe(T0 + 180_000);
    });

    it('a final answer older than an alive one starts no confirmation; an older final of a gone post still names the cause', () => {
      const r = run([alive(T0), alive(T0 + 200_000), { at: T0 + 120_000, outcome: 'removed_by_platform' }]);
      expect(r.state.verdict).toBe('alive');
      expect(r.confirmAt).toBeNull();
      const g = run([
        alive(T0),
        { at: T0 + 120_000, outcome: 'gone_unspecified' },
        { at: T0 + 180_000, outcome: 'gone_unspecified' },
        { at: T0 + 150_000, outcome: 'removed_by_platform' },
      ]);
      expect(g.events).toEqual(['post.gone:gone_unspecified', 'post.cause_changed:removed_by_platform']);
    });
  });
});

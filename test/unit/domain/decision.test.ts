import type { KnownComment } from '../../../src/domain/comments';
import {
  decideObservation,
  eventDedupeKey,
  type DecisionOptions,
  type KnownTarget,
  type ObservationContext,
  type ObservationDecision,
  type ObservationSnapshot,
  type PlannedEvent,
} from '../../../src/domain/decision';
import type { CommentSnapshot, Content, Observation, Outcome, TargetRef } from '../../../src/domain/glossary';
import { contentHash } from '../../../src/domain/hash';
import { nextLadderCheck } from '../../../src/domain/ladder';
import { checkAfterSighting } from '../../../src/domain/sighting';
import { initialState } from '../../../src/domain/verdict';

const T0 = Date.UTC(2024, 0, 10, 2, 0, 0);
const MIN = 60_000;
const rules = { ladder: [MIN, 5 * MIN, 60 * MIN], jitter: 0, confirmGone: 2, confirmAfter: MIN };
const opts: DecisionOptions = { rules, random: () => 0.5 };
const POST: TargetRef = { platform: 'weibo', kind: 'post', id: '4383000000000001' };
const THREAD: TargetRef = { ...POST, kind: 'thread' };
const ROW = 7;

const content = (text: string, extra: Partial<Content> = {}): Content => ({
  html: text,
  text,
  author: { id: '1001', name: 'author' },
  createdAt: new Date(T0 - 10 * MIN).toISOString(),
  counts: { reposts: null, comments: null, likes: null },
  media: [],
  repostOf: null,
  editCount: null,
  ...extra,
});

const seen = (
  at: number,
  outcome: Outcome,
  text = 'first text',
  extra: Partial<Observation> = {},
): Observation => ({
  target: POST,
  at,
  endpoint: 'm.statuses.show',
  outcome,
  url: `https://m.weibo.cn/detail/${POST.id}`,
  ...(outcome === 'alive' ? { content: content(text) } : {}),
  evidence: {
    status: 200,
    url: 'u',
    finalUrl: 'u',
    contentType: 'text/html',
    body: Buffer.from(`<html>${text}</html>`),
  },
  ...extra,
});

const check: ObservationContext = { watchIds: ['w'], via: 'check' };
const keyword: ObservationContext = { watchIds: ['w'], via: 'keyword:联合国' };

/** Feeds a decision's state back as the stored row, the way a commit leaves it. */
function after(prev: KnownTarget, d: ObservationDecision): KnownTarget {
  return {
    ...prev,
    state: d.state,
    nextCheckAt: d.save.nextCheckAt,
    createdAt: d.save.createdAt ?? prev.createdAt,
  };
}

function stored(over: Partial<KnownTarget> = {}): KnownTarget {
  return {
    rowId: ROW,
    url: `https://m.weibo.cn/detail/${POST.id}`,
    state: initialState(T0),
    createdAt: null,
    nextCheckAt: T0,
    unlistedAt: null,
    unlistedReported: false,
    ...over,
  };
}

const snap = (target: KnownTarget | null, watches: string[] = ['w']): ObservationSnapshot => ({
  target,
  watches,
});
const types = (events: readonly PlannedEvent[]) => events.map((e) => e.type);
const keys = (e: PlannedEvent) => e.watchIds.map((w) => eventDedupeKey(e, ROW, w));

/** Runs observations one after another through the decision, as the recorder does. */
function run(observations: readonly [Observation, ObservationContext][], start = stored()) {
  let row = start;
  const decisions: ObservationDecision[] = [];
  for (const [obs, ctx] of observations) {
    const d = decideObservation(snap(row), obs, ctx, opts);
    decisions.push(d);
    row = after(row, d);
  }
  return { row, decisions };
}

describe('decideObservation', () => {
  it('first alive from a listing: creates and links the target, tells post.discovered, keeps the content and body', () => {
    const obs = seen(T0, 'alive');
    const d = decideObservation(snap(null, []), obs, { ...keyword, dedupeKey: 'r1#0' }, opts);
    expect(d.create).toEqual({ url: obs.url, at: T0 });
    expect(d.link).toEqual({ watchIds: ['w'], via: 'keyword:联合国', at: T0 });
    expect(d.discovered?.type).toBe('post.discovered');
    expect(d.discovered?.detail).toEqual({ via: 'keyword:联合国', url: obs.url });
    expect(keys(d.discovered!)).toEqual([`discovered:${ROW}:post.discovered:w`]);
    expect(d.observation.content?.text).toBe('first text');
    expect(d.observation.contentHash).toBe(contentHash(obs.content!));
    expect(d.observation.keepBody).toBe(true);
    expect(d.observation.dedupeKey).toBe('r1#0');
    expect(d.state.verdict).toBe('alive');
    expect(d.events).toEqual([]);
    // Listings give coarse times only: the creation time waits for the target's own check.
    expect(d.save.createdAt).toBeNull();
    expect(d.save.nextCheckAt).toBe(T0 + MIN);
    expect(d.threads).toEqual([]);
  });

  it('a post that joins a comment-tracking watch gets its thread, unless it is first seen gone', () => {
    const tracking = { ...opts, commentWatches: ['w'] };
    const alive = decideObservation(snap(null, []), seen(T0, 'alive'), keyword, tracking);
    expect(alive.threads).toEqual([
      { ref: THREAD, url: '', watchIds: ['w'], via: `thread-of:${POST.id}`, at: T0 },
    ]);
    const gone = decideObservation(snap(null, []), seen(T0, 'deleted_by_author'), keyword, tracking);
    expect(gone.threads).toEqual([]);
    const elsewhere = decideObservation(snap(null, []), seen(T0, 'alive'), keyword, {
      ...opts,
      commentWatches: ['other'],
    });
    expect(elsewhere.threads).toEqual([]);
  });

  it('a known target in its watches already: no link, no discovery', () => {
    const d = decideObservation(snap(stored()), seen(T0, 'alive'), check, opts);
    expect(d.create).toBeNull();
    expect(d.link.watchIds).toEqual([]);
    expect(d.discovered).toBeNull();
  });

  it('an own check records the precise creation time and the author', () => {
    const d = decideObservation(snap(stored()), seen(T0, 'alive'), check, opts);
    expect(d.save.createdAt).toBe(T0 - 10 * MIN);
    expect(d.save.authorId).toBe('1001');
  });

  it('an edit emits post.edited keyed by the observation count, and keeps the new content', () => {
    const { decisions } = run([
      [seen(T0, 'alive', 'first text'), check],
      [seen(T0 + MIN, 'alive', 'first text'), check],
      [seen(T0 + 6 * MIN, 'alive', 'second text'), check],
    ]);
    const [, same, edit] = decisions;
    expect(same!.events).toEqual([]);
    expect(same!.observation.content).toBeNull();
    expect(same!.observation.keepBody).toBe(false);
    expect(types(edit!.events)).toEqual(['post.edited']);
    expect(edit!.events[0]!.detail.before).toBe('first text');
    expect(edit!.events[0]!.detail.after).toBe('second text');
    expect(keys(edit!.events[0]!)).toEqual([`${ROW}:3:post.edited:w`]);
    expect(edit!.observation.content?.text).toBe('second text');
    expect(edit!.observation.keepBody).toBe(true);
    expect(edit!.state.editCount).toBe(1);
  });

  it('gone only after confirmGone final outcomes confirmAfter apart, the confirmation asked for in between', () => {
    const { decisions } = run([
      [seen(T0, 'alive'), check],
      [seen(T0 + 3 * MIN, 'deleted_by_author'), check],
      [seen(T0 + 3 * MIN + 20_000, 'deleted_by_author'), check],
      [seen(T0 + 4 * MIN, 'deleted_by_author'), check],
    ]);
    const [, first, tooSoon, confirmed] = decisions;
    expect(first!.state.verdict).toBe('unconfirmed');
    expect(first!.events).toEqual([]);
    expect(first!.save.nextCheckAt).toBe(T0 + 4 * MIN);
    expect(first!.noteworthy).toBe(true);
    expect(tooSoon!.state.verdict).toBe('unconfirmed');
    expect(tooSoon!.state.finalStreak).toBe(1);
    expect(confirmed!.state.verdict).toBe('gone');
    expect(types(confirmed!.events)).toEqual(['post.gone']);
    expect(confirmed!.events[0]!.cause).toBe('deleted_by_author');
    expect(confirmed!.events[0]!.detail.window).toEqual([T0, T0 + 3 * MIN]);
    // A final outcome's body is kept: it is the evidence of the deletion.
    expect(confirmed!.observation.keepBody).toBe(true);
  });

  it('a transient outcome between two final ones neither resets nor advances the confirmation', () => {
    const { decisions } = run([
      [seen(T0, 'alive'), check],
      [seen(T0 + 3 * MIN, 'removed_by_platform'), check],
      [seen(T0 + 3 * MIN + 30_000, 'rate_limited'), { ...check, retryAfter: 10_000 }],
      [seen(T0 + 5 * MIN, 'removed_by_platform'), check],
    ]);
    const [, , transient, second] = decisions;
    expect(transient!.state.verdict).toBe('unconfirmed');
    expect(transient!.state.finalStreak).toBe(1);
    expect(transient!.state.goneAt).toBe(T0 + 3 * MIN);
    expect(transient!.events).toEqual([]);
    // Retried after the platform's backoff, sooner than the confirmation.
    expect(transient!.save.nextCheckAt).toBe(T0 + 3 * MIN + 40_000);
    expect(second!.state.verdict).toBe('gone');
    expect(second!.state.goneAt).toBe(T0 + 3 * MIN);
    expect(types(second!.events)).toEqual(['post.gone']);
  });

  it('a more specific cause later is post.cause_changed, not a second post.gone', () => {
    const { decisions } = run([
      [seen(T0, 'alive'), check],
      [seen(T0 + 3 * MIN, 'gone_unspecified'), check],
      [seen(T0 + 4 * MIN, 'gone_unspecified'), check],
      [seen(T0 + 9 * MIN, 'removed_by_platform'), check],
      [seen(T0 + 20 * MIN, 'gone_unspecified'), check],
    ]);
    const [, , gone, upgraded, vaguer] = decisions;
    expect(types(gone!.events)).toEqual(['post.gone']);
    expect(types(upgraded!.events)).toEqual(['post.cause_changed']);
    expect(upgraded!.events[0]!.cause).toBe('removed_by_platform');
    expect(upgraded!.events[0]!.detail).toEqual({ from: 'gone_unspecified', to: 'removed_by_platform' });
    expect(upgraded!.state.cause).toBe('removed_by_platform');
    expect(vaguer!.events).toEqual([]);
    expect(vaguer!.state.cause).toBe('removed_by_platform');
  });

  it('alive after gone is post.restored', () => {
    const { decisions } = run([
      [seen(T0, 'alive'), check],
      [seen(T0 + 3 * MIN, 'deleted_by_author'), check],
      [seen(T0 + 4 * MIN, 'deleted_by_author'), check],
      [seen(T0 + 9 * MIN, 'alive'), check],
    ]);
    const restored = decisions[3]!;
    expect(types(restored.events)).toEqual(['post.restored']);
    expect(restored.events[0]!.detail).toEqual({ goneAt: T0 + 3 * MIN, cause: 'deleted_by_author' });
    expect(restored.state.verdict).toBe('alive');
  });

  describe('a listing sighting', () => {
    // Checked directly at T0 (creation time known); its next check is due at T0 + 6 min.
    const checked = (): KnownTarget => {
      const d = decideObservation(snap(stored()), seen(T0, 'alive', 'first text'), check, opts);
      return { ...after(stored(), d), nextCheckAt: T0 + 6 * MIN };
    };
    const listed = (at: number, c: Content): Observation => ({
      target: POST,
      at,
      endpoint: 'm.search',
      outcome: 'alive',
      content: c,
    });

    it('showing the content last seen alive, late in the rung, stands in for the check', () => {
      const row = checked();
      const d = decideObservation(snap(row), listed(T0 + 5 * MIN, content('first text')), keyword, opts);
      const expected = checkAfterSighting(
        { firstSeenAt: T0, nextCheckAt: T0 + 6 * MIN, checkedDirectly: true, confirming: false },
        T0 + 5 * MIN,
        rules,
        () => 0.5,
      );
      expect(expected).not.toBeNull();
      expect(d.save.nextCheckAt).toBe(expected);
      expect(d.save.nextCheckAt).toBeGreaterThan(T0 + 6 * MIN);
      expect(d.events).toEqual([]);
    });

    it('showing changed content tells the edit and leaves the check where it is', () => {
      const row = checked();
      const d = decideObservation(snap(row), listed(T0 + 5 * MIN, content('second text')), keyword, opts);
      expect(types(d.events)).toEqual(['post.edited']);
      expect(d.save.nextCheckAt).toBe(T0 + 6 * MIN);
    });

    it('without the text (a NetEase listing: title only, truncated) leaves the check where it is', () => {
      const row = checked();
      const d = decideObservation(
        snap(row),
        listed(T0 + 5 * MIN, content('', { title: 'Title', truncated: true })),
        keyword,
        opts,
      );
      expect(d.events).toEqual([]);
      expect(d.state.lastAliveHash).toBe(row.state.lastAliveHash);
      expect(d.save.nextCheckAt).toBe(T0 + 6 * MIN);
    });

    it('with listingChecks off leaves the check where it is', () => {
      const row = checked();
      const off = { ...opts, rules: { ...rules, listingChecks: false } };
      const d = decideObservation(snap(row), listed(T0 + 5 * MIN, content('first text')), keyword, off);
      expect(d.save.nextCheckAt).toBe(T0 + 6 * MIN);
    });

    it('never moves a check later before the target had its own check', () => {
      const row = stored({ nextCheckAt: T0 + MIN });
      const d = decideObservation(snap(row), listed(T0 + 30_000, content('first text')), keyword, opts);
      expect(d.save.nextCheckAt).toBe(T0 + MIN);
      expect(d.save.nextCheckAt).toBe(
        Math.min(
          nextLadderCheck(T0, T0 + 30_000, rules, () => 0.5),
          T0 + MIN,
        ),
      );
    });
  });

  describe('timeline presence', () => {
    const missing = (reported: boolean) =>
      stored({
        unlistedAt: T0 + 2 * MIN,
        unlistedReported: reported,
        state: { ...initialState(T0), verdict: 'alive' },
      });

    it('a post missing from its timeline but found alive by a check is told once as post.unlisted', () => {
      const d = decideObservation(snap(missing(false)), seen(T0 + 3 * MIN, 'alive'), check, opts);
      expect(d.unlisted).toBe('reported');
      expect(types(d.events)).toEqual(['post.unlisted']);
      expect(d.events[0]!.detail).toEqual({
        missingSince: T0 + 2 * MIN,
        stillReachableAt: T0 + 3 * MIN,
        url: `https://m.weibo.cn/detail/${POST.id}`,
      });
      expect(keys(d.events[0]!)).toEqual([`unlisted:${ROW}:${T0 + 2 * MIN}:post.unlisted:w`]);
      const again = decideObservation(snap(missing(true)), seen(T0 + 4 * MIN, 'alive'), check, opts);
      expect(again.unlisted).toBeNull();
      expect(again.events).toEqual([]);
    });

    it('listed on the timeline again clears the absence; another listing or a gone check leaves it', () => {
      const account = { watchIds: ['w'], via: 'account:1001' };
      expect(
        decideObservation(snap(missing(true)), seen(T0 + 3 * MIN, 'alive'), account, opts).unlisted,
      ).toBe('listed');
      expect(
        decideObservation(snap(missing(false)), seen(T0 + 3 * MIN, 'alive'), keyword, opts).unlisted,
      ).toBeNull();
      expect(
        decideObservation(snap(missing(false)), seen(T0 + 3 * MIN, 'deleted_by_author'), check, opts)
          .unlisted,
      ).toBeNull();
    });
  });

  describe('a thread', () => {
    const comment = (id: string, min: number, deleted = false): CommentSnapshot => ({
      id,
      text: `comment ${id}`,
      author: `nick${id}`,
      location: null,
      createdAt: new Date(T0 + min * MIN).toISOString(),
      deleted,
    });
    const known = (id: string, min: number): KnownComment => ({
      id,
      author: `nick${id}`,
      location: null,
      text: `comment ${id}`,
      createdAt: T0 + min * MIN,
      firstSeenAt: T0 + 10 * MIN,
      lastSeenAt: T0 + 20 * MIN,
      goneAt: null,
    });
    const threadObs = (items: CommentSnapshot[], flags?: Record<string, boolean>): Observation => ({
      target: THREAD,
      at: T0 + 30 * MIN,
      endpoint: 'netease.comments',
      outcome: 'alive',
      comments: { items, complete: true, ...(flags ? { flags } : {}) },
    });
    const threadSnap = (k: KnownComment[], flags: Record<string, boolean> | null): ObservationSnapshot => ({
      target: stored({ state: { ...initialState(T0), verdict: 'alive', lastAliveHash: 'x' } }),
      watches: ['w'],
      thread: { known: k, flags },
    });

    it('tells comment.gone for a known comment missing from a complete list or marked deleted', () => {
      const d = decideObservation(
        threadSnap([known('1', 1), known('2', 2), known('3', 3)], null),
        threadObs([comment('3', 3), comment('2', 2, true)]),
        check,
        opts,
      );
      expect(d.comments!.upserts.map((c) => c.id)).toEqual(['3', '2']);
      const gone = d.comments!.gone;
      expect(gone.map((g) => [g.commentId, g.event.detail.reason])).toEqual([
        ['1', 'missing'],
        ['2', 'deleted'],
      ]);
      expect(gone[0]!.event.detail.window).toEqual([T0 + 20 * MIN, T0 + 30 * MIN]);
      expect(keys(gone[0]!.event)).toEqual([`comment-gone:${ROW}:1:comment.gone:w`]);
      expect(d.comments!.closed).toBeNull();
      // A thread's changing list is never an edit.
      expect(d.events).toEqual([]);
    });

    it('tells thread.closed when a status flag turned off, and stores the flags', () => {
      const d = decideObservation(
        threadSnap([], { web: true, app: true }),
        threadObs([], { web: true, app: false }),
        check,
        opts,
      );
      expect(d.comments!.closed?.type).toBe('thread.closed');
      expect(d.comments!.closed?.detail).toEqual({
        flags: ['app'],
        before: { web: true, app: true },
        after: { web: true, app: false },
      });
      expect(keys(d.comments!.closed!)).toEqual([`thread-closed:${ROW}:${T0 + 30 * MIN}:thread.closed:w`]);
      expect(d.comments!.flags).toEqual({ web: true, app: false });
      const first = decideObservation(
        threadSnap([], null),
        threadObs([], { web: true, app: false }),
        check,
        opts,
      );
      expect(first.comments!.closed).toBeNull();
    });
  });

  it('is the same decision, dedupe keys included, when a result is delivered twice', () => {
    const row = stored({
      state: { ...initialState(T0), verdict: 'unconfirmed', finalStreak: 1, lastFinalAt: T0, goneAt: T0 },
    });
    const obs = seen(T0 + 2 * MIN, 'deleted_by_author');
    const ctx = { ...check, dedupeKey: 'c-7-1#0' };
    const a = decideObservation(snap(row), obs, ctx, opts);
    const b = decideObservation(snap(row), obs, ctx, opts);
    expect(a.observation.dedupeKey).toBe('c-7-1#0');
    expect(types(a.events)).toEqual(['post.gone']);
    expect(a.events.flatMap(keys)).toEqual(b.events.flatMap(keys));
    expect(a.events.flatMap(keys)).toEqual([`${ROW}:${row.state.observations + 1}:post.gone:w`]);
  });

  it('tells an event once per watch, sorted, including watches joined now', () => {
    const d = decideObservation(
      snap(
        stored({
          state: { ...initialState(T0), lastAliveHash: 'old', lastAliveText: 'old', verdict: 'alive' },
        }),
        ['z'],
      ),
      seen(T0 + MIN, 'alive', 'new'),
      { watchIds: ['z', 'a'], via: 'embedded-in:1' },
      opts,
    );
    expect(d.link.watchIds).toEqual(['a']);
    expect(d.discovered!.watchIds).toEqual(['a']);
    expect(d.events[0]!.watchIds).toEqual(['a', 'z']);
  });

  it.each([
    ['in order', ['a', 'b'], ['c', 'd'], ['c', 'd'], ['a', 'b', 'c', 'd']],
    ['out of order and repeated', ['b', 'a', 'b'], ['d', 'c', 'd', 'a'], ['d', 'c'], ['a', 'b', 'c', 'd']],
    ['all known already, stored out of order', ['b', 'a', 'a'], ['a', 'b'], [], ['a', 'b']],
    ['equal neighbours in an otherwise sorted list', ['a', 'a'], ['b', 'b'], ['b'], ['a', 'b']],
  ])(
    'watch lists %s: each joined once in the order given, events to each watch once, sorted',
    (_n, known, given, linked, all) => {
      const d = decideObservation(
        snap(
          stored({
            state: { ...initialState(T0), lastAliveHash: 'old', lastAliveText: 'old', verdict: 'alive' },
          }),
          known,
        ),
        seen(T0 + MIN, 'alive', 'new'),
        { watchIds: given, via: 'embedded-in:1' },
        opts,
      );
      expect(d.link.watchIds).toEqual(linked);
      expect(d.events.map((e) => e.watchIds)).toEqual([all]);
    },
  );
});

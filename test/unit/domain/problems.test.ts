import {
  DEFAULT_PROBLEM_RULES,
  NO_PROBLEM,
  noteCheck,
  noteRound,
  type ProblemStep,
  type ProblemTrack,
  type RoundSeen,
} from '../../../src/domain/problems';
import type { Outcome } from '../../../src/domain/glossary';

const MIN = 60_000;
const T0 = Date.UTC(2026, 11, 1, 8);

/** Feeds rounds in order; returns every step. */
function rounds(seen: readonly Partial<RoundSeen>[], start: ProblemTrack = NO_PROBLEM): ProblemStep[] {
  const steps: ProblemStep[] = [];
  let track = start;
  for (const r of seen) {
    const step = noteRound(track, {
      at: T0,
      subject: 'keyword',
      outcome: 'empty',
      evidence: true,
      blocked: false,
      ...r,
    });
    steps.push(step);
    track = step.track;
  }
  return steps;
}

const onsets = (steps: readonly ProblemStep[]): (string | null)[] => steps.map((s) => s.onset?.kind ?? null);

describe('keyword that keeps returning nothing', () => {
  it('opens after 3 empty rounds spanning 30 minutes, once, with the streak start', () => {
    const steps = rounds([0, 10, 20, 30, 40].map((m) => ({ at: T0 + m * MIN })));
    // Three rounds by minute 20 but only 20 minutes apart: the fourth (minute 30) opens it.
    expect(onsets(steps)).toEqual([null, null, null, 'keyword_empty', null]);
    expect(steps[3]!.onset).toEqual({ kind: 'keyword_empty', since: T0, count: 4 });
    expect(steps[4]!.track.open).toEqual({ kind: 'keyword_empty', since: T0 });
  });

  it('needs 3 rounds even when they are hours apart', () => {
    const steps = rounds([0, 120].map((m) => ({ at: T0 + m * MIN })));
    expect(onsets(steps)).toEqual([null, null]);
    expect(steps[1]!.track.streak).toEqual({ kind: 'keyword_empty', count: 2, since: T0 });
  });

  it('a result resets the streak; a transient round neither advances nor resets it', () => {
    const steps = rounds([
      { at: T0 },
      { at: T0 + 10 * MIN },
      { at: T0 + 20 * MIN, outcome: 'results' },
      { at: T0 + 30 * MIN },
      { at: T0 + 40 * MIN, outcome: 'network_error' },
      { at: T0 + 50 * MIN, outcome: 'rate_limited' },
      { at: T0 + 60 * MIN },
      { at: T0 + 70 * MIN },
    ]);
    expect(onsets(steps)).toEqual([null, null, null, null, null, null, null, 'keyword_empty']);
    expect(steps[7]!.onset).toEqual({ kind: 'keyword_empty', since: T0 + 30 * MIN, count: 3 });
  });

  it('is not a watch problem while the search counts as blocked (search.blocked tells it)', () => {
    const steps = rounds([0, 10, 20, 30, 40].map((m) => ({ at: T0 + m * MIN, blocked: true })));
    expect(onsets(steps)).toEqual([null, null, null, null, null]);
    expect(steps[4]!.track).toEqual(NO_PROBLEM);
  });

  it('clears on a later result, and a second onset comes after a new streak', () => {
    const steps = rounds([
      ...[0, 10, 20, 30].map((m) => ({ at: T0 + m * MIN })),
      { at: T0 + 40 * MIN, outcome: 'results' },
      ...[50, 60, 70, 80].map((m) => ({ at: T0 + m * MIN })),
    ]);
    expect(onsets(steps)).toEqual([
      null,
      null,
      null,
      'keyword_empty',
      null,
      null,
      null,
      null,
      'keyword_empty',
    ]);
    expect(steps[4]!.cleared).toBe('keyword_empty');
    expect(steps[4]!.track).toEqual(NO_PROBLEM);
    expect(steps.filter((s) => s.cleared !== null)).toHaveLength(1);
  });

  it('a withholding notice is an answer, not emptiness', () => {
    const steps = rounds([0, 10, 20, 30].map((m) => ({ at: T0 + m * MIN, outcome: 'withheld' })));
    expect(onsets(steps)).toEqual([null, null, null, null]);
  });
});

describe('account that cannot be resolved', () => {
  const account = { subject: 'account' as const, outcome: 'unparseable', evidence: false };

  it('opens on the first round that could not fetch a timeline', () => {
    const steps = rounds([
      { ...account, at: T0 },
      { ...account, at: T0 + 10 * MIN },
    ]);
    expect(onsets(steps)).toEqual(['account_unresolved', null]);
    expect(steps[0]!.onset).toEqual({ kind: 'account_unresolved', since: T0, count: 1 });
  });

  it('an unparseable timeline page that was kept is a parsing problem, not an unresolved account', () => {
    const steps = rounds([0, 10, 20].map((m) => ({ ...account, evidence: true, at: T0 + m * MIN })));
    expect(onsets(steps)).toEqual([null, null, null]);
  });

  it('an empty timeline is an answer: it clears the problem', () => {
    const steps = rounds([
      { ...account, at: T0 },
      { subject: 'account', outcome: 'empty', at: T0 + 10 * MIN },
    ]);
    expect(steps[1]!.cleared).toBe('account_unresolved');
    expect(steps[1]!.onset).toBeNull();
  });
});

describe('login wall', () => {
  it('opens after 2 login rounds, for keywords and accounts alike', () => {
    for (const subject of ['keyword', 'account'] as const) {
      const steps = rounds(
        [0, 10, 20].map((m) => ({ subject, outcome: 'login_required', at: T0 + m * MIN })),
      );
      expect(onsets(steps)).toEqual([null, 'login_wall', null]);
    }
  });

  it('replaces an open keyword problem once it is ripe itself', () => {
    const empty = rounds([0, 10, 20, 30].map((m) => ({ at: T0 + m * MIN })));
    const start = empty[3]!.track;
    const steps = rounds(
      [40, 50].map((m) => ({ outcome: 'login_required', at: T0 + m * MIN })),
      start,
    );
    // The first login round keeps the keyword problem open; the second opens the login wall.
    expect(steps[0]!.track.open?.kind).toBe('keyword_empty');
    expect(steps[0]!.cleared).toBeNull();
    expect(steps[1]!.onset?.kind).toBe('login_wall');
    expect(steps[1]!.cleared).toBe('keyword_empty');
  });
});

describe('configured URL that keeps failing', () => {
  function checks(outcomes: readonly Outcome[], everAnswered = false, everyMin = 10): ProblemStep[] {
    let track = NO_PROBLEM;
    return outcomes.map((outcome, i) => {
      const step = noteCheck(track, { at: T0 + i * everyMin * MIN, outcome }, everAnswered);
      track = step.track;
      return step;
    });
  }

  it('opens after 5 transient checks over 30 minutes, never alive', () => {
    const steps = checks([
      'network_error',
      'server_error',
      'unparseable',
      'captcha',
      'rate_limited',
      'unparseable',
    ]);
    expect(onsets(steps)).toEqual([null, null, null, null, 'url_failing', null]);
    expect(steps[4]!.onset).toEqual({ kind: 'url_failing', since: T0, count: 5 });
  });

  it('quick retries alone do not open it before 30 minutes', () => {
    const steps = checks(Array<Outcome>(20).fill('network_error'), false, 1);
    expect(onsets(steps).filter((k) => k !== null)).toEqual([]);
    expect(steps[19]!.track.streak?.count).toBe(20);
  });

  it('a stated absence or an alive check ends it (a gone post is not a watch problem)', () => {
    const steps = checks([
      'network_error',
      'network_error',
      'network_error',
      'network_error',
      'gone_unspecified',
    ]);
    expect(steps[4]!.track).toEqual(NO_PROBLEM);
    const open = checks([...Array<Outcome>(5).fill('server_error'), 'alive']);
    expect(open[4]!.onset?.kind).toBe('url_failing');
    expect(open[5]!.cleared).toBe('url_failing');
  });

  it('a URL that answered once is never one', () => {
    const steps = checks(Array<Outcome>(8).fill('server_error'), true);
    expect(onsets(steps).filter((k) => k !== null)).toEqual([]);
  });

  it('uses the documented defaults', () => {
    expect(DEFAULT_PROBLEM_RULES).toEqual({
      emptyRounds: 3,
      emptySpan: 30 * MIN,
      loginRounds: 2,
      failingChecks: 5,
      failingSpan: 30 * MIN,
    });
  });
});

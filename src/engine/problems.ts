/**
 * The problem hook: after a discovery round or a check is recorded, asks the problem rules
 * (src/domain/problems.ts) whether a configured keyword, account or post URL has a problem, and
 * commits the answer (the rules' state, and a `watch.problem` event per onset) in the same
 * transaction as the result.
 */
import type { Logger } from 'pino';
import type { Observation, Platform } from '../domain/glossary';
import {
  DEFAULT_PROBLEM_RULES,
  noteCheck,
  noteRound,
  type ProblemKind,
  type ProblemOnset,
  type ProblemRules,
  type ProblemStep,
  type ProblemSubject,
  type ProblemTrack,
} from '../domain/problems';
import { ProblemStore, type ProblemKey } from '../store/problems';
import type { SourceRow, Store, TargetRow } from '../store/store';
import type { FetchedPage } from './work';
import type { RecordedEvent } from './recorder';

/** What a researcher can do about each kind of problem, per platform where it differs. */
export function problemHint(kind: ProblemKind, platform: Platform): string {
  switch (kind) {
    case 'account_unresolved':
      return platform === 'weibo'
        ? 'configure the account as its numeric uid or its weibo.com/u/<uid> URL'
        : "configure the account's home page URL (https://www.163.com/dy/media/T….html), its T… id or one of its article URLs";
    case 'keyword_empty':
      return platform === 'weibo'
        ? 'the search found nothing: check the spelling, or use fewer words (Weibo matches every word)'
        : 'the search found nothing: check the spelling, or use fewer words';
    case 'login_wall':
      return platform === 'weibo'
        ? 'the platform asks to log in: run `censorwatch login` or set platforms.weibo.cookie'
        : 'the platform asks to log in: set a logged-in cookie for it';
    case 'url_failing':
      return 'no check has reached the post yet: open the URL in a browser; `censorwatch status` shows what the checks got';
  }
}

/** One line saying what is wrong, for logs, alerts and status. */
export function describeProblem(p: {
  readonly kind: ProblemKind;
  readonly subject: ProblemSubject;
  readonly platform: Platform;
  readonly query: string;
  readonly count: number;
}): string {
  const what = p.subject === 'url' ? p.query : `${p.subject} "${p.query}"`;
  switch (p.kind) {
    case 'account_unresolved':
      return `${p.platform} ${what} cannot be resolved`;
    case 'keyword_empty':
      return `${p.platform} ${what} returned nothing in ${p.count} rounds`;
    case 'login_wall':
      return `${p.platform} ${what} hits a login wall (${p.count} rounds)`;
    case 'url_failing':
      return `${p.platform} ${what} failed ${p.count} checks, never seen alive`;
  }
}

function isClear(t: ProblemTrack): boolean {
  return t.streak === null && t.open === null;
}

/** Applies the problem rules to recorded results; see the module comment. */
export class ProblemHook {
  private readonly problems: ProblemStore;

  constructor(
    private readonly store: Store,
    private readonly logger: Logger,
    private readonly rules: ProblemRules = DEFAULT_PROBLEM_RULES,
  ) {
    this.problems = new ProblemStore(store);
  }

  /** After a discovery round of `source` was recorded (its first page decides). */
  afterRound(source: SourceRow, pages: readonly FetchedPage[]): RecordedEvent[] {
    const first = pages[0];
    if (!first) return [];
    const { listing, at } = first;
    const blocked = this.store.getSource(source.id)?.blocked ?? source.blocked;
    const key = { sourceId: source.id };
    const before = this.problems.track(key);
    const step = noteRound(
      before,
      {
        at,
        subject: source.mode,
        outcome: listing.outcome,
        evidence: listing.evidence !== undefined,
        blocked,
      },
      this.rules,
    );
    const subject = { subject: source.mode, platform: source.platform, query: source.query };
    return this.commit(
      key,
      before,
      step,
      at,
      listing.message ?? null,
      subject,
      [source.watchId],
      null,
      listing.outcome,
    );
  }

  /**
   * After a check of `target` (its row as it was before the check) was recorded. `configuredIn`:
   * the watches it is configured in as a post, when read with the row in this transaction.
   */
  afterCheck(
    target: TargetRow,
    observations: readonly Observation[],
    configuredIn?: readonly string[],
  ): RecordedEvent[] {
    const own = observations[0];
    if (!own || target.kind !== 'post') return [];
    const watches = configuredIn ?? this.problems.configuredIn(target.rowId);
    if (watches.length === 0) return [];
    const key = { targetRowId: target.rowId };
    const before = this.problems.track(key);
    const step = noteCheck(
      before,
      { at: own.at, outcome: own.outcome },
      target.state.verdict !== 'unknown',
      this.rules,
    );
    const subject = {
      subject: 'url' as const,
      platform: target.platform,
      query: target.url || own.url || target.id,
    };
    return this.commit(key, before, step, own.at, own.message ?? null, subject, watches, target, own.outcome);
  }

  private commit(
    key: ProblemKey,
    before: ProblemTrack,
    step: ProblemStep,
    at: number,
    message: string | null,
    s: { subject: ProblemSubject; platform: Platform; query: string },
    watches: readonly string[],
    target: TargetRow | null,
    lastOutcome: string,
  ): RecordedEvent[] {
    const failed = step.track.streak !== null;
    // A healthy item stays healthy on almost every result: rewriting its row would only move
    // updated_at, at the cost of a write per check.
    const unchanged = isClear(before) && isClear(step.track) && step.cleared === null && !step.onset;
    if (!unchanged) this.problems.save(key, step.track, at, failed ? message : null, step.cleared !== null);
    if (step.cleared !== null)
      this.logger.info(
        { problem: step.cleared, platform: s.platform, [s.subject]: s.query, watches },
        'watch problem cleared',
      );
    return step.onset ? this.emit(key, step.onset, at, message, s, watches, target, lastOutcome) : [];
  }

  private emit(
    key: ProblemKey,
    onset: ProblemOnset,
    at: number,
    message: string | null,
    s: { subject: ProblemSubject; platform: Platform; query: string },
    watches: readonly string[],
    target: TargetRow | null,
    lastOutcome: string,
  ): RecordedEvent[] {
    const detail = {
      problem: onset.kind,
      subject: s.subject,
      query: s.query,
      since: onset.since,
      count: onset.count,
      lastOutcome,
      message,
      summary: describeProblem({ ...s, kind: onset.kind, count: onset.count }),
      hint: problemHint(onset.kind, s.platform),
    };
    const keyword = s.subject === 'keyword' ? s.query : null;
    const out: RecordedEvent[] = [];
    for (const watch of watches) {
      const id = this.store.insertEvent({
        type: 'watch.problem',
        at,
        watchId: watch,
        platform: s.platform,
        targetRowId: target?.rowId ?? null,
        nativeId: target?.id ?? null,
        keyword,
        cause: null,
        detail,
        dedupeKey: `problem:${'sourceId' in key ? `s${key.sourceId}` : `t${key.targetRowId}`}:${onset.kind}:${onset.since}:${watch}`,
      });
      if (id === null) continue;
      out.push({
        id,
        type: 'watch.problem',
        at,
        platform: s.platform,
        targetId: target?.id ?? null,
        kind: target?.kind,
        keyword,
        cause: null,
        detail,
        watch,
      });
    }
    return out;
  }
}

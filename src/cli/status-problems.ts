/**
 * The watch problems section of `status`: configured keywords, accounts and URLs that cannot be
 * resolved or keep failing, each with what to do about it, above the detail where they used to hide.
 */
import { isoUtc } from '../domain/clock';
import { describeProblem, problemHint } from '../engine/problems';
import { ProblemStore, type OpenProblem } from '../store/problems';
import type { Store } from '../store/store';

/** One open problem as `status --json` prints it. */
export interface ProblemStatus extends Omit<OpenProblem, 'since'> {
  /** When the streak that opened it began, ISO 8601 UTC. */
  readonly since: string;
  readonly summary: string;
  readonly hint: string;
}

/** The open watch problems of a store, oldest first. */
export function gatherProblems(store: Store): ProblemStatus[] {
  return new ProblemStore(store).open().map((p) => ({
    ...p,
    since: isoUtc(p.since)!,
    summary: describeProblem(p),
    hint: problemHint(p.kind, p.platform),
  }));
}

/** The section as text; empty when nothing is wrong. */
export function renderProblems(problems: readonly ProblemStatus[]): string {
  if (problems.length === 0) return '';
  const lines = [`watch problems (${problems.length} open):`];
  for (const p of problems) {
    lines.push(`  ${p.summary}, since ${p.since} — watch ${p.watches.join(', ')}`);
    if (p.message) lines.push(`    ${p.message}`);
    lines.push(`    ${p.hint}`);
  }
  return lines.join('\n') + '\n';
}

/**
 * Puts the problems section near the top of the status text, after the overall counts (the
 * `due now` line), where it is read first; the rest of the status follows unchanged.
 */
export function withProblems(statusText: string, section: string): string {
  if (section === '') return statusText;
  const lines = statusText.split('\n');
  const due = lines.findIndex((l) => l.startsWith('due now:'));
  const at = due === -1 ? lines.length : due + 1;
  return [...lines.slice(0, at), '', section.trimEnd(), ...lines.slice(at)].join('\n');
}

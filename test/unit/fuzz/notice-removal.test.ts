import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isFinalOutcome, type Outcome } from '../../../src/domain/glossary';
import { ENTRIES, responseFor } from './entries';
import { MUTATIONS } from './mutate';
import { mayCarryNotice, noticeHits, NOTICE_REMOVALS, withoutNotices } from './notice';
import { caseSeed, envInt, fuzzRng } from './rng';
import { allSeeds, type Seed } from './seeds';

/**
 * Seeded fuzzing of the bodies that DO state an absence (placeholders, error envelopes, error and
 * soft-404 pages, the error bodies quoted in issues): each case takes the statement out (its text
 * replaced, the body cut off before it, or its characters blanked, with placeholder flags and known
 * codes gone), then maybe mutates the rest, and feeds it to every entry point meant for the seed.
 * A body that no longer carries anything a notice could be read from must never come out as a
 * final outcome or a withheld search: what made it one was the notice, and the notice is gone.
 *
 * Replay: CENSORWATCH_FUZZ_SEED=<seed> (the run), CENSORWATCH_FUZZ_CASE=<i> (one case),
 * CENSORWATCH_FUZZ_CASES=<n> (how many cases).
 */

const DEFAULT_SEED = 20261202;
const SEED = envInt('CENSORWATCH_FUZZ_SEED') ?? DEFAULT_SEED;
const CASES = envInt('CENSORWATCH_FUZZ_CASES') ?? 5_000;
const ONLY_CASE = envInt('CENSORWATCH_FUZZ_CASE');
/** A guard against a hung run on a pathologically slow machine; the count is what bounds the test. */
const SAFETY_CAP_MS = 120_000;
const MIN_CASES = Math.min(CASES, 2_000);
const AT = Date.UTC(2024, 0, 10, 2, 0, 0);

/** The error and blocking bodies quoted verbatim in issues (reference sample), as statuses/show answers. */
function quotedErrorSeeds(): Seed[] {
  const file = join(
    __dirname,
    '..',
    '..',
    'fixtures',
    'reference',
    'weibo',
    'error_bodies_quoted_in_issues.json',
  );
  const cases = (JSON.parse(readFileSync(file, 'utf8')) as { cases: { case: string; body: unknown }[] })
    .cases;
  return cases.map((c) => ({
    name: `quoted: ${c.case}`,
    kind: 'weibo-show',
    body: Buffer.from(typeof c.body === 'string' ? c.body : JSON.stringify(c.body), 'utf8'),
    status: 200,
    contentType: 'application/json; charset=utf-8',
    statesNothing: false,
  }));
}

function claims(said: readonly string[]): string[] {
  return said.filter((o) => o === 'withheld' || isFinalOutcome(o as Outcome));
}

interface CaseResult {
  readonly judged: boolean;
  readonly failure: string | null;
}

function runCase(i: number, seeds: readonly Seed[], donors: readonly Buffer[]): CaseResult {
  const rng = fuzzRng(caseSeed(SEED, i));
  const seed = rng.pick(seeds);
  const how = rng.pick(NOTICE_REMOVALS);
  let body = withoutNotices(seed.body, how, rng.pick);
  const applied: string[] = [how];
  for (let k = rng.below(3); k > 0; k--) {
    const m = rng.pick(MUTATIONS);
    body = m.apply(body, rng, donors);
    applied.push(m.name);
  }
  // A mutation may bring a notice back (a piece of another body): such a case is not judged.
  const judged = !mayCarryNotice(body);
  const text = body.toString('utf8');
  for (const entry of ENTRIES.filter((e) => e.kinds.includes(seed.kind))) {
    let said: readonly string[];
    try {
      said = entry.run(responseFor(seed, body, entry.url), AT, text);
    } catch (err) {
      return { judged, failure: failureText(i, seed, applied, entry.name, `threw ${String(err)}`, body) };
    }
    const c = claims(said);
    if (judged && c.length > 0)
      return {
        judged,
        failure: failureText(
          i,
          seed,
          applied,
          entry.name,
          `final outcome ${c.join(', ')} with the notice removed`,
          body,
        ),
      };
  }
  return { judged, failure: null };
}

function failureText(
  i: number,
  seed: Seed,
  applied: readonly string[],
  entry: string,
  problem: string,
  body: Buffer,
): string {
  const text = body.toString('utf8');
  return [
    `notice-removal fuzz failure: ${problem}`,
    `  entry point: ${entry}`,
    `  seed body: ${seed.name}; mutations: ${applied.join(' → ')}`,
    `  replay: CENSORWATCH_FUZZ_SEED=${SEED} CENSORWATCH_FUZZ_CASE=${i} npx jest test/unit/fuzz/notice-removal`,
    `  notice hits: ${JSON.stringify(noticeHits(body))}`,
    `  body: ${JSON.stringify(text.length > 600 ? `${text.slice(0, 600)}… (${body.length} bytes)` : text)}`,
  ].join('\n');
}

describe(`notice-removal fuzzing (seed ${SEED})`, () => {
  const all = allSeeds();
  const seeds = [...all.filter((s) => !s.statesNothing && s.status === 200), ...quotedErrorSeeds()];
  const donors = all.filter((s) => s.statesNothing).map((s) => s.body);

  test('the seeds that carry a notice unmutated carry none after each way of removing it', () => {
    // Blocking bodies (a captcha, 这里还没有内容) carry no notice to begin with; the rest must come clean.
    const carrying = seeds.filter((s) => mayCarryNotice(s.body));
    let clean = 0;
    let total = 0;
    expect(carrying.length).toBeGreaterThanOrEqual(12);
    for (const s of carrying) {
      for (const how of NOTICE_REMOVALS) {
        total++;
        if (!mayCarryNotice(withoutNotices(s.body, how, (xs) => xs[0]!))) clean++;
      }
    }
    expect(clean).toBe(total);
  });

  const title =
    ONLY_CASE !== undefined
      ? `case ${ONLY_CASE} only`
      : `${CASES} bodies with their notice removed: no entry point throws or says gone, deleted or withheld`;
  test(
    title,
    () => {
      if (ONLY_CASE !== undefined) {
        const r = runCase(ONLY_CASE, seeds, donors);
        if (r.failure) throw new Error(r.failure);
        return;
      }
      const began = Date.now();
      let cases = 0;
      let judged = 0;
      for (let i = 0; i < CASES; i++) {
        if (i % 500 === 0 && Date.now() - began > SAFETY_CAP_MS) break;
        const r = runCase(i, seeds, donors);
        cases++;
        if (r.judged) judged++;
        if (r.failure) throw new Error(r.failure);
      }
      if (cases < MIN_CASES)
        throw new Error(
          `the safety cap of ${SAFETY_CAP_MS / 1000} s ended the run after ${cases} of ${CASES} cases (at least ${MIN_CASES} needed; seed ${SEED})`,
        );
      // Most cases must be judged for the check to mean something (a donor splice may bring a notice back).
      expect(judged).toBeGreaterThanOrEqual(Math.floor(cases * 0.6));
    },
    SAFETY_CAP_MS + 60_000,
  );
});

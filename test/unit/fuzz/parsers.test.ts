import { isFinalOutcome, type Outcome } from '../../../src/domain/glossary';
import * as netease from '../../../src/platforms/netease';
import { ENTRIES, NETEASE_COVERED, NETEASE_NOT_PARSERS, responseFor, type Entry } from './entries';
import { MUTATIONS } from './mutate';
import { mayCarryNotice, noticeHits } from './notice';
import { caseSeed, envInt, fuzzRng, type FuzzRng } from './rng';
import { allSeeds, type Seed } from './seeds';

/**
 * Seeded fuzzing of every parser entry point of both platforms: bodies built from the reference
 * captures and the simulator's formats, mutated (byte flips, truncation, JSON field deletion and
 * type swaps, numeric extremes, injected unicode, HTML splices, pieces of other bodies), and fed
 * to the entry points meant for them plus one other. No entry point may throw, and no mutation of
 * a page that states nothing about absence may become a final outcome unless it brings a notice.
 *
 * Replay: CENSORWATCH_FUZZ_SEED=<seed> (the run), CENSORWATCH_FUZZ_CASE=<i> (one case of it),
 * CENSORWATCH_FUZZ_CASES=<n> (how many cases).
 */

const DEFAULT_SEED = 20261201;
const SEED = envInt('CENSORWATCH_FUZZ_SEED') ?? DEFAULT_SEED;
const CASES = envInt('CENSORWATCH_FUZZ_CASES') ?? 100_000;
const ONLY_CASE = envInt('CENSORWATCH_FUZZ_CASE');
/**
 * A safety cap on real time, far above what the cases need, so a pathologically slow machine
 * ends the run instead of hanging CI; the run then still has to reach {@link MIN_CASES}.
 */
const SAFETY_CAP_MS = 200_000;
const MIN_CASES = Math.min(CASES, 25_000);
const AT = Date.UTC(2024, 0, 10, 2, 0, 0);

interface Failure {
  readonly caseIndex: number;
  readonly seed: string;
  readonly mutations: readonly string[];
  readonly entry: string;
  readonly problem: string;
  readonly body: string;
}

function claims(said: readonly string[]): string[] {
  return said.filter((o) => o === 'withheld' || isFinalOutcome(o as Outcome));
}

/** Cumulative weights of the seeds: small bodies are cheap, so big ones are drawn less often (∝ 1/√size). */
const weightsOf = new WeakMap<readonly Seed[], number[]>();
function pickSeed(rng: FuzzRng, seeds: readonly Seed[]): Seed {
  let cum = weightsOf.get(seeds);
  if (!cum) {
    let total = 0;
    cum = seeds.map((s) => (total += 1 / Math.sqrt(Math.max(256, s.body.length))));
    weightsOf.set(seeds, cum);
  }
  const x = rng.next() * cum[cum.length - 1]!;
  const i = cum.findIndex((c) => x < c);
  return seeds[i < 0 ? seeds.length - 1 : i]!;
}

interface CaseResult {
  readonly calls: number;
  readonly judged: boolean;
  readonly failure: Failure | null;
}

/**
 * Runs case `i`: one seed, one to three mutations, one of the entry points meant for the seed and,
 * now and then, one that is not (a page in a place it does not belong).
 */
function runCase(i: number, seeds: readonly Seed[], donors: readonly Buffer[]): CaseResult {
  const rng = fuzzRng(caseSeed(SEED, i));
  const seed = pickSeed(rng, seeds);
  let body = seed.body;
  const applied: string[] = [];
  const n = 1 + rng.below(3);
  for (let k = 0; k < n; k++) {
    const m = rng.pick(MUTATIONS);
    body = m.apply(body, rng, donors);
    applied.push(m.name);
  }
  const own = ENTRIES.filter((e) => e.kinds.includes(seed.kind));
  const entries: Entry[] = [rng.pick(own), ...(rng.chance(0.15) ? [rng.pick(ENTRIES)] : [])];
  const judged = seed.statesNothing && seed.status === 200 && !mayCarryNotice(body);
  const text = body.toString('utf8');
  const fail = (entry: Entry, problem: string): CaseResult => ({
    calls: entries.length,
    judged,
    failure: {
      caseIndex: i,
      seed: seed.name,
      mutations: applied,
      entry: entry.name,
      problem,
      body: text.length > 600 ? `${text.slice(0, 600)}… (${body.length} bytes)` : text,
    },
  });
  for (const entry of entries) {
    let said: readonly string[];
    try {
      said = entry.run(responseFor(seed, body, entry.url), AT, text);
    } catch (err) {
      return fail(entry, `threw ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
    }
    if (judged) {
      const c = claims(said);
      if (c.length > 0)
        return fail(entry, `final outcome ${c.join(', ')} from a page that carries no notice`);
    }
  }
  return { calls: entries.length, judged, failure: null };
}

function describeFailure(f: Failure): string {
  return [
    `fuzz failure: ${f.problem}`,
    `  entry point: ${f.entry}`,
    `  seed body: ${f.seed}; mutations: ${f.mutations.join(' → ')}`,
    `  replay: CENSORWATCH_FUZZ_SEED=${SEED} CENSORWATCH_FUZZ_CASE=${f.caseIndex} npx jest test/unit/fuzz`,
    `  notice hits: ${JSON.stringify(noticeHits(Buffer.from(f.body, 'utf8')))}`,
    `  body: ${JSON.stringify(f.body)}`,
  ].join('\n');
}

describe(`parser fuzzing (seed ${SEED})`, () => {
  const seeds = allSeeds();
  const donors = seeds.map((s) => s.body);

  test('every NetEase function export is a fuzzed entry point or named as no parser', () => {
    const exported = Object.entries(netease)
      .filter(([, v]) => typeof v === 'function')
      .map(([k]) => k);
    const unaccounted = exported.filter(
      (k) => !NETEASE_COVERED.includes(k) && !NETEASE_NOT_PARSERS.includes(k),
    );
    expect(unaccounted).toEqual([]);
    // And nothing listed as covered has gone from the package.
    expect(NETEASE_COVERED.filter((k) => !exported.includes(k))).toEqual([]);
  });

  test('the seeds: each kind has an entry point, and every seed that states nothing is judged unmutated', () => {
    for (const s of seeds) expect(ENTRIES.some((e) => e.kinds.includes(s.kind))).toBe(true);
    const quiet = seeds.filter((s) => s.statesNothing && !mayCarryNotice(s.body)).map((s) => s.name);
    expect(quiet.length).toBeGreaterThanOrEqual(20);
    for (const s of seeds.filter((x) => x.statesNothing)) {
      for (const e of ENTRIES.filter((x) => x.kinds.includes(s.kind))) {
        const said = claims(e.run(responseFor(s, s.body, e.url), AT, s.body.toString('utf8')));
        expect({ seed: s.name, entry: e.name, said }).toEqual({ seed: s.name, entry: e.name, said: [] });
      }
    }
  });

  const title =
    ONLY_CASE !== undefined
      ? `case ${ONLY_CASE} only`
      : `${CASES} mutated bodies: no entry point throws, no final outcome without a notice`;
  test(
    title,
    () => {
      if (ONLY_CASE !== undefined) {
        const r = runCase(ONLY_CASE, seeds, donors);
        if (r.failure) throw new Error(describeFailure(r.failure));
        return;
      }
      const began = Date.now();
      let cases = 0;
      let calls = 0;
      let judged = 0;
      for (let i = 0; i < CASES; i++) {
        // The cap is a guard against a hung run, checked rarely; the count is what bounds the test.
        if (i % 1000 === 0 && Date.now() - began > SAFETY_CAP_MS) break;
        const r = runCase(i, seeds, donors);
        cases++;
        calls += r.calls;
        if (r.judged) judged++;
        if (r.failure) throw new Error(describeFailure(r.failure));
      }
      if (cases < MIN_CASES)
        throw new Error(
          `the safety cap of ${SAFETY_CAP_MS / 1000} s ended the run after ${cases} of ${CASES} cases (at least ${MIN_CASES} needed; seed ${SEED})`,
        );
      // Enough of the cases were judged for the absence check to mean something.
      expect(judged).toBeGreaterThanOrEqual(Math.floor(cases * 0.15));
      expect(calls).toBeGreaterThanOrEqual(cases);
    },
    SAFETY_CAP_MS + 60_000,
  );
});

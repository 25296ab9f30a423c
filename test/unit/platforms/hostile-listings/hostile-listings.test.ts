import { caseSeed, envInt, fuzzRng } from '../../fuzz/rng';
import { cutPoints } from '../hostile/mutations';
import { LISTING_MUTATIONS, type Mutated } from './mutations';
import { listingPages, runReader, type ListingPage, type Said } from './pages';
import { bodyText, documentedClaims, idInPage } from './says';

/**
 * Listing and comment pages of a platform we have not seen: real reference pages and the
 * simulator's renderings, mutated the ways an unknown or hostile platform answers, each run
 * through its reader. The properties, for every mutation: the reader never throws; it claims a
 * withholding notice, no results or the end of paging only where the page positively says so
 * (./says.ts, the documented places), and reads every such statement a meaning-keeping change left
 * in place; it yields no id the page does not hold; a page it does not know is `unparseable` (or a
 * transient outcome) with its body kept; no final outcome comes from a listing page.
 *
 * Replay: CENSORWATCH_LISTING_SEED=<seed> [CENSORWATCH_LISTING_CASE=<i>] [CENSORWATCH_LISTING_CASES=<n>].
 */

const SEED = envInt('CENSORWATCH_LISTING_SEED') ?? 20261202;
const CASES = envInt('CENSORWATCH_LISTING_CASES') ?? 8000;
const ONLY = envInt('CENSORWATCH_LISTING_CASE');

const pages = listingPages();
const ANSWERED = new Set(['results', 'empty', 'withheld', 'page']);

/** What is wrong with a reader's answer to a mutated page, or null. */
function violation(page: ListingPage, m: Mutated): string | null {
  let said: Said;
  try {
    said = runReader(page, m.ex);
  } catch (err) {
    return `threw ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`;
  }
  const documented = documentedClaims(page, m.ex);
  const finals = said.claims.filter((c) => c.includes(':'));
  if (finals.length > 0) return `final outcome from a listing page: ${finals.join(', ')}`;
  const unsaid = said.claims.filter((c) => !documented.includes(c as never));
  if (unsaid.length > 0)
    return `claims ${unsaid.join(', ')} (outcome ${said.outcome}) where the page does not say so (it says: ${documented.join(', ') || 'nothing'})`;
  if (m.expect.read) {
    // A page that lists nothing has no paging to end: `empty` and a bare withheld notice imply it.
    const missed = documented.filter(
      (c) => !said.claims.includes(c) && !(c === 'end' && said.ids.length === 0),
    );
    if (missed.length > 0)
      return `the page says ${missed.join(', ')}, the reader did not read it (outcome ${said.outcome})`;
  }
  const text = bodyText(m.ex);
  const foreign = said.ids.filter((id) => !idInPage(id, text));
  if (foreign.length > 0) return `yielded ids not in the page: ${foreign.join(', ')}`;
  if (said.bodyLost) return 'unparseable without its body';
  if (m.expect.unrecognised && ANSWERED.has(said.outcome) && !(documented.length > 0))
    return `a page it cannot know read as ${said.outcome} (ids ${said.ids.join(', ') || 'none'})`;
  return null;
}

function describe_(i: number, page: ListingPage, name: string, m: Mutated, problem: string): string {
  const body = m.ex.body.toString('utf8');
  return [
    `hostile listing case ${i} (seed ${SEED}): ${problem}`,
    `  page: ${page.name} → ${page.reader}`,
    `  mutation: ${name}: ${m.label}`,
    `  status ${m.ex.status}, headers ${JSON.stringify(m.ex.headers)}`,
    `  body: ${JSON.stringify(body.length > 500 ? `${body.slice(0, 500)}… (${m.ex.body.length} bytes)` : body)}`,
    `  replay: CENSORWATCH_LISTING_SEED=${SEED} CENSORWATCH_LISTING_CASE=${i} npx jest test/unit/platforms/hostile-listings`,
  ].join('\n');
}

function runCase(i: number): string | null {
  const rng = fuzzRng(caseSeed(SEED, i));
  const page = rng.pick(pages);
  const mutation = rng.pick(LISTING_MUTATIONS);
  const m = mutation.apply(page, rng);
  if (!m) return null;
  const problem = violation(page, m);
  return problem ? describe_(i, page, mutation.name, m, problem) : null;
}

describe(`hostile listing and comment pages (seed ${SEED})`, () => {
  test('each page reads as what it positively says, and says what its name says', () => {
    for (const p of pages) {
      const said = runReader(p, p.ex);
      const documented = documentedClaims(p, p.ex);
      expect({ page: p.name, documented: [...documented].sort() }).toEqual({
        page: p.name,
        documented: [...p.says].sort(),
      });
      const claims = said.claims.filter((c) => c !== 'end' || said.ids.length > 0);
      const says = p.says.filter((c) => c !== 'end' || said.ids.length > 0);
      expect({ page: p.name, claims: [...claims].sort() }).toEqual({
        page: p.name,
        claims: [...says].sort(),
      });
      if (p.says.length === 0)
        expect({ page: p.name, listed: said.ids.length > 0 }).toEqual({ page: p.name, listed: true });
    }
  });

  test('every structural cut of every page: no throw, no claim, never read as a listing', () => {
    const problems: string[] = [];
    for (const p of pages) {
      const points = cutPoints(p.ex.body);
      const step = Math.max(1, Math.ceil(points.length / 400));
      for (let k = 0; k < points.length; k += step) {
        const at = points[k]!;
        const m: Mutated = {
          label: `cut at byte ${at}`,
          ex: { ...p.ex, body: p.ex.body.subarray(0, at) },
          expect: { unrecognised: true },
        };
        const problem = violation(p, m);
        if (problem) problems.push(`${p.name}, cut at ${at}/${p.ex.body.length}: ${problem}`);
        if (problems.length >= 10) break;
      }
    }
    expect(problems).toEqual([]);
  });

  test(ONLY !== undefined ? `case ${ONLY}` : `${CASES} mutated pages keep the listing properties`, () => {
    const failures: string[] = [];
    for (let i = ONLY ?? 0; i < (ONLY !== undefined ? ONLY + 1 : CASES); i++) {
      const f = runCase(i);
      if (f) failures.push(f);
      if (failures.length >= 8) break;
    }
    if (failures.length > 0) throw new Error(failures.join('\n\n'));
  });
});

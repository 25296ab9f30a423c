import { caseSeed, envInt, fuzzRng } from '../../fuzz/rng';
import { hostileSeeds, runParser, type HostileSeed, type Said } from './exchanges';
import { cutPoints, HOSTILE_MUTATIONS, type Mutated } from './mutations';

/**
 * A platform we have not seen: real reference responses and the documented statements of absence,
 * mutated the ways a hostile or just different platform answers (cut off at every structural point,
 * wrapped in other JSON, keys renamed, values of other shapes, notices quoted in live text, notices
 * in a title, a script, a comment, login walls, 302 chains, charset declarations, BOMs, gzip lies,
 * answers about another post), each run through its parser. The invariant: no parser throws; no
 * final outcome unless the mutation kept a documented statement of absence in its documented place
 * (and then the same cause); an unparseable answer keeps its body; alive content is the seed's.
 *
 * Replay: CENSORWATCH_HOSTILE_SEED=<seed> [CENSORWATCH_HOSTILE_CASE=<i>].
 */

const SEED = envInt('CENSORWATCH_HOSTILE_SEED') ?? 20261202;
const CASES = envInt('CENSORWATCH_HOSTILE_CASES') ?? 6000;
const ONLY = envInt('CENSORWATCH_HOSTILE_CASE');

const seeds = hostileSeeds();
const baselines = new Map<HostileSeed, Said>(seeds.map((s) => [s, runParser(s.parser, s.target, s.ex)]));

/** What is wrong with a parser's answer to a mutated exchange, or null. */
function violation(seed: HostileSeed, m: Mutated): string | null {
  const base = baselines.get(seed)!;
  let said: Said;
  try {
    said = runParser(seed.parser, seed.target, m.ex);
  } catch (err) {
    return `threw ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`;
  }
  const { finals, content, targetTransient } = m.expect;
  const extra = said.finals.filter((f) => !base.finals.includes(f));
  if (finals === 'none' && said.finals.length > 0) return `final outcome ${said.finals.join(', ')}`;
  if (finals !== 'none' && extra.length > 0) return `final outcome not in the seed: ${extra.join(', ')}`;
  if (finals === 'equal') {
    const lost = base.finals.filter((f) => !said.finals.includes(f));
    if (lost.length > 0)
      return `the documented statement was not read: lost ${lost.join(', ')} (got ${said.target})`;
  }
  if (said.bodyLost.length > 0) return `unparseable without its body: ${said.bodyLost.join(', ')}`;
  if (targetTransient && ['alive', 'page', 'results', 'withheld'].includes(said.target))
    return `an answer about another target read as ${said.target}`;
  if (content === 'same') {
    for (const [id, c] of said.alive) {
      const was = base.alive.get(id);
      if (was !== c) return `alive content of ${id} differs:\n  was ${was ?? '(not alive)'}\n  now ${c}`;
    }
  }
  return null;
}

function describe_(i: number, seed: HostileSeed, name: string, m: Mutated, problem: string): string {
  const body = m.ex.body.toString('utf8');
  return [
    `hostile case ${i} (seed ${SEED}): ${problem}`,
    `  seed exchange: ${seed.name} → ${seed.parser}`,
    `  mutation: ${name}: ${m.label}`,
    `  status ${m.ex.status}, url ${m.ex.url}, final ${m.ex.finalUrl}, redirects ${JSON.stringify(m.ex.redirects)}`,
    `  headers ${JSON.stringify(m.ex.headers)}`,
    `  body: ${JSON.stringify(body.length > 400 ? `${body.slice(0, 400)}… (${m.ex.body.length} bytes)` : body)}`,
    `  replay: CENSORWATCH_HOSTILE_SEED=${SEED} CENSORWATCH_HOSTILE_CASE=${i} npx jest test/unit/platforms/hostile`,
  ].join('\n');
}

function runCase(i: number): string | null {
  const rng = fuzzRng(caseSeed(SEED, i));
  const seed = rng.pick(seeds);
  const mutation = rng.pick(HOSTILE_MUTATIONS);
  const m = mutation.apply(seed, rng);
  if (!m) return null;
  const problem = violation(seed, m);
  return problem ? describe_(i, seed, mutation.name, m, problem) : null;
}

describe(`hostile platform answers (seed ${SEED})`, () => {
  test('the seeds read as the reference says: live data alive, documented absences final', () => {
    for (const s of seeds) {
      const said = baselines.get(s)!;
      if (s.absence === 'none')
        expect({ seed: s.name, target: said.target }).not.toEqual({ seed: s.name, target: 'unparseable' });
      else expect({ seed: s.name, finals: said.finals.length > 0 }).toEqual({ seed: s.name, finals: true });
    }
  });

  test('every structural cut of every seed: no throw, no new final outcome, the body kept', () => {
    const problems: string[] = [];
    for (const s of seeds) {
      const points = cutPoints(s.ex.body);
      // Every point of a small body; an even spread of 600 of a large one.
      const step = Math.max(1, Math.ceil(points.length / 600));
      for (let k = 0; k < points.length; k += step) {
        const at = points[k]!;
        const m: Mutated = {
          label: `cut at byte ${at}`,
          ex: { ...s.ex, body: s.ex.body.subarray(0, at) },
          expect: {
            finals: s.absence === 'status' || s.absence === 'redirect' ? 'subset' : 'none',
            content: 'any',
          },
        };
        const p = violation(s, m);
        if (p) problems.push(`${s.name}, cut at ${at}/${s.ex.body.length}: ${p}`);
        if (problems.length >= 10) break;
      }
    }
    expect(problems).toEqual([]);
  });

  test(ONLY !== undefined ? `case ${ONLY}` : `${CASES} mutated answers keep the absence rule`, () => {
    const failures: string[] = [];
    for (let i = ONLY ?? 0; i < (ONLY !== undefined ? ONLY + 1 : CASES); i++) {
      const f = runCase(i);
      if (f) failures.push(f);
      if (failures.length >= 5) break;
    }
    if (failures.length > 0) throw new Error(failures.join('\n\n'));
  });
});

import { request } from 'undici';
import { buildScenario, HeldClock, Simulator } from '../../../src/sim';
import { QUICK_START, SECOND, searchPath } from './helpers';

/**
 * A held scenario waits for its observer: the quick scenario on a clock whose real time the test
 * moves by hand, so nothing here depends on how fast the machine is.
 */
describe('the quick scenario on a held clock', () => {
  let real = 0;
  let clock: HeldClock;
  let sim: Simulator;
  let base: string;
  const get = async (path: string): Promise<string> => (await request(base + path)).body.text();
  const scenario = buildScenario('quick', { start: QUICK_START, seed: 7 });
  const edited = scenario.netease.articles.find((a) => a.edits && !a.account)!;
  const articlePath = `/${edited.channel}/article/${edited.docid}.html`;
  const editNote = edited.edits![0]!.paragraphs!.at(-1)!;
  const block = scenario.weibo.searchBlocks[0]!;

  beforeAll(async () => {
    clock = new HeldClock({ start: QUICK_START, real: () => real });
    sim = new Simulator({ clock, scenario, seed: 7 });
    clock.addHolds(sim.holds());
    base = await sim.start(0);
    clock.go();
  });
  afterAll(() => sim.stop());

  it('edits an article only once its page was served before the edit, and ends a search block only once a search met it', async () => {
    // Listings in every version of the Weibo posts, never the article's page: 30 s of real time
    // later the scenario stands just before that article's edit.
    for (const t of [3.5, 4.6, 6]) {
      real = t * SECOND;
      for (const kw of ['quick-topic', 'quick-baseline'])
        for (const page of [1, 2]) await get(searchPath(kw, page));
    }
    real = 30 * SECOND;
    await get(searchPath('quick-topic'));
    expect(clock.waitingFor).toBe(`netease ${edited.docid} edit 1`);
    expect(clock.now()).toBe(edited.edits![0]!.at - 1);
    const before = await get(articlePath);
    expect(before).toContain(edited.title);
    expect(before).not.toContain(editNote);

    // Served once: the edit happens, and the page shows it from then on.
    expect(clock.now()).toBe(edited.edits![0]!.at);
    real += 100;
    expect(await get(articlePath)).toContain(editNote);
    expect(clock.expired).toEqual([]);

    // Past every other hold by the hold's cap, the search block is the one still waiting.
    real += 60 * SECOND * 40;
    while (clock.now() < block.to! - 1) real += 60 * SECOND;
    expect(clock.waitingFor).toBe(`weibo search ${block.keyword} block`);
    const blocked = await get(searchPath(block.keyword));
    expect(blocked).toContain('card_type":4');
    expect(clock.now()).toBe(block.to!);
  });
});

import {
  MIN_SEEN_ALIVE,
  UnknownClaimWatchError,
  buildClaim,
  renderClaimJson,
  renderClaimText,
} from '../../../src/report/claim';
import { fisherExactGreater } from '../../../src/report/proportions';
import type { Store } from '../../../src/store/store';
import { HOUR, History, MIN, T0, WEIBO_URL, content, seedScenario, tempStore } from './helpers';

describe('buildClaim on the small scenario', () => {
  let store: Store;
  let cleanup: () => void;
  beforeAll(() => {
    const t = tempStore();
    store = t.store;
    cleanup = t.cleanup;
    seedScenario(store);
  });
  afterAll(() => cleanup());

  it('has exactly the contract keys and counts posts seen alive', () => {
    const c = buildClaim(store, { watchId: 'un-vote', baselineId: 'baseline', discoverEvery: 10 * MIN });
    const json = JSON.parse(renderClaimJson(c)) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual([
      'watch',
      'baselineWatch',
      'topic',
      'baseline',
      'pValue',
      'test',
      'verdict',
      'caveats',
    ]);
    expect(json.watch).toBe('un-vote');
    expect(json.baselineWatch).toBe('baseline');
    expect(c.result.topic).toMatchObject({
      posts: 5,
      seenAlive: 4,
      gone: 3,
      removedByPlatform: 2,
      byCause: { removed_by_platform: 2, deleted_by_author: 1, gone_unspecified: 0 },
    });
    expect(c.result.topic.rate.value).toBe(0.75);
    expect(c.result.baseline).toMatchObject({ posts: 6, seenAlive: 6, gone: 1, removedByPlatform: 0 });
    // Censorship 2/4 vs 0/6: Fisher P(X ≥ 2) = 28/210.
    expect(c.result.test).toBe('fisher-exact-one-sided');
    expect(c.result.pValue).toBeCloseTo(28 / 210, 10);
    // 4 and 6 posts seen alive: too few either way.
    expect(c.result.verdict).toBe('insufficient_data');
    const caveats = c.result.caveats.join('\n');
    expect(caveats).toMatch(/1 post was never seen alive \(1 already gone at the first check/);
    expect(caveats).toMatch(/\(last alive observation, first gone observation\]/);
    expect(caveats).toMatch(/polled every 10 min/);
    expect(caveats).toMatch(/Search results were withheld for 1 keyword .*"联合国 决议"/);
    expect(caveats).toMatch(/1 post is in both watches/);
    expect(caveats).toMatch(
      /100\.0% of the \d+ observations of these posts \(direct checks, and sightings in searches and timelines\) got a definite answer/,
    );
  });

  it('writes one quotable paragraph with the numbers, the comparison and the verdict', () => {
    const text = renderClaimText(buildClaim(store, { watchId: 'un-vote', baselineId: 'baseline' }));
    expect(text.trim().split('\n')).toHaveLength(1);
    expect(text).toContain(
      'censorwatch found 5 posts for the watch "CCP vote on UN resolution A/77/L.65" (un-vote) and saw 4 of them alive at least once.',
    );
    expect(text).toContain('Of those, 3 are gone (75.0%, 95% CI');
    expect(text).toContain('2 removed by the platform, 1 deleted by its author');
    expect(text).toContain('0 of 6 posts seen alive were removed by the platform');
    expect(text).toContain("one-sided Fisher's exact test gives p = 0.133");
    expect(text).toContain(
      `Verdict: insufficient data (fewer than ${MIN_SEEN_ALIVE} posts seen alive in the topic watch)`,
    );
  });

  it('names the flag of an unknown watch', () => {
    expect(() => buildClaim(store, { watchId: 'nope' })).toThrow(UnknownClaimWatchError);
    expect(() => buildClaim(store, { watchId: 'un-vote', baselineId: 'nope' })).toThrow(
      `--baseline: watch "nope" has no data in ${store.file}`,
    );
    // A usage error: the CLI exits 2 with one line naming the flag.
    expect(() => buildClaim(store, { watchId: 'nope' })).toThrow(
      expect.objectContaining({ exitCode: 2, option: '--watch' }),
    );
  });
});

describe('claim verdicts', () => {
  let store: Store;
  let cleanup: () => void;
  beforeAll(() => {
    const t = tempStore();
    store = t.store;
    cleanup = t.cleanup;
    store.syncWatches(
      [
        { id: 'topic', name: 'Topic <script>' },
        { id: 'weather', name: 'Weather' },
        { id: 'quiet', name: 'Quiet' },
      ],
      [],
      T0,
    );
    const h = new History(store);
    // topic: 20 posts, 8 removed by the platform; weather: 20 posts, 1 deleted by its author; quiet: 12 alive.
    for (let i = 0; i < 20; i++) {
      const mid = `48000000000000${String(i).padStart(2, '0')}`;
      const p = h.target('weibo', 'post', mid, WEIBO_URL(mid), ['topic'], T0 + i * MIN);
      h.alive(p, T0 + i * MIN, content(`帖子 ${i}`));
      if (i < 8) {
        h.final(p, T0 + HOUR + i * MIN, 'removed_by_platform');
        h.final(p, T0 + HOUR + (i + 2) * MIN, 'removed_by_platform');
      }
    }
    for (let i = 0; i < 20; i++) {
      const mid = `47000000000000${String(i).padStart(2, '0')}`;
      const p = h.target('weibo', 'post', mid, WEIBO_URL(mid), ['weather'], T0 + i * MIN);
      h.alive(p, T0 + i * MIN, content(`天气 ${i}`));
      if (i === 0) {
        h.final(p, T0 + HOUR, 'deleted_by_author');
        h.final(p, T0 + 2 * HOUR, 'deleted_by_author');
      }
    }
    for (let i = 0; i < 12; i++) {
      const mid = `46000000000000${String(i).padStart(2, '0')}`;
      const p = h.target('weibo', 'post', mid, WEIBO_URL(mid), ['quiet'], T0 + i * MIN);
      h.alive(p, T0 + i * MIN, content(`安静 ${i}`));
    }
  });
  afterAll(() => cleanup());

  it('is supported when the censorship rate is above the baseline with p < 0.05', () => {
    const c = buildClaim(store, { watchId: 'topic', baselineId: 'weather' });
    expect(c.result.pValue).toBeCloseTo(fisherExactGreater(8, 20, 0, 20), 10);
    expect(c.result.pValue!).toBeLessThan(0.05);
    expect(c.result.verdict).toBe('supported');
    expect(renderClaimText(c)).toContain('the baseline rate is zero, so there is no ratio');
  });

  it('is not supported the other way round, nor for a watch with no removals', () => {
    expect(buildClaim(store, { watchId: 'weather', baselineId: 'topic' }).result.verdict).toBe(
      'not_supported',
    );
    expect(buildClaim(store, { watchId: 'quiet' }).result.verdict).toBe('not_supported');
  });

  it('without a baseline is supported by a removal, with pValue and test null', () => {
    const c = buildClaim(store, { watchId: 'topic' });
    expect(c.result).toMatchObject({
      baselineWatch: null,
      baseline: null,
      pValue: null,
      test: null,
      verdict: 'supported',
    });
  });

  it('with --since/--until counts only posts first seen in the period', () => {
    const c = buildClaim(store, { watchId: 'topic', since: T0 + 10 * MIN, until: T0 + 20 * MIN });
    expect(c.result.topic).toMatchObject({ posts: 10, seenAlive: 10, removedByPlatform: 0 });
    expect(renderClaimText(c)).toContain(
      'Among posts first seen from 2023-02-24T08:10:00.000Z until 2023-02-24T08:20:00.000Z (UTC)',
    );
  });
});

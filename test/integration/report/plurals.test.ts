/**
 * Counts of one read as one: a watch where every count the reports and the claim name is 1 (one
 * post, one comment thread, one observation, one post in both watches, one post seen alive in the
 * baseline) is rendered in md, html and the claim's text without a "1 posts" anywhere.
 */
import { buildClaim, renderClaimText } from '../../../src/report/claim';
import { renderHtml } from '../../../src/report/html';
import { renderMarkdown } from '../../../src/report/markdown';
import { buildReport } from '../../../src/report/report';
import type { Store } from '../../../src/store/store';
import { HOUR, History, T0, WEIBO_URL, content, tempStore } from './helpers';

/** A count of exactly 1 followed by a plural noun, as the renderers word their counts. */
const ONE_PLURAL =
  /(?<![\d.,])1 (?:posts|comment threads|threads|observations|deletions|keywords|targets|checks|searches|comments)\b|\bpost\(s\)/;

let store: Store;
let cleanup: () => void;

beforeAll(() => {
  const t = tempStore();
  store = t.store;
  cleanup = t.cleanup;
  store.syncWatches(
    [
      { id: 'one', name: 'One of each' },
      { id: 'base', name: 'Baseline' },
    ],
    [],
    T0,
  );
  const h = new History(store);
  const mid = '4990000000000201';
  const post = h.target('weibo', 'post', mid, WEIBO_URL(mid), ['one', 'base'], T0);
  h.alive(post, T0, content('一条微博'));
  const thread = h.target('weibo', 'thread', mid, WEIBO_URL(mid), ['one'], T0);
  h.alive(thread, T0, content(''));
});
afterAll(() => cleanup());

describe('counts of one', () => {
  it('the md and html reports say 1 post and 1 comment thread, and 1 post in both watches', () => {
    const report = buildReport(store, { watchId: 'one', baselineId: 'base', now: T0 + HOUR });
    const md = renderMarkdown(report);
    const html = renderHtml(report);
    for (const text of [md, html]) {
      expect(text).not.toMatch(ONE_PLURAL);
      expect(text).toContain('2 (1 post, 1 comment thread)');
      expect(text).toContain('1 post is in both watches');
    }
  });

  it('the claim says 1 observation, and 1 post seen alive in the baseline', () => {
    const text = renderClaimText(buildClaim(store, { watchId: 'one', baselineId: 'base' }));
    expect(text).not.toMatch(ONE_PLURAL);
    expect(text).toMatch(/found 1 post for the watch/);
    expect(text).toMatch(/of the 1 observation of these posts/);
    expect(text).toMatch(/0 of 1 post seen alive were removed by the platform/);
    expect(text).toMatch(/1 post is in both watches/);
  });
});

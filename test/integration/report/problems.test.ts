import { buildReport, renderJson, type Report } from '../../../src/report/report';
import { renderHtml } from '../../../src/report/html';
import { renderMarkdown } from '../../../src/report/markdown';
import { Pseudonymizer } from '../../../src/report/pseudonym';
import { ProblemStore } from '../../../src/store/problems';
import type { Store } from '../../../src/store/store';
import { HOUR, MIN, T0, seedScenario, tempStore } from './helpers';

let store: Store;
let cleanup: () => void;
const NOW = T0 + 48 * HOUR;

beforeAll(() => {
  const t = tempStore();
  store = t.store;
  cleanup = t.cleanup;
  seedScenario(store);
  // The scenario's keywords, and an account of the topic watch that cannot be resolved.
  store.syncWatches(
    store.listWatches(),
    [
      { watchId: 'un-vote', platform: 'weibo', mode: 'keyword', query: '联合国 决议' },
      { watchId: 'baseline', platform: 'weibo', mode: 'keyword', query: '天气' },
      { watchId: 'un-vote', platform: 'netease', mode: 'account', query: '张佳栋看世界' },
    ],
    T0,
  );
  const sources = store.listSources();
  const id = (query: string): number => sources.find((s) => s.query === query)!.id;
  const problems = new ProblemStore(store);
  // What the problem hook saves when a problem opens: the topic keyword found nothing for 5 rounds,
  // the account could never be resolved.
  problems.save(
    { sourceId: id('联合国 决议') },
    {
      streak: { kind: 'keyword_empty', count: 5, since: T0 + HOUR },
      open: { kind: 'keyword_empty', since: T0 + HOUR },
    },
    T0 + 2 * HOUR,
    null,
    false,
  );
  problems.save(
    { sourceId: id('张佳栋看世界') },
    {
      streak: { kind: 'account_unresolved', count: 3, since: T0 + 10 * MIN },
      open: { kind: 'account_unresolved', since: T0 + 10 * MIN },
    },
    T0 + HOUR,
    'no article found for 张佳栋看世界',
    false,
  );
});
afterAll(() => cleanup());

describe('reports list the open watch problems near the top', () => {
  let report: Report;
  beforeAll(() => {
    report = buildReport(store, { watchId: 'un-vote', baselineId: 'baseline', now: NOW });
  });

  it('JSON: each problem with its item, its watch and when it started, oldest first, before the figures', () => {
    expect(report.problems).toEqual([
      {
        kind: 'account_unresolved',
        subject: 'account',
        platform: 'netease',
        query: '张佳栋看世界',
        watches: ['un-vote'],
        since: '2023-02-24T08:10:00.000Z',
        count: 3,
        message: 'no article found for 张佳栋看世界',
        summary: 'netease account "张佳栋看世界" cannot be resolved',
        hint: expect.stringContaining("account's home page URL") as unknown as string,
      },
      {
        kind: 'keyword_empty',
        subject: 'keyword',
        platform: 'weibo',
        query: '联合国 决议',
        watches: ['un-vote'],
        since: '2023-02-24T09:00:00.000Z',
        count: 5,
        message: null,
        summary: 'weibo keyword "联合国 决议" returned nothing in 5 rounds',
        hint: expect.stringContaining('check the spelling') as unknown as string,
      },
    ]);
    const json = renderJson(report);
    expect(Object.keys(JSON.parse(json) as object).indexOf('problems')).toBeLessThan(
      Object.keys(JSON.parse(json) as object).indexOf('watches'),
    );
  });

  it('Markdown: a section after the notes and before the key figures, with when each started', () => {
    const md = renderMarkdown(report);
    const at = md.indexOf('## Watch problems (2 open)');
    expect(at).toBeGreaterThan(md.indexOf('> '));
    expect(at).toBeLessThan(md.indexOf('## Key figures'));
    expect(md).toContain('what they would have found is missing from every figure below');
    expect(md).toContain(
      '- **netease account "张佳栋看世界" cannot be resolved**, since 2023-02-24 08:10:00 UTC (watch `un-vote`): no article found for 张佳栋看世界.',
    );
    expect(md).toContain(
      '- **weibo keyword "联合国 决议" returned nothing in 5 rounds**, since 2023-02-24 09:00:00 UTC (watch `un-vote`).',
    );
  });

  it('HTML: the same section, escaped, before the key figures', () => {
    const html = renderHtml(report);
    const at = html.indexOf('<h2>Watch problems (2 open)</h2>');
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(html.indexOf('<h2>Key figures</h2>'));
    expect(html).toContain(
      '<li><strong>netease account &quot;张佳栋看世界&quot; cannot be resolved</strong>, since 2023-02-24 08:10:00 UTC',
    );
    expect(html).toContain(
      '<strong>weibo keyword &quot;联合国 决议&quot; returned nothing in 5 rounds</strong>, since 2023-02-24 09:00:00 UTC',
    );
  });

  it("a report of another watch leaves out the topic's problems; without problems there is no section", () => {
    const baseline = buildReport(store, { watchId: 'baseline', now: NOW });
    expect(baseline.problems).toEqual([]);
    expect(renderMarkdown(baseline)).not.toContain('Watch problems');
    expect(renderHtml(baseline)).not.toContain('Watch problems');
  });

  it('pseudonymized: a watched account is named by its pseudonym, and its message left out', () => {
    const p = new Pseudonymizer('a key of sixteen or more characters');
    const r = buildReport(store, { watchId: 'un-vote', now: NOW, pseudonymizer: p });
    const account = r.problems.find((x) => x.subject === 'account')!;
    const pseudonym = p.author('netease', null, '张佳栋看世界').author!;
    expect(account).toMatchObject({
      query: pseudonym,
      message: null,
      summary: `netease account "${pseudonym}" cannot be resolved`,
    });
    expect(renderJson(r)).not.toContain('张佳栋看世界');
    expect(renderMarkdown(r)).not.toContain('张佳栋看世界');
  });
});

import {
  EVENT_COLUMNS,
  TARGET_COLUMNS,
  exportEvents,
  exportTargets,
  type EventExportRow,
  type TargetExportRow,
} from '../../../src/report/export';
import { MissingPseudonymKeyError, Pseudonymizer } from '../../../src/report/pseudonym';
import type { Store } from '../../../src/store/store';
import {
  CENSORED_NOTICE,
  HOUR,
  MIN,
  NETEASE_URL,
  Sink,
  T0,
  TRICKY_TEXT,
  WEIBO_URL,
  parseCsv,
  seedScenario,
  tempStore,
} from './helpers';

let store: Store;
let cleanup: () => void;

beforeAll(() => {
  const t = tempStore();
  store = t.store;
  cleanup = t.cleanup;
  seedScenario(store);
});
afterAll(() => cleanup());

async function jsonl<T>(
  fn: (out: Sink) => Promise<number>,
): Promise<{ rows: T[]; keys: string[][]; n: number }> {
  const sink = new Sink();
  const n = await fn(sink);
  const lines = sink.text().split('\n');
  expect(lines.pop()).toBe('');
  const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  return { rows: parsed as T[], keys: parsed.map((r) => Object.keys(r)), n };
}

/** The CSV form of a JSON value, as the contract defines it. */
function asCsv(v: unknown): string {
  if (v === null) return '';
  if (Array.isArray(v)) return v.join(';');
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

describe('exportTargets', () => {
  it('writes JSONL with exactly the contract keys, in order, one row per target', async () => {
    const { rows, keys, n } = await jsonl<TargetExportRow>((out) =>
      exportTargets(store, { format: 'jsonl' }, out),
    );
    expect(n).toBe(10);
    expect(rows).toHaveLength(10);
    for (const k of keys) expect(k).toEqual([...TARGET_COLUMNS]);
    expect(TARGET_COLUMNS).toEqual([
      'platform',
      'kind',
      'id',
      'url',
      'watches',
      'verdict',
      'cause',
      'createdAt',
      'firstSeenAt',
      'lastAliveAt',
      'goneAt',
      'notice',
      'keywords',
      'editCount',
      'observations',
      'author',
      'authorId',
      'text',
    ]);
    // The target in both watches is one row naming both.
    const shared = rows.filter((r) => r.id === '4900000000000003');
    expect(shared).toHaveLength(1);
    expect(shared[0]!.watches).toEqual(['baseline', 'un-vote']);
  });

  it('fills each field from the target state, times as ISO 8601 UTC', async () => {
    const { rows } = await jsonl<TargetExportRow>((out) =>
      exportTargets(store, { format: 'jsonl', watchId: 'un-vote' }, out),
    );
    expect(rows.map((r) => r.id).sort()).toEqual([
      '4900000000000001',
      '4900000000000002',
      '4900000000000003',
      '4900000000000004',
      'KC12OUHK000189FH',
    ]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get('4900000000000001')).toEqual({
      platform: 'weibo',
      kind: 'post',
      id: '4900000000000001',
      url: WEIBO_URL('4900000000000001'),
      watches: ['un-vote'],
      verdict: 'gone',
      cause: 'removed_by_platform',
      createdAt: new Date(T0 - 10 * MIN).toISOString(),
      firstSeenAt: new Date(T0).toISOString(),
      lastAliveAt: '2023-02-24T08:00:00.000Z',
      goneAt: new Date(T0 + 20 * MIN).toISOString(),
      notice: CENSORED_NOTICE,
      keywords: ['联合国 决议'],
      editCount: 0,
      observations: 3,
      author: '观察者',
      authorId: '1001',
      text: TRICKY_TEXT,
    });
    const edited = byId.get('4900000000000002')!;
    expect(edited).toMatchObject({
      verdict: 'gone',
      cause: 'deleted_by_author',
      editCount: 1,
      text: '原文：投票结果已更正',
    });
    expect(edited.goneAt).toBe(new Date(T0 + 3 * HOUR).toISOString());
    const alive = byId.get('4900000000000003')!;
    expect(alive).toMatchObject({ verdict: 'alive', cause: null, goneAt: null, notice: null, keywords: [] });
    const never = byId.get('4900000000000004')!;
    expect(never).toMatchObject({
      verdict: 'gone',
      cause: 'gone_unspecified',
      lastAliveAt: null,
      text: null,
      author: null,
    });
    // Seen only in a truncated listing: the text comes from the stored content.
    const netease = byId.get('KC12OUHK000189FH')!;
    expect(netease).toMatchObject({
      platform: 'netease',
      url: NETEASE_URL,
      author: '网易新闻',
      authorId: null,
      text: '网易文章摘要：表决',
    });
  });

  it('writes CSV that parses back to the same values, including a comma, a quote and a newline', async () => {
    const { rows } = await jsonl<TargetExportRow>((out) => exportTargets(store, { format: 'jsonl' }, out));
    const sink = new Sink();
    const n = await exportTargets(store, { format: 'csv' }, sink);
    expect(n).toBe(10);
    const text = sink.text();
    expect(text.charCodeAt(0)).not.toBe(0xfeff);
    const parsed = parseCsv(text);
    expect(parsed[0]).toEqual([...TARGET_COLUMNS]);
    expect(parsed).toHaveLength(11);
    parsed.slice(1).forEach((record, i) => {
      const row = rows[i]! as unknown as Record<string, unknown>;
      expect(record).toEqual(TARGET_COLUMNS.map((c) => asCsv(row[c])));
    });
    const tricky = parsed.find((r) => r[2] === '4900000000000001')!;
    expect(tricky[TARGET_COLUMNS.indexOf('text')]).toBe(TRICKY_TEXT);
    expect(tricky[TARGET_COLUMNS.indexOf('keywords')]).toBe('联合国 决议');
    expect(tricky[4]).toBe('un-vote');
    expect(parsed.find((r) => r[2] === '4900000000000003')![4]).toBe('baseline;un-vote');
    // The raw text quotes the field and doubles the quote.
    expect(text).toContain('"他说 ""弃权, 不是反对""\n第二行 <b>&amp; 联合国"');
  });

  it('adds a byte-order mark only when asked (for Excel)', async () => {
    const sink = new Sink();
    await exportTargets(store, { format: 'csv', bom: true, watchId: 'baseline' }, sink);
    const text = sink.text();
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(parseCsv(text.slice(1))[0]).toEqual([...TARGET_COLUMNS]);
    expect(parseCsv(text.slice(1))).toHaveLength(7);
  });

  it('--excel keeps 16-digit ids as text, behind a BOM', async () => {
    const sink = new Sink();
    await exportTargets(store, { format: 'csv', excel: true, watchId: 'un-vote' }, sink);
    const text = sink.text();
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const parsed = parseCsv(text.slice(1));
    const id = TARGET_COLUMNS.indexOf('id');
    const authorId = TARGET_COLUMNS.indexOf('authorId');
    const p1 = parsed.find((r) => r[id] === '="4900000000000001"')!;
    expect(p1).toBeDefined();
    expect(p1[authorId]).toBe('="1001"');
    // An empty id stays empty rather than becoming ="".
    expect(parsed.find((r) => r[id] === '="KC12OUHK000189FH"')![authorId]).toBe('');
    expect(p1[TARGET_COLUMNS.indexOf('text')]).toBe(TRICKY_TEXT);
  });

  it('--pseudonymize replaces author ids and names by a keyed hash, stable across runs', async () => {
    const run = async (key: string): Promise<TargetExportRow[]> =>
      (
        await jsonl<TargetExportRow>((out) =>
          exportTargets(store, { format: 'jsonl', pseudonymizer: new Pseudonymizer(key) }, out),
        )
      ).rows;
    const a = await run('k'.repeat(32));
    const b = await run('k'.repeat(32));
    const other = await run('x'.repeat(32));
    const text = JSON.stringify(a);
    expect(text).not.toContain('观察者');
    expect(text).not.toContain('"1001"');
    expect(text).not.toContain('网易新闻');
    const p1 = a.find((r) => r.id === '4900000000000001')!;
    expect(p1.authorId).toMatch(/^a_[0-9a-f]{16}$/);
    // One author, one pseudonym: the name column carries the id's pseudonym.
    expect(p1.author).toBe(p1.authorId);
    expect(a.find((r) => r.id === '5000000000000001')!.authorId).toBe(p1.authorId);
    expect(b).toEqual(a);
    expect(other.find((r) => r.id === '4900000000000001')!.authorId).not.toBe(p1.authorId);
    expect(() => new Pseudonymizer('')).toThrow(MissingPseudonymKeyError);
  });
});

describe('exportEvents', () => {
  it('writes JSONL event rows with exactly the contract keys, one per stored event row', async () => {
    const { rows, keys } = await jsonl<EventExportRow>((out) =>
      exportEvents(store, { format: 'jsonl' }, out),
    );
    for (const k of keys)
      expect(k).toEqual([
        'type',
        'at',
        'watch',
        'platform',
        'targetId',
        'keyword',
        'cause',
        'detail',
        'kind',
      ]);
    // 11 targets discovered (the shared one once per watch), 4 topic + 1 baseline gone, 1 edit, 1 search.blocked.
    expect(rows.filter((r) => r.type === 'post.discovered')).toHaveLength(11);
    const gone = rows.filter((r) => r.type === 'post.gone');
    expect(gone.map((r) => [r.targetId, r.cause, r.watch]).sort()).toEqual([
      ['4900000000000001', 'removed_by_platform', 'un-vote'],
      ['4900000000000002', 'deleted_by_author', 'un-vote'],
      ['4900000000000004', 'gone_unspecified', 'un-vote'],
      ['5000000000000005', 'deleted_by_author', 'baseline'],
      ['KC12OUHK000189FH', 'removed_by_platform', 'un-vote'],
    ]);
    const g1 = gone.find((r) => r.targetId === '4900000000000001')!;
    expect(g1.at).toBe(new Date(T0 + 22 * MIN).toISOString());
    expect(g1.detail).toMatchObject({ lastAliveAt: T0, goneAt: T0 + 20 * MIN });
    expect(g1.keyword).toBeNull();
    // A post found by a keyword search names the keyword on its post.discovered row.
    const found = rows.find((r) => r.type === 'post.discovered' && r.targetId === '4900000000000001')!;
    expect(found.keyword).toBe('联合国 决议');
    expect(
      rows.find((r) => r.type === 'post.discovered' && r.targetId === '4900000000000002')!.keyword,
    ).toBeNull();
    const search = rows.find((r) => r.type === 'search.blocked')!;
    expect(search).toEqual({
      type: 'search.blocked',
      at: new Date(T0 + HOUR).toISOString(),
      watch: 'un-vote',
      platform: 'weibo',
      targetId: null,
      keyword: '联合国 决议',
      cause: null,
      detail: { reason: 'notice', notice: '根据相关法律法规和政策，搜索结果未予显示', results: 0 },
      kind: null,
    });
    const edit = rows.find((r) => r.type === 'post.edited')!;
    expect(edit.detail.diffText).toBe('原文：投票结果{+已更正+}');
  });

  it('filters by watch and writes CSV with detail as JSON', async () => {
    const { rows } = await jsonl<EventExportRow>((out) =>
      exportEvents(store, { format: 'jsonl', watchId: 'baseline' }, out),
    );
    expect(rows.every((r) => r.watch === 'baseline')).toBe(true);
    expect(rows).toHaveLength(7);
    const sink = new Sink();
    expect(await exportEvents(store, { format: 'csv', watchId: 'baseline' }, sink)).toBe(7);
    const parsed = parseCsv(sink.text());
    expect(parsed[0]).toEqual([...EVENT_COLUMNS]);
    parsed.slice(1).forEach((record, i) => {
      const row = rows[i]! as unknown as Record<string, unknown>;
      expect(record).toEqual(EVENT_COLUMNS.map((c) => asCsv(row[c])));
      expect(JSON.parse(record[7]!)).toEqual(row.detail);
    });
  });
});

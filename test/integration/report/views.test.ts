import { execFileSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { TARGET_COLUMNS, exportTargets, type TargetExportRow } from '../../../src/report/export';
import type { Store } from '../../../src/store/store';
import { CENSORED_NOTICE, MIN, Sink, T0, TRICKY_TEXT, seedScenario, tempStore } from './helpers';

let store: Store;
let file: string;
let cleanup: () => void;
let db: Database.Database;

beforeAll(() => {
  const t = tempStore();
  store = t.store;
  file = t.file;
  cleanup = t.cleanup;
  seedScenario(store);
  // Read as an outside tool would: its own read-only connection, nothing of censorwatch's.
  db = new Database(file, { readonly: true, fileMustExist: true });
});
afterAll(() => {
  db.close();
  cleanup();
});

type Row = Record<string, unknown>;

describe('SQL views for outside tools', () => {
  it('v_targets has the export columns and the same values as the JSONL export', async () => {
    const sink = new Sink();
    await exportTargets(store, { format: 'jsonl' }, sink);
    const exported = sink
      .text()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as TargetExportRow);
    const rows = db.prepare('SELECT * FROM v_targets ORDER BY platform, id').all() as Row[];
    expect(Object.keys(rows[0]!)).toEqual([...TARGET_COLUMNS]);
    expect(rows).toHaveLength(exported.length);
    for (const e of exported) {
      const v = rows.find((r) => r.platform === e.platform && r.id === e.id)!;
      for (const c of TARGET_COLUMNS) {
        const want = e[c];
        const got = v[c];
        if (Array.isArray(want)) expect(got ?? '').toBe(want.join(';'));
        else expect(got ?? null).toEqual(want);
      }
    }
  });

  it('v_gone lists gone targets with window, notice and evidence digest', () => {
    const rows = db.prepare('SELECT * FROM v_gone ORDER BY goneAt').all() as Row[];
    expect(rows.map((r) => r.id)).toEqual([
      '4900000000000004',
      '4900000000000001',
      '4900000000000002',
      '5000000000000005',
      'KC12OUHK000189FH',
    ]);
    const p1 = rows.find((r) => r.id === '4900000000000001')!;
    expect(p1).toMatchObject({
      cause: 'removed_by_platform',
      notice: CENSORED_NOTICE,
      windowMinutes: 20,
      lastAliveText: TRICKY_TEXT,
      lastAliveAt: new Date(T0).toISOString(),
      goneAt: new Date(T0 + 20 * MIN).toISOString(),
    });
    expect(p1.evidenceSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(rows.find((r) => r.id === '4900000000000004')!.windowMinutes).toBeNull();
  });

  it('v_observations and v_events read without the internal tables', () => {
    const obs = db
      .prepare(`SELECT * FROM v_observations WHERE id = '4900000000000001' ORDER BY observationId`)
      .all() as Row[];
    expect(obs.map((o) => [o.outcome, o.outcomeKind])).toEqual([
      ['alive', 'alive'],
      ['removed_by_platform', 'final'],
      ['removed_by_platform', 'final'],
    ]);
    expect(obs[0]!.text).toBe(TRICKY_TEXT);
    expect(obs[1]!.message).toBe(CENSORED_NOTICE);
    const ev = db
      .prepare(`SELECT * FROM v_events WHERE type = 'post.discovered' AND targetId = '4900000000000001'`)
      .get() as Row;
    expect(ev).toMatchObject({ watch: 'un-vote', keyword: '联合国 决议', kind: 'post' });
    expect(ev.at).toBe(new Date(T0).toISOString());
  });

  // better-sqlite3 bundles a recent SQLite; pandas, Datasette and the sqlite3 command use the system's
  // library (3.40 on Debian 12), which refused v_targets and v_gone once ("no such column: t.cause").
  it('every view reads the same through the system sqlite3 command as through better-sqlite3', () => {
    const version = execFileSync('sqlite3', ['--version'], { encoding: 'utf8' });
    expect(version).toMatch(/^3\./);
    for (const view of ['v_targets', 'v_gone', 'v_observations', 'v_events']) {
      const sql = `SELECT count(*) FROM ${view}`;
      const got = execFileSync('sqlite3', ['-readonly', file, sql], { encoding: 'utf8' }).trim();
      const want = db.prepare(sql).raw().get() as number[];
      expect(`${view} ${got}`).toBe(`${view} ${want.join('|')}`);
    }
    const notices = execFileSync(
      'sqlite3',
      ['-readonly', file, 'SELECT id, notice, evidenceSha256 FROM v_gone ORDER BY id'],
      {
        encoding: 'utf8',
      },
    ).trim();
    const rows = db
      .prepare('SELECT id, notice, evidenceSha256 FROM v_gone ORDER BY id')
      .raw()
      .all() as unknown[][];
    expect(notices).toBe(rows.map((r) => r.map((c) => c ?? '').join('|')).join('\n'));
  });
});

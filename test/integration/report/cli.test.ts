/** `claim`, `export --excel/--pseudonymize` and `report` through the real CLI, as a user runs them. */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../cli/helpers';
import { Store } from '../../../src/store/store';
import { seedScenario } from './helpers';

let dir: string;
let config: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'censorwatch-report-cli-'));
  const db = join(dir, 'cw.db');
  const store = Store.open(db);
  seedScenario(store);
  store.close();
  config = join(dir, 'watch.yaml');
  writeFileSync(
    config,
    [
      `database: ${db}`,
      'watches:',
      '  - { id: un-vote, name: UN vote, weibo: { keywords: ["联合国 决议"] } }',
      '  - { id: baseline, name: Weather, weibo: { keywords: ["天气"] } }',
      '',
    ].join('\n'),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('censorwatch claim', () => {
  it('prints one paragraph, and the contract JSON with --format json', async () => {
    const text = await cli(['claim', '--config', config, '--watch', 'un-vote', '--baseline', 'baseline']);
    expect(text.code).toBe(0);
    expect(text.stdout.trim().split('\n')).toHaveLength(1);
    expect(text.stdout).toMatch(
      /^censorwatch found 5 posts for the watch "CCP vote on UN resolution A\/77\/L\.65"/,
    );
    const json = await cli(['claim', '-c', config, '-w', 'un-vote', '-b', 'baseline', '--format', 'json']);
    expect(json.code).toBe(0);
    const r = JSON.parse(json.stdout) as Record<string, unknown>;
    expect(Object.keys(r)).toEqual([
      'watch',
      'baselineWatch',
      'topic',
      'baseline',
      'pValue',
      'test',
      'verdict',
      'caveats',
    ]);
    expect(r.verdict).toBe('insufficient_data');
  }, 300_000);

  it('exits 2 naming the database when it does not exist, and creates none', async () => {
    const missing = join(dir, 'missing.yaml');
    writeFileSync(
      missing,
      `database: ${join(dir, 'nope.db')}\nwatches:\n  - { id: un-vote, name: x, weibo: { keywords: [a] } }\n`,
    );
    const r = await cli(['claim', '--config', missing, '--watch', 'un-vote']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nope.db');
    expect(existsSync(join(dir, 'nope.db'))).toBe(false);
  }, 300_000);
});

describe('censorwatch export and report options', () => {
  it('--excel writes a BOM and ids as text; --pseudonymize needs a key and then hides authors', async () => {
    const excel = await cli(['export', '-c', config, '-f', 'csv', '--excel', '-w', 'un-vote']);
    expect(excel.code).toBe(0);
    expect(excel.stdout.charCodeAt(0)).toBe(0xfeff);
    expect(excel.stdout).toContain('"=""4900000000000001"""');
    const noKey = await cli(['export', '-c', config, '-f', 'jsonl', '--pseudonymize'], {
      env: { CENSORWATCH_PSEUDONYM_KEY: '' },
    });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain('CENSORWATCH_PSEUDONYM_KEY');
    const env = { CENSORWATCH_PSEUDONYM_KEY: 'a-long-enough-secret-key' };
    const a = await cli(['export', '-c', config, '-f', 'jsonl', '--pseudonymize'], { env });
    const b = await cli(['export', '-c', config, '-f', 'jsonl', '--pseudonymize'], { env });
    expect(a.code).toBe(0);
    expect(a.stdout).not.toContain('观察者');
    expect(a.stdout).toBe(b.stdout);
    const html = await cli(
      [
        'report',
        '-c',
        config,
        '-w',
        'un-vote',
        '-b',
        'baseline',
        '-f',
        'html',
        '--pseudonymize',
        '-o',
        join(dir, 'r.html'),
      ],
      { env },
    );
    expect(html.code).toBe(0);
    const page = readFileSync(join(dir, 'r.html'), 'utf8');
    expect(page).not.toContain('观察者');
    expect(page).toContain(`censorwatch evidence --config ${config} --target weibo:4900000000000001`);
  }, 300_000);
});

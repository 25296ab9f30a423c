import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../../../src/store/store';
import { cli } from './helpers';

const root = realpathSync(mkdtempSync(join(tmpdir(), 'censorwatch-home-')));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const home = join(root, 'home');
const work = join(root, 'work');
mkdirSync(home);
mkdirSync(work);
/** The child's home folder is ours; overrides from the outer environment would change the database. */
const ENV = {
  HOME: home,
  CENSORWATCH_DATABASE: '',
  CENSORWATCH_REDIS: '',
  CENSORWATCH_CONCURRENCY: '',
  CENSORWATCH_WEIBO_COOKIE: '',
};
const WATCH = `watches:\n  - id: w\n    weibo: { keywords: ["联合国"] }\n`;

/**
 * `database: ~/cw.db` in a config, and `--config=~/…` or a quoted `"~/…"` given to a flag, never
 * pass through the shell's expansion: censorwatch reads them as the home folder, and nothing named
 * `~` appears in the working directory.
 */
describe('~ in config paths and path flags is the home folder', () => {
  it('export reads ~/cw.db and writes --out=~/out.jsonl, leaving the working directory empty', async () => {
    Store.open(join(home, 'cw.db')).close();
    writeFileSync(join(home, 'watch.yaml'), `database: ~/cw.db\n${WATCH}`);
    const r = await cli(['export', '--config=~/watch.yaml', '--format', 'jsonl', '--out=~/out.jsonl'], {
      cwd: work,
      env: ENV,
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(existsSync(join(home, 'out.jsonl'))).toBe(true);
    expect(readdirSync(work)).toEqual([]);
  });

  it('status names the expanded path of a database that is not there, and creates nothing', async () => {
    writeFileSync(join(home, 'typo.yaml'), `database: ~/typo/cw.db\n${WATCH}`);
    const r = await cli(['status', '--config', '~/typo.yaml', '--no-session'], { cwd: work, env: ENV });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`database: ${join(home, 'typo', 'cw.db')} does not exist`);
    expect(readdirSync(work)).toEqual([]);
    expect(existsSync(join(home, 'typo'))).toBe(false);
  });

  it("another user's ~alice/ is exit 2 naming the flag", async () => {
    const r = await cli(['status', '--config', '~alice/watch.yaml'], { cwd: work, env: ENV });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--config');
    expect(r.stderr).toContain('only ~ and ~/ (your own home folder) are expanded, not ~alice');
    expect(readdirSync(work)).toEqual([]);
  });
});

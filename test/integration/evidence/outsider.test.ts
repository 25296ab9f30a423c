/**
 * A bundle checked as someone without censorwatch would check it: from a real run against the
 * simulator (the demo's day), time-stamped by a local TSA, written by the CLI, unzipped with unzip,
 * and checked with sha256sum, openssl, warcio and the bundle's own check.py, which must also catch
 * one changed byte in any file.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, copyFileSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { WARCParser } from 'warcio';
import { guardAgainstLeaks } from '../../helpers/leak-guard';
import { tempDir } from '../../helpers/temp';
import { cli } from '../cli/helpers';
import { startTsa, type LocalTsa } from './tsa';

guardAgainstLeaks();

/* eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed JSON read field by field */
type Json = any;

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** Every file under `dir`, as paths relative to it. */
function walk(dir: string, root = dir): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? walk(full, root) : [relative(root, full)];
  });
}

function checkPy(dir: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync('python3', ['check.py'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let tsa: LocalTsa;

// Its own block, so the TSA closes before the leak guard of the file counts what is left.
describe('the bundle, as an outsider checks it', () => {
  beforeAll(async () => (tsa = await startTsa()));
  afterAll(async () => tsa.close());

  test('a bundle from a simulated day holds each fetch once, and its files, WARC, log and token check without censorwatch', async () => {
    const dir = tempDir('censorwatch-outsider-');
    const db = join(dir, 'd.db');
    const demo = await cli(['demo', '--db', db, '--days', '1'], { timeoutMs: 400_000 });
    expect(demo.code).toBe(0);
    const config = join(dir, 'd.yaml');
    appendFileSync(config, `\nevidence:\n  timestamp: { url: "${tsa.url}", every: 1h }\n`);
    const stamp = await cli(['timestamp', '--config', config]);
    expect(stamp.code).toBe(0);

    // The Weibo post with the most observations: direct checks, search pages and reposts that embed it.
    const rows = (await cli(['export', '--config', config, '--format', 'jsonl'])).stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Json);
    const post = rows
      .filter((r) => r.platform === 'weibo' && r.kind === 'post')
      .sort((a, b) => b.observations - a.observations)[0];
    expect(post.observations).toBeGreaterThan(10);
    const zip = join(dir, 'bundle.zip');
    const made = await cli(['evidence', '--config', config, '--target', `weibo:${post.id}`, '--out', zip]);
    expect(made.code).toBe(0);
    expect(made.stdout).toMatch(/log time-stamped at entry \d+/);

    const out = join(dir, 'bundle');
    execFileSync('unzip', ['-q', zip, '-d', out]);
    const files = walk(out).sort();
    expect(files).toEqual(expect.arrayContaining(['README.txt', 'manifest.json', 'SHA256SUMS', 'check.py']));
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Json;
    expect(manifest.observations).toHaveLength(post.observations);

    // Every manifest sha256, and sha256sum's own word on SHA256SUMS.
    for (const f of manifest.files)
      expect([f.path, sha256(readFileSync(join(out, f.path)))]).toEqual([f.path, f.sha256]);
    const sums = execFileSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: out }).toString().trim().split('\n');
    expect(sums.length).toBe(files.length - 1);
    for (const line of sums) expect(line).toMatch(/: OK$/);

    // The WACZ's WARC through warcio: no record id twice, each fetch once, every named record there.
    const wacz = join(dir, 'wacz');
    execFileSync('unzip', ['-q', join(out, manifest.wacz), '-d', wacz]);
    const ids: string[] = [];
    const types = new Map<string, string>();
    for await (const record of WARCParser.iterRecords([readFileSync(join(wacz, 'archive/data.warc.gz'))])) {
      const payload = await record.readFully(true);
      const id = record.warcHeader('WARC-Record-ID')!;
      ids.push(id);
      types.set(id, record.warcType!);
      if (record.warcType !== 'warcinfo') expect(record.warcPayloadDigest).toBe(`sha256:${sha256(payload)}`);
    }
    expect(ids.length).toBeGreaterThan(3);
    expect(ids.length - new Set(ids).size).toBe(0);
    const captures = manifest.captures as Json[];
    expect(captures.length).toBeLessThanOrEqual(manifest.observations.length);
    expect([...types.values()].filter((t) => t === 'response').length).toBe(
      captures.reduce((n, c) => n + c.warc.exchanges.length, 0),
    );
    for (const o of manifest.observations) for (const id of o.warcRecords) expect(types.has(id)).toBe(true);
    // A fetch that backs more than one observation of the post (a search page with a repost of it).
    expect(captures.some((c) => c.observations.length > 1)).toBe(true);
    const pkg = JSON.parse(readFileSync(join(wacz, 'datapackage.json'), 'utf8')) as Json;
    expect(captures.find((c) => c.url === pkg.mainPageUrl && c.own)).toBeDefined();
    expect(pkg.mainPageUrl).toContain(post.id);

    // The README's commands, as written: check.py and openssl against the TSA's certificates.
    const readme = readFileSync(join(out, 'README.txt'), 'utf8');
    expect(readme).toMatch(/^ +python3 check\.py/m);
    expect(readme).toMatch(/^ +sha256sum -c SHA256SUMS/m);
    expect(readme).toMatch(/replayweb\.page/);
    const verify = /^ +(openssl ts -verify -in \S+ -data \S+ -CAfile cacert\.pem -untrusted tsa\.crt)$/m.exec(
      readme,
    );
    expect(verify).not.toBeNull();
    copyFileSync(tsa.caFile, join(out, 'cacert.pem'));
    copyFileSync(tsa.tsaCertFile, join(out, 'tsa.crt'));
    const openssl = spawnSync('sh', ['-c', verify![1]!], { cwd: out, encoding: 'utf8' });
    expect(openssl.stdout).toMatch(/Verification: OK/);

    const intact = checkPy(out);
    expect(intact.stderr).toBe('');
    expect(intact.code).toBe(0);
    const lines = intact.stdout.trim().split('\n');
    for (const line of lines.slice(0, -1)) expect(line).toMatch(/^(OK|NOTE) {2}/);
    expect(lines.at(-1)).toMatch(/every check holds$/);
    expect(intact.stdout).toMatch(
      /^OK {4}archive\/data\.warc\.gz: \d+ WARC records, no WARC-Record-ID twice$/m,
    );
    expect(intact.stdout).toMatch(/^OK {4}manifest\.json: the post's chain of \d+ observations links up$/m);
    expect(intact.stdout).toMatch(
      /^OK {4}log\/head-\d+\.txt: the time-stamped head is the log's last line$/m,
    );

    // One byte changed in any file (check.py aside: a changed checker proves nothing) fails it.
    for (const path of files.filter((p) => p !== 'check.py')) {
      const full = join(out, path);
      const original = readFileSync(full);
      const changed = Buffer.from(original);
      const at = Math.floor(changed.length / 2);
      changed[at] = changed[at]! ^ 0x01;
      writeFileSync(full, changed);
      try {
        const r = checkPy(out);
        expect({ path, code: r.code }).toEqual({ path, code: 1 });
        expect(r.stdout).toMatch(/^FAIL {2}/m);
      } finally {
        writeFileSync(full, original);
      }
    }
    expect(checkPy(out).code).toBe(0);
  }, 900_000);
});

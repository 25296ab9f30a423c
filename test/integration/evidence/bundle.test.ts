import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import pino from 'pino';
import { WARCParser } from 'warcio';
import { ManualClock } from '../../../src/domain/clock';
import { buildBundle } from '../../../src/evidence/bundle';
import { Timestamper } from '../../../src/evidence/timestamper';
import { cli } from '../cli/helpers';
import { MIN, POSTS, REMOVED, T0, alive, recordStory, ref, tempDb } from './helpers';
import { opensslVerify, startTsa, type LocalTsa } from './tsa';

let tsa: LocalTsa;
let db: ReturnType<typeof tempDb>;
beforeAll(async () => (tsa = await startTsa()));
afterAll(async () => tsa.close());
beforeEach(async () => {
  db = tempDb();
  recordStory(db.store, db.recorder);
  const stamper = new Timestamper({
    store: db.store,
    url: tsa.url,
    every: 60 * MIN,
    clock: new ManualClock(T0 + 20 * MIN),
    logger: pino({ level: 'silent' }),
  });
  expect((await stamper.stamp()).state).toBe('granted');
});
afterEach(() => db.cleanup());

/* eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed JSON read field by field */
type Json = any;
const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const text = (b: Uint8Array | undefined): string => Buffer.from(b!).toString('utf8');

/** Compression method of each entry, read from the zip's central directory. */
function methods(zip: Buffer): Map<string, number> {
  const out = new Map<string, number>();
  for (
    let i = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    i >= 0;
    i = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), i + 4)
  ) {
    const method = zip.readUInt16LE(i + 10);
    const nameLength = zip.readUInt16LE(i + 28);
    out.set(zip.subarray(i + 46, i + 46 + nameLength).toString('utf8'), method);
  }
  return out;
}

/** Writes the unzipped files into a directory, for the outside tools. */
function extract(files: Record<string, Uint8Array>, dir: string): void {
  for (const [path, data] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), data);
  }
}

describe('the evidence bundle of a removed post, checked without censorwatch', () => {
  it('holds files whose sha256 match, a WACZ 1.1.1, WARC digests that hold, a log that links up to a stamped head, and a token openssl verifies', async () => {
    const removedPost = POSTS[2];
    const bundle = await buildBundle({
      store: db.store,
      target: ref(removedPost),
      watches: [{ id: 'un-vote-2023' } as never],
      version: '0.1.0',
      now: T0 + 30 * MIN,
    });
    const files = unzipSync(bundle.zip);
    const dir = join(db.dir, 'bundle');
    extract(files, dir);

    // 1. Files: the manifest's sha256 with node:crypto, SHA256SUMS with sha256sum itself.
    const manifest = JSON.parse(text(files['manifest.json'])) as Json;
    expect(manifest.files.length).toBeGreaterThanOrEqual(4);
    for (const f of manifest.files) {
      expect({ path: f.path, sha256: sha256(files[f.path]!) }).toEqual({ path: f.path, sha256: f.sha256 });
      expect(files[f.path]!.length).toBe(f.bytes);
    }
    const sums = execFileSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: dir }).toString();
    expect(
      sums
        .trim()
        .split('\n')
        .every((l) => l.endsWith(': OK')),
    ).toBe(true);
    expect(sums).toMatch(/manifest\.json: OK/);
    expect(Object.keys(files)).toEqual(expect.arrayContaining(['README.txt', 'manifest.json', 'SHA256SUMS']));
    expect(manifest.version).toBe('0.1.0');
    expect(manifest.watches).toEqual([{ id: 'un-vote-2023' }]);
    expect(manifest.target).toMatchObject({
      platform: 'weibo',
      id: removedPost,
      verdict: 'gone',
      cause: 'removed_by_platform',
    });
    expect(manifest.observations.map((o: Json) => o.outcome)).toEqual([
      'alive',
      'removed_by_platform',
      'removed_by_platform',
    ]);
    expect(manifest.observations[1].notice).toBe(REMOVED);
    const readme = text(files['README.txt']);
    expect(readme).toMatch(/sha256sum -c SHA256SUMS/);
    expect(readme).toMatch(/openssl ts -verify/);
    expect(readme).toMatch(/replayweb\.page/);

    // 2. The WACZ, field by field against WACZ 1.1.1.
    expect(methods(bundle.zip).get(manifest.wacz)).toBe(0);
    const waczBytes = Buffer.from(files[manifest.wacz]!);
    const wacz = unzipSync(waczBytes);
    const pkg = JSON.parse(text(wacz['datapackage.json'])) as Json;
    expect(pkg.profile).toBe('data-package');
    expect(pkg.wacz_version).toBe('1.1.1');
    expect(typeof pkg.title).toBe('string');
    expect(Date.parse(pkg.created)).not.toBeNaN();
    expect(pkg.software).toMatch(/^censorwatch/);
    const listed = new Set<string>();
    for (const r of pkg.resources) {
      expect(r.name).toBe(r.path.split('/').pop());
      expect(r.hash).toBe(`sha256:${sha256(wacz[r.path]!)}`);
      expect(r.bytes).toBe(wacz[r.path]!.length);
      listed.add(r.path);
    }
    // Every file but the manifest and its digest is a listed resource.
    expect(
      Object.keys(wacz)
        .filter((p) => !p.startsWith('datapackage'))
        .sort(),
    ).toEqual([...listed].sort());
    const digest = JSON.parse(text(wacz['datapackage-digest.json']));
    expect(digest).toEqual({ path: 'datapackage.json', hash: `sha256:${sha256(wacz['datapackage.json']!)}` });
    const warcPaths = Object.keys(wacz).filter((p) => p.startsWith('archive/'));
    expect(warcPaths).toEqual(['archive/data.warc.gz']);
    const waczMethods = methods(waczBytes);
    for (const p of warcPaths) expect(waczMethods.get(p)).toBe(0);
    const pages = text(wacz['pages/pages.jsonl'])
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(pages[0]).toEqual({ format: 'json-pages-1.0', id: 'pages', title: 'All Pages' });
    expect(pages.length).toBe(4);
    for (const p of pages.slice(1)) {
      expect(p.url).toMatch(/^https:\/\/m\.weibo\.cn\//);
      expect(p.ts).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    }
    expect(pkg.mainPageUrl).toBe(pages[3].url);

    // The CDXJ index points at response records in the WARC.
    const warc = Buffer.from(wacz['archive/data.warc.gz']!);
    const index = text(wacz['indexes/index.cdxj']).trim().split('\n');
    expect(index).toHaveLength(3);
    for (const line of index) {
      const m = /^(\S+) (\d{14}) (\{.*\})$/.exec(line)!;
      expect(m).not.toBeNull();
      const entry = JSON.parse(m[3]!);
      expect(entry.filename).toBe('data.warc.gz');
      const slice = warc.subarray(Number(entry.offset), Number(entry.offset) + Number(entry.length));
      const record = await WARCParser.parse([slice]);
      expect(record!.warcType).toBe('response');
      expect(record!.warcTargetURI).toBe(entry.url);
    }

    // Every WARC record's payload digest, through warcio's parser.
    let responses = 0;
    const bodyDigests: string[] = [];
    for await (const record of WARCParser.iterRecords([warc])) {
      if (record.warcType === 'warcinfo') continue;
      const payload = await record.readFully(true);
      expect(record.warcPayloadDigest).toBe(`sha256:${sha256(payload)}`);
      if (record.warcType === 'response') {
        responses++;
        bodyDigests.push(sha256(payload));
        expect(record.warcHeader('WARC-Type')).toBe('response');
        expect(record.warcHeaders.protocol).toBe('WARC/1.1');
      }
    }
    expect(responses).toBe(3);
    expect(bodyDigests).toEqual(manifest.observations.map((o: Json) => o.bodySha256));

    // 3. The log: each head follows from the line before, up to the stamped head.
    const entries = text(files['log/entries.jsonl'])
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const h = (s: string): string => createHash('sha256').update(s).digest('hex');
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i];
      if (i > 0) expect(e.prev).toBe(entries[i - 1].head);
      if (e.facts) expect(h(e.facts)).toBe(e.factsSha256);
      expect(h(`${e.prev}\n${e.factsSha256}`)).toBe(e.head);
    }
    // This post's entries show their facts; the others' only their digest.
    const withFacts = entries.filter((e) => e.facts).map((e) => JSON.parse(e.facts).id);
    expect(withFacts).toEqual([removedPost, removedPost, removedPost]);
    expect(entries.some((e) => !e.facts)).toBe(true);
    const stamped = manifest.log.stamped;
    expect(entries[entries.length - 1].head).toBe(stamped.head);
    expect(text(files[stamped.file])).toBe(`${stamped.seq} ${stamped.head}\n`);
    for (const o of manifest.observations)
      expect(entries.find((e) => e.seq === o.log.seq)?.head).toBe(o.log.head);

    // 4. The token, with openssl against the test TSA's CA.
    const tsr = Object.keys(files).filter((p) => p.endsWith('.tsr'));
    expect(tsr).toEqual([stamped.token]);
    for (const t of tsr) expect(opensslVerify(tsa, join(dir, t), join(dir, t.slice(0, -4)))).toBe(true);
  });

  it("writes each fetch once: observations that share a capture point at its records, the same bytes fetched again are a fetch of their own, and the main page is the post's own fetch", async () => {
    const id = POSTS[0];
    // A search page that shows the post and a repost of it: two observations of the post, one fetch.
    const url =
      'https://m.weibo.cn/api/container/getIndex?containerid=100103type%3D1%26q%3D%E8%81%94%E5%90%88%E5%9B%BD&page_type=searchall';
    const body = Buffer.from(JSON.stringify({ ok: 1, data: { cards: [{ mblog: { id } }] } }), 'utf8');
    const evidence = {
      url,
      finalUrl: url,
      status: 200,
      contentType: 'application/json',
      body,
      exchanges: [
        {
          method: 'GET',
          url,
          requestHeaders: [['host', 'm.weibo.cn']] as [string, string][],
          status: 200,
          responseHeaders: [['content-type', 'application/json']] as [string, string][],
          body,
        },
      ],
    };
    const at = T0 + 12 * MIN;
    const listed = { ...alive(id, at, '联合国大会表决'), endpoint: 'm.search', evidence };
    const embedded = { ...listed, endpoint: 'm.repost-embed' };
    db.recorder.recordCheck(db.store.findTarget(ref(id))!, [listed, embedded], {});

    const bundle = await buildBundle({
      store: db.store,
      target: ref(id),
      watches: [],
      version: '0.1.0',
      now: T0 + 30 * MIN,
    });
    const files = unzipSync(bundle.zip);
    const manifest = JSON.parse(text(files['manifest.json'])) as Json;
    const wacz = unzipSync(Buffer.from(files[manifest.wacz]!));
    const warc = Buffer.from(wacz['archive/data.warc.gz']!);
    const ids: string[] = [];
    const types: string[] = [];
    for await (const record of WARCParser.iterRecords([warc])) {
      ids.push(record.warcHeader('WARC-Record-ID')!);
      types.push(record.warcType!);
    }
    expect(new Set(ids).size).toBe(ids.length);
    // Three unchanged direct checks (the same bytes at three times) and one search page.
    const obs = manifest.observations as Json[];
    expect(obs.map((o) => o.endpoint)).toEqual([
      'm.statuses.show',
      'm.statuses.show',
      'm.statuses.show',
      'm.search',
      'm.repost-embed',
    ]);
    expect(manifest.captures).toHaveLength(4);
    expect(types.filter((t) => t === 'response')).toHaveLength(4);
    expect(types.filter((t) => t === 'metadata')).toHaveLength(4);
    expect(obs[3].capture).toBe(obs[4].capture);
    expect(obs[3].warcRecords).toEqual(obs[4].warcRecords);
    expect(new Set(obs.slice(0, 4).map((o) => o.capture)).size).toBe(4);
    expect(new Set(obs.slice(0, 3).flatMap((o) => o.warcRecords as string[])).size).toBe(9);
    for (const o of obs) for (const r of o.warcRecords) expect(ids).toContain(r);
    const shared = manifest.captures.find((c: Json) => c.id === obs[3].capture);
    expect(shared).toMatchObject({ own: false, url, observations: [obs[3].id, obs[4].id] });
    // The latest fetch is the search page, but the main page is the post's own latest check.
    const pkg = JSON.parse(text(wacz['datapackage.json'])) as Json;
    expect(pkg.mainPageUrl).toBe(`https://m.weibo.cn/statuses/show?id=${id}`);
    expect(pkg.mainPageDate).toBe(new Date(T0 + 10 * MIN).toISOString());
    expect(manifest.mainPage).toEqual({
      capture: obs[2].capture,
      url: pkg.mainPageUrl,
      ts: pkg.mainPageDate,
    });
  });

  it('censorwatch evidence writes the zip for --target, and one per gone target for --watch', async () => {
    db.store.close();
    const config = join(db.dir, 'watch.yaml');
    writeFileSync(
      config,
      `database: ${db.file}\nwatches:\n  - id: un-vote-2023\n    weibo: { keywords: ["联合国"] }\n`,
    );
    const out = join(db.dir, 'post.zip');
    const one = await cli(['evidence', '--config', config, '--target', `weibo:${POSTS[2]}`, '--out', out]);
    expect(one.stderr).toBe('');
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/log time-stamped at entry 8/);
    const files = unzipSync(readFileSync(out));
    expect(JSON.parse(text(files['manifest.json'])).watches[0].id).toBe('un-vote-2023');

    const dir = join(db.dir, 'all');
    const all = await cli(['evidence', '--config', config, '--watch', 'un-vote-2023', '--out', dir]);
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(new RegExp(`weibo-post-${POSTS[2]}\\.zip`));
    expect(all.stdout).toMatch(/1 gone targets/);

    const unknown = await cli(['evidence', '--config', config, '--target', 'weibo:1', '--out', out]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--target: no target weibo:1/);
  }, 240_000);
});

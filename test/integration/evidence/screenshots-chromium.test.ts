/**
 * Screenshots in real Chromium against the simulator: the pipeline records NetEase articles, the
 * store wants a screenshot on each one's first alive observation, on the edit and on the first gone
 * one, and the worker takes them through the browser pool, under the host remap. Each PNG must
 * decode, must not be blank, and must show the article's text: the pixels where the text sits hold
 * ink, and the same page with that text made transparent holds none there.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { unzipSync } from 'fflate';
import pino from 'pino';
import { WARCParser } from 'warcio';
import { PNG } from 'pngjs';
import { chromium, type Browser } from 'playwright-core';
import { BrowserPool } from '../../../src/browser/pool';
import { chromiumArgs } from '../../../src/browser/launch';
import { remapUrl } from '../../../src/browser/remap';
import { buildBundle } from '../../../src/evidence/bundle';
import { ScreenshotWorker } from '../../../src/evidence/screenshot-worker';
import { renderStory } from '../../../src/evidence/story';
import { verifyStore } from '../../../src/store/verify';
import { ScreenshotStore, type ScreenshotRow } from '../../../src/store/screenshots';
import { guardAgainstLeaks } from '../../helpers/leak-guard';
import { colours, control, inkIn } from './png';
import { startPipeline, type Pipeline } from '../netease/helpers';
import { rawSql } from '../../helpers/sql';

guardAgainstLeaks();

const CHROMIUM = '/usr/bin/chromium';
/** The desktop viewport NetEase's article pages are opened in. */
const VIEWPORT = { width: 1280, height: 900 };

describe('screenshots of NetEase articles in Chromium through the pool', () => {
  let p: Pipeline;
  let pool: BrowserPool;
  let worker: ScreenshotWorker;
  let shots: ScreenshotStore;
  let reference: Browser;

  beforeAll(async () => {
    p = await startPipeline({ faultRate: 0 });
    shots = new ScreenshotStore(p.store);
    const hosts = p.config.platforms.netease.hosts;
    pool = new BrowserPool({ executablePath: CHROMIUM, headless: true, size: 2, hosts });
    worker = new ScreenshotWorker({
      screenshots: shots,
      shooter: pool,
      clock: p.clock,
      logger: pino({ level: 'silent' }),
      concurrency: 2,
      pageFor: () => ({ viewport: VIEWPORT }),
    });
    reference = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: chromiumArgs(true) });
  });

  afterAll(async () => {
    await reference?.close();
    await pool?.close();
    await p?.close();
  });

  function screenshotsOf(docid: string): ScreenshotRow[] {
    return shots.ofTarget(p.target(docid).rowId);
  }

  it('takes the first, edit and gone screenshots, each a PNG that shows the page as it was', async () => {
    const articles = p.scenario.netease.articles;
    const edited = articles.find((a) => a.edits?.length && !a.account)!;
    const removed = articles.find((a) => a.fate?.removal === 'http404')!;

    // Alive: every article seen once, before any edit or removal (4.5 s is the first).
    await p.runUntil(4_000);
    let round = await worker.round();
    expect(round.failed).toBe(0);
    for (const a of [edited, removed]) {
      const [first] = screenshotsOf(a.docid);
      expect(first).toMatchObject({ reason: 'first', state: 'taken', httpStatus: 200 });
    }

    // The edit and the removal, then what the store wants next.
    await p.runUntil(12_000);
    round = await worker.round();
    expect(round.failed).toBe(0);
    expect(screenshotsOf(edited.docid).map((s) => [s.reason, s.state])).toEqual([
      ['first', 'taken'],
      ['edit', 'taken'],
    ]);
    expect(screenshotsOf(removed.docid).map((s) => [s.reason, s.state])).toEqual([
      ['first', 'taken'],
      ['gone', 'taken'],
    ]);
    const gone = screenshotsOf(removed.docid)[1]!;
    expect(gone.httpStatus).toBe(404);

    // A round with nothing new takes nothing again.
    expect(await worker.round()).toEqual({ queued: 0, taken: 0, failed: 0 });

    const first = screenshotsOf(removed.docid)[0]!;
    const png = PNG.sync.read(shots.png(first)!);
    expect(png.width).toBe(VIEWPORT.width);
    expect(png.height).toBe(first.height);
    expect(colours(png)).toBeGreaterThan(16);
    const snippet = removed.paragraphs[0]!.slice(0, 12);
    expect(first.pageText).toContain(snippet);

    // The gone page does not show the article's text any more.
    expect(gone.pageText).not.toContain(snippet);
  });

  it('shows the text where the page puts it: ink there, none when the same text is transparent', async () => {
    // The control loads the page as the simulator serves it now: an article that is still alive.
    const alive = p.scenario.netease.articles.find((a) => !a.fate && !a.edits?.length && !a.account)!;
    const [shot] = screenshotsOf(alive.docid);
    expect(shot).toMatchObject({ reason: 'first', state: 'taken' });
    const alivePng = PNG.sync.read(shots.png(shot!)!);
    const { box, hidden } = await control(
      reference,
      { url: remapUrl(shot!.url, p.config.platforms.netease.hosts), viewport: VIEWPORT },
      alive.paragraphs[0]!.slice(0, 12),
    );
    const withText = inkIn(alivePng, box);
    const without = inkIn(hidden, box);
    expect(withText).toBeGreaterThan(200);
    expect(without).toBeLessThan(withText / 20);
  });

  it('puts each screenshot in the bundle as a PNG and a WARC resource record, lists it in show, and verify catches a changed PNG', async () => {
    const removed = p.scenario.netease.articles.find((a) => a.fate?.removal === 'http404')!;
    const rows = screenshotsOf(removed.docid);
    const bundle = await buildBundle({
      store: p.store,
      target: { platform: 'netease', kind: 'post', id: removed.docid },
      watches: [],
      version: '0.1.0',
      now: p.clock.now(),
    });
    const files = unzipSync(bundle.zip);
    const manifest = JSON.parse(Buffer.from(files['manifest.json']!).toString('utf8')) as {
      screenshots: {
        file: string;
        sha256: string;
        reason: string;
        warcRecord: string;
        warcMetadata: string;
        capture: string | null;
        observation: number;
      }[];
      observations: { id: number; capture: string | null }[];
      files: { path: string; sha256: string }[];
      captures: { id: string; observations: number[]; warc: { exchanges: { response: string }[] } }[];
    };
    expect(manifest.screenshots.map((s) => s.reason)).toEqual(['first', 'gone']);
    const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
    for (const [i, s] of manifest.screenshots.entries()) {
      const png = files[s.file]!;
      expect(sha(png)).toBe(rows[i]!.pngSha256);
      expect(s.sha256).toBe(rows[i]!.pngSha256);
      expect(manifest.files.find((f) => f.path === s.file)?.sha256).toBe(s.sha256);
      expect(PNG.sync.read(Buffer.from(png)).width).toBe(VIEWPORT.width);
    }
    // The same PNGs as resource records of the WACZ's WARC, payload digests by warcio's parser.
    const wacz = unzipSync(files[`netease-post-${removed.docid}.wacz`]!);
    const resources: { id: string; digest: string; refersTo: string | null }[] = [];
    const metadata = new Map<string, { concurrentTo: string | null; fields: string }>();
    for await (const record of WARCParser.iterRecords([wacz['archive/data.warc.gz']!])) {
      if (record.warcType === 'metadata') {
        metadata.set(record.warcHeader('WARC-Record-ID')!, {
          concurrentTo: record.warcHeader('WARC-Concurrent-To') ?? null,
          fields: Buffer.from(await record.readFully(false)).toString('utf8'),
        });
        continue;
      }
      if (record.warcType !== 'resource') continue;
      const payload = await record.readFully(true);
      expect(record.warcPayloadDigest).toBe(`sha256:${sha(payload)}`);
      expect(record.warcContentType).toBe('image/png');
      resources.push({
        id: record.warcHeader('WARC-Record-ID')!,
        digest: sha(payload),
        refersTo: record.warcHeader('WARC-Refers-To-Target-URI') ?? null,
      });
    }
    expect(resources).toEqual(
      manifest.screenshots.map((s, i) => ({ id: s.warcRecord, digest: s.sha256, refersTo: rows[i]!.url })),
    );
    // Each PNG's metadata record names the page it shows, its observation, and that observation's
    // capture when it has one (a NetEase search page keeps none of its own).
    for (const [i, s] of manifest.screenshots.entries()) {
      const m = metadata.get(s.warcMetadata)!;
      expect(m.concurrentTo).toBe(s.warcRecord);
      expect(m.fields).toContain(`page: ${rows[i]!.url}\r\n`);
      expect(m.fields).toContain(`observation: ${s.observation}\r\n`);
      expect(s.capture).toBe(manifest.observations.find((o) => o.id === s.observation)!.capture);
      if (s.capture === null) {
        expect(m.fields).not.toContain('capture');
        continue;
      }
      const capture = manifest.captures.find((c) => c.id === s.capture)!;
      expect(capture.observations).toContain(s.observation);
      expect(m.fields).toContain(`capture: ${s.capture}\r\n`);
      expect(m.fields).toContain(`capture-record: ${capture.warc.exchanges.at(-1)!.response}\r\n`);
    }
    // The gone screenshot's observation is a direct check, archived.
    expect(manifest.screenshots[1]!.capture).not.toBeNull();
    const story = renderStory(p.store, { platform: 'netease', kind: 'post', id: removed.docid })!;
    expect(story).toMatch(/screenshots \(2\):\n.*first \(observation \d+\).*PNG sha256:/);
    expect(story).toMatch(/gone \(observation \d+\).*HTTP 404/);

    expect(verifyStore(p.store).problems).toEqual([]);
    const png = shots.png(rows[0]!)!;
    png[png.length - 20] = png[png.length - 20]! ^ 0xff;
    rawSql(p.store).run(`UPDATE blobs SET gz = ? WHERE hash = ?`, gzipSync(png), rows[0]!.pngSha256);
    expect(verifyStore(p.store).problems).toEqual([
      `blob ${rows[0]!.pngSha256}: content does not match its hash`,
    ]);
  });
});

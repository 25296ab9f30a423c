/**
 * Screenshots of a Weibo post in real Chromium, composed as `run` composes them: the config's
 * `evidence.screenshots`, the Weibo session's cookies, the phone viewport and user agent of
 * m.weibo.cn, the host remap to the simulator. The first alive screenshot shows the post's text
 * where the page draws it; the first gone one shows the platform's notice instead.
 */
import { PNG } from 'pngjs';
import pino from 'pino';
import { chromium, type Browser } from 'playwright-core';
import { parse } from 'yaml';
import { chromiumArgs } from '../../../src/browser/launch';
import { remapUrl } from '../../../src/browser/remap';
import { createPlatforms, type Platforms } from '../../../src/cli/compose';
import { pageOptions, screenshotServiceFor, type ScreenshotService } from '../../../src/cli/screenshots';
import { parseConfig } from '../../../src/config/load';
import type { Config } from '../../../src/config/types';
import { Recorder } from '../../../src/engine/recorder';
import { ScreenshotStore } from '../../../src/store/screenshots';
import type { Store } from '../../../src/store/store';
import { guardAgainstLeaks } from '../../helpers/leak-guard';
import { startSimulator, type RunningSimulator } from '../../helpers/simulator';
import { tempDatabase } from '../../helpers/temp-db';
import { colours, control, inkIn } from './png';
import { rmSync } from 'node:fs';

guardAgainstLeaks();

const silent = pino({ level: 'silent' });

describe('screenshots of a Weibo post through the composed worker', () => {
  let run: RunningSimulator;
  let config: Config;
  let store: Store;
  let dir: string;
  let platforms: Platforms;
  let service: ScreenshotService;
  let reference: Browser;

  beforeAll(async () => {
    run = await startSimulator();
    const db = tempDatabase('censorwatch-shots-weibo-');
    store = db.store;
    dir = db.dir;
    const doc = parse(run.sim.configYaml(db.file)) as Record<string, unknown>;
    config = parseConfig(
      { ...doc, evidence: { screenshots: true }, browser: { executablePath: '/usr/bin/chromium' } },
      '<simulator>',
      {},
    );
    platforms = createPlatforms(config, run.clock, silent, { sleep: async () => {} });
    service = screenshotServiceFor(config, store, platforms, run.clock, silent)!;
    reference = await chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumArgs(true) });
  });

  afterAll(async () => {
    await reference?.close();
    await service?.close();
    await platforms?.close();
    store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the post while it is alive and the notice once it is gone', async () => {
    const post = run.scenario.weibo.posts.find(
      (p) => p.fate?.reveal === 'message' && p.fate.cause === 'removed_by_platform',
    )!;
    const ref = { platform: 'weibo' as const, kind: 'post' as const, id: post.mid };
    const recorder = new Recorder(store, config.schedule, silent, () => 0.5);
    store.syncWatches([{ id: 'w', name: 'w' }], [], run.clock.now());
    const check = async (): Promise<void> => {
      const row =
        store.findTarget(ref) ??
        store.ensureTarget(
          ref,
          platforms.adapters.weibo.targetUrl(ref),
          ['w'],
          'post',
          run.clock.now(),
          run.clock.now(),
        ).row;
      const result = await platforms.adapters.weibo.check(ref);
      recorder.recordCheck(row, result.observations, {});
    };

    run.at(post.createdAt - run.scenario.start + 1000);
    await check();
    expect(store.findTarget(ref)!.state.verdict).toBe('alive');
    expect(await service.worker.round()).toEqual({ queued: 1, taken: 1, failed: 0 });
    const shots = new ScreenshotStore(store);
    const [first] = shots.ofTarget(store.findTarget(ref)!.rowId);
    expect(first).toMatchObject({
      reason: 'first',
      state: 'taken',
      url: `https://m.weibo.cn/detail/${post.mid}`,
    });
    const png = PNG.sync.read(shots.png(first!)!);
    const viewport = pageOptions(config)('weibo').viewport!;
    expect(png.width).toBe(viewport.width);
    expect(colours(png)).toBeGreaterThan(16);
    const snippet = post.text.slice(0, 10);
    expect(first!.pageText).toContain(snippet);

    // The text's pixels: ink where the page draws it, none when the same page has it transparent.
    const cookies = platforms.weiboSession.jar.cookiesFor(first!.url);
    const { box, hidden } = await control(
      reference,
      {
        url: remapUrl(first!.url, config.platforms.weibo.hosts),
        viewport,
        userAgent: pageOptions(config)('weibo').userAgent ?? null,
        cookies,
      },
      snippet,
    );
    const ink = inkIn(png, box);
    expect(ink).toBeGreaterThan(100);
    expect(inkIn(hidden, box)).toBeLessThan(ink / 20);

    // Removed: the next check sees the notice, and its screenshot shows it, not the post.
    run.at(post.fate!.at - run.scenario.start + 1000);
    await check();
    expect(store.findTarget(ref)!.state.goneAt).not.toBeNull();
    expect(await service.worker.round()).toEqual({ queued: 1, taken: 1, failed: 0 });
    const gone = shots.ofTarget(store.findTarget(ref)!.rowId)[1]!;
    expect(gone).toMatchObject({ reason: 'gone', state: 'taken' });
    // The detail page a person opens says what m.weibo.cn's error page says (the API's notice is in
    // the observation); either way not the post.
    expect(gone.pageText).toMatch(/微博不存在或暂无查看权限|已被删除/);
    expect(gone.pageText).not.toContain(snippet);
  });
});

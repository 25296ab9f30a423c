import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bothClocks, renderStory } from '../../../src/evidence/story';
import { cli } from '../cli/helpers';
import { MIN, POSTS, REMOVED, T0, recordStory, ref, tempDb } from './helpers';

let db: ReturnType<typeof tempDb>;
beforeEach(() => {
  db = tempDb();
  recordStory(db.store, db.recorder);
});
afterEach(() => db.cleanup());

describe('show', () => {
  it('tells times in UTC and Beijing time', () => {
    expect(bothClocks(Date.UTC(2023, 3, 27, 2, 0, 0))).toBe('2023-04-27 02:00:00 UTC (Beijing 10:00:00)');
    expect(bothClocks(Date.UTC(2023, 3, 27, 20, 30, 0))).toBe(
      '2023-04-27 20:30:00 UTC (Beijing 2023-04-28 04:30:00)',
    );
  });

  it("tells a removed post's observations with the notice, endpoint, digest and log place", () => {
    const story = renderStory(db.store, ref(POSTS[2]))!;
    expect(story).toMatch(/verdict: gone \(removed_by_platform\)/);
    expect(story).toMatch(
      new RegExp(
        `deletion window: .*\\(${new Date(T0 + 2000).toISOString()}, ${new Date(T0 + 2 * MIN + 2000).toISOString()}\\]`,
      ),
    );
    const obs = story.split('\n').filter((l) => /^\s+\d+\. /.test(l));
    expect(obs).toHaveLength(3);
    expect(obs[1]).toMatch(
      /removed_by_platform {2}m\.statuses\.show HTTP 200 body sha256:[0-9a-f]{16}… {2}log #6/,
    );
    expect(story).toContain(`notice: ${REMOVED}`);
    expect(story).toMatch(/log: entries 3, 6, 7 of 8/);
  });

  it("shows an edited post's diff, and exits 2 for a target it does not know", async () => {
    expect(renderStory(db.store, ref(POSTS[1]))).toMatch(
      /edits \(1\):\n {2}2023-04-27 02:02:01 UTC \(Beijing 10:02:01\): 欧洲委员会决议草案\{\+（已修改）\+\}/,
    );
    db.store.close();
    const config = join(db.dir, 'watch.yaml');
    writeFileSync(
      config,
      `database: ${db.file}\nwatches:\n  - id: un-vote-2023\n    weibo: { keywords: ["联合国"] }\n`,
    );
    const ok = await cli(['show', `weibo:${POSTS[1]}`, '--config', config]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/\{\+（已修改）\+\}/);
    const unknown = await cli(['show', 'weibo:1', '--config', config]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no target weibo:1/);
  }, 240_000);
});

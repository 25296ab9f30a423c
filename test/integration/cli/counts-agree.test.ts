import { join } from 'node:path';
import { tempDir } from '../../helpers/temp';
import { guardAgainstLeaks } from '../../helpers/leak-guard';
import { cli } from './helpers';

/**
 * One simulated day, then every command a new user would read it with: the demo's last progress
 * line, `status`, both exports and `claim` must count the same posts. A Weibo post and its comment
 * thread share an id and both raise `post.gone`, and a post in two watches is discovered once per
 * watch, so counting event rows, or mixing threads into posts, makes the figures disagree.
 */
guardAgainstLeaks();

interface TargetRow {
  kind: 'post' | 'thread';
  id: string;
  platform: string;
  watches: string[];
  verdict: string;
  lastAliveAt: string | null;
}
interface EventRow {
  type: string;
  platform: string;
  targetId: string | null;
  kind: 'post' | 'thread' | null;
}

const jsonl = <T>(text: string): T[] =>
  text
    .trim()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as T);

test('demo, status, export and claim agree on how many posts there are and how many are gone', async () => {
  const dir = tempDir('censorwatch-counts-');
  const db = join(dir, 'd.db');
  const config = join(dir, 'd.yaml');
  const demo = await cli(['demo', '--db', db, '--days', '1'], { timeoutMs: 300_000 });
  expect(demo.code).toBe(0);
  const done =
    /^demo: done \(simulated [^)]*\): \d+ checks, \d+ searches and timelines, (\d+) posts, (\d+) gone$/m.exec(
      demo.stderr,
    );
  expect(done).not.toBeNull();
  const [shownPosts, shownGone] = [Number(done![1]), Number(done![2])];

  const targets = jsonl<TargetRow>((await cli(['export', '--config', config, '--format', 'jsonl'])).stdout);
  const posts = targets.filter((t) => t.kind === 'post');
  const gonePosts = posts.filter((t) => t.verdict === 'gone');
  // The world has threads and gone posts, else this test proves nothing.
  expect(targets.some((t) => t.kind === 'thread' && t.verdict === 'gone')).toBe(true);
  expect(gonePosts.length).toBeGreaterThan(0);
  expect([shownPosts, shownGone]).toEqual([posts.length, gonePosts.length]);

  const events = jsonl<EventRow>(
    (await cli(['export', '--config', config, '--format', 'jsonl', '--what', 'events'])).stdout,
  );
  const goneEvents = events.filter((e) => e.type === 'post.gone');
  for (const e of goneEvents) expect(['post', 'thread']).toContain(e.kind);
  const distinct = (rows: EventRow[]): number => new Set(rows.map((e) => `${e.platform}:${e.targetId}`)).size;
  expect(distinct(goneEvents.filter((e) => e.kind === 'post'))).toBe(gonePosts.length);
  expect(distinct(goneEvents.filter((e) => e.kind === 'thread'))).toBe(
    targets.filter((t) => t.kind === 'thread' && t.verdict === 'gone').length,
  );
  for (const e of events.filter((e) => e.targetId === null)) expect(e.kind).toBeNull();

  const status = await cli(['status', '--config', config]);
  expect(status.code).toBe(0);
  const byVerdict = (rows: TargetRow[]): Record<string, number> =>
    rows.reduce<Record<string, number>>((c, t) => ({ ...c, [t.verdict]: (c[t.verdict] ?? 0) + 1 }), {});
  const line = /^targets: (.*)$/m.exec(status.stdout)![1]!;
  const shown = Object.fromEntries(
    line.split(', ').map((p) => {
      const [verdict, n] = p.split(' ');
      return [verdict!, Number(n)];
    }),
  );
  expect(shown).toEqual(byVerdict(targets));

  const claim = await cli(['claim', '--config', config, '--watch', 'un-vote-2023', '--format', 'json']);
  expect(claim.code).toBe(0);
  const c = JSON.parse(claim.stdout) as {
    topic: { posts: number; seenAlive: number; gone: number };
    caveats: string[];
  };
  const topicPosts = posts.filter((t) => t.watches.includes('un-vote-2023'));
  expect(c.topic.posts).toBe(topicPosts.length);
  expect(c.topic.seenAlive).toBe(topicPosts.filter((t) => t.lastAliveAt !== null).length);
  expect(c.topic.gone).toBe(topicPosts.filter((t) => t.verdict === 'gone' && t.lastAliveAt !== null).length);
  // Discovery adapts its interval; the caveat must not say it kept the first one.
  expect(c.caveats.join(' ')).toMatch(/polled every 10 min at first, then every 5 min to 50 min/);
}, 600_000);

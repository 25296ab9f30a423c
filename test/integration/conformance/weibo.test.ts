import { ManualClock } from '../../../src/domain/clock';
import type { Observation } from '../../../src/domain/glossary';
import {
  classifyJsonResponse,
  parseDetailPage,
  parseExtend,
  parseStatusShow,
  parseTimelinePage,
} from '../../../src/platforms/weibo';
import { parseHotflow } from '../../../src/platforms/weibo/comments';
import { buildScenario, Simulator, type Scenario, type SimPost } from '../../../src/sim';
import { fetchAs, presentFields, reference as referenceOf, sample, without } from './helpers';

/**
 * Conformance: the same Weibo parsers over the real reference samples and over what the simulator
 * serves, endpoint by endpoint: the same outcome kinds, and the same normalized fields present.
 * The 2019 captures predate two fields the simulator sends as today's site does: `region` (IP属地,
 * shown since 2022) everywhere, and `edit_config` on `statuses/show` (the capture's timeline cards
 * have it); a comment's `source` (its location) likewise. Those are named where they are left out.
 */

const START = Date.UTC(2024, 0, 10, 2, 0, 0);
/** Just after the 2019 captures, for their relative times. */
const AT_2019 = Date.UTC(2019, 5, 16, 4, 0, 0);
const JSON_TYPE = 'application/json; charset=utf-8';
const reference = (name: string): Buffer => referenceOf('weibo', name);
const refJson = (name: string): Record<string, unknown> =>
  JSON.parse(reference(name).toString('utf8')) as Record<string, unknown>;

/** What conformance compares of an observation: its outcome, endpoint, kind and fields present. */
function shapeOf(o: Observation, leftOut: readonly string[] = []): object {
  return {
    outcome: o.outcome,
    endpoint: o.endpoint,
    kind: o.target.kind,
    fields: o.content ? without(presentFields(o.content), leftOut) : null,
  };
}

/** The capture's post kind: a repost, one with pictures, a long text, or plain. */
function kindOf(o: Observation): string {
  const c = o.content;
  if (o.endpoint.endsWith('repost-embed')) return 'embedded original';
  if (c?.repostOf) return 'repost';
  if (c && c.media.length > 0) return 'pictures';
  if (c?.truncated) return 'long';
  return 'plain';
}

let sim: Simulator;
let base = '';
let clock: ManualClock;
let scenario: Scenario;
/** The reposted original that is made restricted, for the restricted placeholder. */
let restrictedOf: string;

beforeAll(async () => {
  const quick = buildScenario('quick', { start: START, seed: 7 });
  // The original removed by the platform becomes restricted; the one its author deleted stays.
  restrictedOf = quick.weibo.posts.find(
    (p) => p.fate?.cause === 'removed_by_platform' && quick.weibo.posts.some((r) => r.repostOf === p.mid),
  )!.mid;
  // That original also gets pictures, as the capture timeline's embedded original has; the other
  // stays without, as the capture's statuses/show has it.
  const posts = quick.weibo.posts.map((p): SimPost =>
    p.mid === restrictedOf
      ? { ...p, pics: 3, fate: { ...p.fate!, cause: 'restricted', reveal: 'message' } }
      : p,
  );
  scenario = { ...quick, weibo: { ...quick.weibo, posts } };
  clock = new ManualClock(START);
  sim = new Simulator({ clock, scenario });
  base = await sim.start(0);
});

afterAll(async () => {
  await sim.stop();
});

const post = (pred: (p: SimPost) => boolean): SimPost => scenario.weibo.posts.find(pred)!;
const showUrl = (mid: string): string => `https://m.weibo.cn/statuses/show?id=${mid}`;

describe('Weibo parsers over the reference samples and the simulator alike', () => {
  // Times in order: the clock only moves forward.

  it('statuses/show of a repost: the repost and its embedded original, with the same fields', async () => {
    const ref = parseStatusShow(
      sample(reference('m_statuses_show_repost_2019.json'), showUrl('HyZVegYAP'), JSON_TYPE),
      AT_2019,
      '4383411844046171',
    );
    const repost = post((p) => p.repostOf !== undefined && p.repostOf !== restrictedOf);
    clock.advanceTo(repost.createdAt + 100);
    const got = parseStatusShow(await fetchAs(base, showUrl(repost.mid)), clock.now(), repost.mid);
    const leftOut = ['region', 'editCount'];
    expect(got.map((o) => shapeOf(o, leftOut))).toEqual(ref.map((o) => shapeOf(o, leftOut)));
    expect(ref.map((o) => o.outcome)).toEqual(['alive', 'alive']);
  });

  it('the detail page reads with the fields statuses/show has', async () => {
    const repost = post((p) => p.repostOf !== undefined);
    const url = `https://m.weibo.cn/detail/${repost.mid}`;
    const detail = parseDetailPage(await fetchAs(base, url), clock.now(), repost.mid);
    const show = parseStatusShow(await fetchAs(base, showUrl(repost.mid)), clock.now(), repost.mid);
    const plain = (o: Observation): object => ({ ...shapeOf(o), endpoint: null });
    expect(detail.map(plain)).toEqual(show.map(plain));
    expect(detail[0]!.content).toEqual(show[0]!.content);
  });

  it('a timeline page: results, and each kind of card with the fields the capture has', async () => {
    const ref = parseTimelinePage(
      sample(
        reference('m_getIndex_timeline_107603_2019_first3cards.json'),
        'https://m.weibo.cn/api/container/getIndex?containerid=1076031669879400',
        JSON_TYPE,
      ),
      AT_2019,
    );
    clock.advanceTo(START + 3_000);
    const byKind = new Map<string, object>();
    for (const a of scenario.weibo.accounts) {
      const url = `https://m.weibo.cn/api/container/getIndex?containerid=107603${a.uid}`;
      const page = parseTimelinePage(await fetchAs(base, url), clock.now());
      expect([a.uid, page.outcome]).toEqual([a.uid, ref.outcome]);
      for (const o of page.observations) byKind.set(kindOf(o), shapeOf(o, ['region']));
    }
    expect(ref.outcome).toBe('results');
    for (const o of ref.observations) {
      const kind = kindOf(o);
      expect([kind, byKind.get(kind)]).toEqual([kind, shapeOf(o, ['region'])]);
    }
  });

  it('statuses/extend: the long text with the same counts', async () => {
    const ref = parseExtend(
      sample(
        reference('m_statuses_extend_longtext_2019.json'),
        'https://m.weibo.cn/statuses/extend?id=4383487819465288',
        JSON_TYPE,
      ),
    );
    const long = post((p) => p.isLongText === true && p.createdAt <= clock.now());
    const got = parseExtend(await fetchAs(base, `https://m.weibo.cn/statuses/extend?id=${long.mid}`));
    if (ref.kind !== 'long-text' || got.kind !== 'long-text') throw new Error('an extend did not parse');
    expect(presentFields(got)).toEqual(presentFields(ref));
    expect(got.text).toBe(long.longText);
  });

  it('comments/hotflow: a page with the comment fields the capture has', async () => {
    const ref = parseHotflow(
      sample(
        reference('m_comments_hotflow_2019_first3.json'),
        'https://m.weibo.cn/comments/hotflow?id=4383183661430868',
        JSON_TYPE,
      ),
      AT_2019,
    );
    const threaded = post((p) => (p.comments?.count ?? 0) > 20);
    clock.advanceTo(threaded.createdAt + threaded.comments!.spread);
    const got = parseHotflow(
      await fetchAs(base, `https://m.weibo.cn/comments/hotflow?id=${threaded.mid}&mid=${threaded.mid}`),
      clock.now(),
    );
    if (ref.kind !== 'page' || got.kind !== 'page') throw new Error('a hotflow page did not parse');
    expect(presentFields({ ...got.page, comments: null })).toEqual(
      presentFields({ ...ref.page, comments: null }),
    );
    const fields = (cs: readonly object[]): string[] => [
      ...new Set(cs.flatMap((c) => without(presentFields(c), ['location']))),
    ];
    expect(fields(got.page.comments)).toEqual(fields(ref.page.comments));
  });

  it.each([
    ['m_retweet_placeholder_deleted_by_author_stablog.json', 'deleted_by_author'],
    ['m_retweet_placeholder_halfyear_hidden_stablog.json', 'restricted'],
  ] as const)('the %s placeholder in a repost reads as the simulated one: %s', async (file, cause) => {
    // The capture's placeholder in the capture's repost, read by the same path as the simulator's.
    const capture = refJson('m_statuses_show_repost_2019.json');
    const data = { ...(capture['data'] as object), retweeted_status: refJson(file) };
    const body = Buffer.from(JSON.stringify({ ...capture, data }));
    const ref = parseStatusShow(sample(body, showUrl('HyZVegYAP'), JSON_TYPE), AT_2019, '4383411844046171');

    const repost = post(
      (p) =>
        p.repostOf !== undefined &&
        (cause === 'restricted'
          ? p.repostOf === restrictedOf
          : scenario.weibo.posts.find((o) => o.mid === p.repostOf)?.fate?.cause === cause),
    );
    const orig = post((p) => p.mid === repost.repostOf);
    clock.advanceTo(orig.fate!.at + 100);
    const got = parseStatusShow(await fetchAs(base, showUrl(repost.mid)), clock.now(), repost.mid);
    expect(ref.map((o) => o.outcome)).toEqual(['alive', cause]);
    expect(got.map((o) => shapeOf(o, ['region', 'editCount']))).toEqual(
      ref.map((o) => shapeOf(o, ['region', 'editCount'])),
    );
  });

  it.each([
    ['captcha', 'm.weibo.cn risk-control captcha (scene=limit)'],
    ['http403_100005', 'm.weibo.cn rate limit'],
  ] as const)('the %s block reads as the body quoted in the issue', async (block, caseName) => {
    const cases = refJson('error_bodies_quoted_in_issues.json')['cases'] as {
      case: string;
      http_status: number | null;
      body: unknown;
    }[];
    const c = cases.find((x) => x.case === caseName)!;
    const url = 'https://m.weibo.cn/api/container/getIndex?containerid=1005051669879400';
    const ref = classifyJsonResponse(
      sample(Buffer.from(JSON.stringify(c.body)), url, JSON_TYPE, c.http_status ?? 200),
    );
    sim.session.set({ block });
    try {
      const uid = scenario.weibo.accounts[0]!.uid;
      const got = classifyJsonResponse(
        await fetchAs(base, `https://m.weibo.cn/api/container/getIndex?containerid=100505${uid}`),
      );
      if (ref.kind !== 'outcome' || got.kind !== 'outcome') throw new Error('a block was read as data');
      expect(got.outcome).toBe(ref.outcome);
    } finally {
      sim.session.set({ block: null });
    }
  });

  it('an empty container reads as the body quoted in the issue', async () => {
    const cases = refJson('error_bodies_quoted_in_issues.json')['cases'] as { msg?: string; body: unknown }[];
    const c = cases.find((x) => JSON.stringify(x.body).includes('这里还没有内容'))!;
    const url = 'https://m.weibo.cn/api/container/getIndex?containerid=1076031669879400';
    const ref = parseTimelinePage(sample(Buffer.from(JSON.stringify(c.body)), url, JSON_TYPE), AT_2019);
    // An account whose ban has happened: its timeline is the same empty container.
    const banned = scenario.weibo.accounts.find((a) => a.banAt !== undefined)!;
    clock.advanceTo(banned.banAt! + 100);
    const got = parseTimelinePage(
      await fetchAs(base, `https://m.weibo.cn/api/container/getIndex?containerid=107603${banned.uid}`),
      clock.now(),
    );
    expect([got.outcome, got.observations.length]).toEqual([ref.outcome, ref.observations.length]);
  });
});

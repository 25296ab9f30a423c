import pino from 'pino';
import { simulatePipeline } from '../../../src/cli/demo';
import type { Observation } from '../../../src/domain/glossary';
import { parseAjaxStatusShow } from '../../../src/platforms/weibo/ajax';
import { parseDetailPage, parseStatusShow, parseTimelinePage } from '../../../src/platforms/weibo/parse';
import { buildScenario, checkScenario, QUICK_ODD_FROM, QUICK_ODD_PAGED_POSTS } from '../../../src/sim';
import { ODDITY_KINDS, type OddityKind } from '../../../src/sim/world';
import type { HttpResponse } from '../../../src/http/types';
import { QUICK_START, SECOND, startSim, type Harness } from './helpers';

const logger = pino({ level: 'silent' });

/** What each oddity's body is recognised by in the evidence. */
const MARKER: Record<OddityKind, RegExp> = {
  maintenance: /系统维护中/,
  challenge: /^<!DOCTYPE html><html><head><meta charset="utf-8"><script>/,
  truncated: /^\{"ok":1,"data":\{/,
  unknown_template: /"statusV3"/,
  html_for_json: /<p>加载中\.\.\.<\/p>/,
  hidden_notice: /<div class="h5-4box" style="display:none">/,
  comments_closed: /由于博主设置，该微博评论已关闭/,
};

function oddPosts(h: Harness): Array<{ mid: string; kind: OddityKind }> {
  return h.scenario.weibo.posts
    .filter((p) => p.oddities !== undefined)
    .map((p) => ({ mid: p.mid, kind: p.oddities![0]!.kind }));
}

function asResponse(url: string, got: { status: number; type: string; text: string }): HttpResponse {
  return {
    ok: true,
    url,
    finalUrl: url,
    redirects: [],
    status: got.status,
    headers: { 'content-type': got.type },
    setCookies: [],
    body: Buffer.from(got.text, 'utf8'),
  };
}

describe('the simulator serves answers that say nothing about a post', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startSim('quick-odd');
  });
  afterAll(async () => {
    await h.sim.stop();
  });

  it('quick-odd is consistent and has one post per oddity kind', () => {
    expect(checkScenario(h.scenario)).toEqual([]);
    expect(
      oddPosts(h)
        .map((p) => p.kind)
        .sort(),
    ).toEqual([...ODDITY_KINDS].sort());
  });

  it('before the oddities begin, the posts answer normally; after, every direct endpoint answers oddly and parses as unparseable', async () => {
    const [first] = oddPosts(h);
    h.at(1 * SECOND);
    const before = await h.get(`/statuses/show?id=${first!.mid}`);
    expect(before.json()).toMatchObject({ ok: 1, data: { mid: first!.mid } });

    h.at(QUICK_ODD_FROM + SECOND);
    const at = QUICK_START + QUICK_ODD_FROM + SECOND;
    for (const { mid, kind } of oddPosts(h)) {
      const show = await h.get(`/statuses/show?id=${mid}`);
      expect(show.status).toBe(200);
      expect(show.text).toMatch(MARKER[kind]);
      const showUrl = `https://m.weibo.cn/statuses/show?id=${mid}`;
      expect(parseStatusShow(asResponse(showUrl, show), at, mid)[0]?.outcome).toBe('unparseable');

      const web = await h.get(`/ajax/statuses/show?id=${mid}`);
      const webUrl = `https://weibo.com/ajax/statuses/show?id=${mid}`;
      expect(parseAjaxStatusShow(asResponse(webUrl, web), at, mid)[0]?.outcome).toBe('unparseable');

      const detail = await h.get(`/detail/${mid}`);
      const detailUrl = `https://m.weibo.cn/detail/${mid}`;
      expect(parseDetailPage(asResponse(detailUrl, detail), at, mid)[0]?.outcome).toBe('unparseable');
    }
  });

  it('a timeline paged by number: page 1..3 with cardlistInfo.page naming the next, no since_id', async () => {
    h.at(5 * SECOND);
    const uid = h.scenario.watches.find((w) => w.id === 'quick-odd')!.accounts[0]!;
    const seen: string[] = [];
    for (let page = 1; page <= 3; page++) {
      const path = `/api/container/getIndex?containerid=107603${uid}${page > 1 ? `&page=${page}` : ''}`;
      const got = await h.get(path);
      const body = got.json();
      expect(body.data.cardlistInfo.since_id).toBeUndefined();
      expect(body.data.cardlistInfo.page).toBe(page < 3 ? page + 1 : null);
      const r = parseTimelinePage(asResponse(`https://m.weibo.cn${path}`, got), QUICK_START + 5 * SECOND);
      expect(r.nextCursor).toBe(page < 3 ? `page:${page + 1}` : null);
      seen.push(...r.observations.map((o: Observation) => o.target.id));
    }
    expect(new Set(seen).size).toBe(QUICK_ODD_PAGED_POSTS);
  });
});

describe('the whole pipeline against quick-odd', () => {
  // A simulated 20 s of CPU-bound work: 15 s alone at load 11, past 60 s beside two distributed test files.
  it('no odd post becomes gone; each direct check of one is unparseable with its body kept; numbered timelines are read to the end', async () => {
    const seed = 7;
    const scenario = buildScenario('quick-odd', { start: QUICK_START, seed });
    const odd = scenario.weibo.posts.filter((p) => p.oddities !== undefined);
    const pagedUid = scenario.watches.find((w) => w.id === 'quick-odd')!.accounts[0]!;
    const paged = scenario.weibo.posts.filter((p) => p.uid === pagedUid);
    expect(odd).toHaveLength(ODDITY_KINDS.length);
    expect(paged).toHaveLength(QUICK_ODD_PAGED_POSTS);
    let checked = 0;
    const run = await simulatePipeline(
      {
        scenario: 'quick-odd',
        days: 0,
        durationMs: 20_000,
        start: QUICK_START,
        faultRate: 0,
        seed,
        database: null,
        logger,
      },
      (store) => {
        const events = store.listEvents({});
        for (const p of odd) {
          const kind = p.oddities![0]!.kind;
          const target = store.findTarget({ platform: 'weibo', kind: 'post', id: p.mid });
          expect(target?.state.verdict).toBe('alive');
          const direct = store
            .observationsOf(target!.rowId)
            .filter(
              (o) => o['endpoint'] === 'm.statuses.show' && Number(o['at']) >= QUICK_START + QUICK_ODD_FROM,
            );
          expect(direct.length).toBeGreaterThanOrEqual(2);
          for (const o of direct) {
            expect([kind, o['outcome']]).toEqual([kind, 'unparseable']);
            expect(o['body_kept']).toBe(1);
            const body = store.getBlob(String(o['body_hash']))?.toString('utf8') ?? '';
            expect(body).toMatch(MARKER[kind]);
            checked++;
          }
          expect(events.filter((e) => e.nativeId === p.mid && e.type === 'post.gone')).toEqual([]);
        }
        // Every post of the numbered timeline was found through it, page 3 included.
        for (const p of paged)
          expect(store.findTarget({ platform: 'weibo', kind: 'post', id: p.mid })).toBeDefined();
      },
    );
    expect(checked).toBeGreaterThanOrEqual(2 * ODDITY_KINDS.length);
    expect(run.comparison.mismatches).toEqual([]);
  }, 240_000);
});

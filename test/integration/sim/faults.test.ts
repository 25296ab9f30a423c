import { request } from 'undici';
import { FAULT_KINDS } from '../../../src/sim';
import { find, searchPath, SECOND, startSim } from './helpers';
import type { Harness } from './helpers';

interface Answer {
  status: number | null;
  text: string;
}

async function hit(base: string, path: string): Promise<Answer> {
  try {
    const res = await request(base + path);
    return { status: res.statusCode, text: await res.body.text() };
  } catch {
    return { status: null, text: '' };
  }
}

function isNormal(a: Answer): boolean {
  if (a.status !== 200) return false;
  if (a.text.includes('$render_data') || a.text.includes('暂无查看权限')) return true;
  try {
    const j = JSON.parse(a.text) as { ok?: number; msg?: string };
    return j.ok === 1 || (j.ok === 0 && j.msg !== undefined && !/频繁/.test(j.msg));
  } catch {
    return false;
  }
}

function isFault(a: Answer): boolean {
  if (a.status === null) return true;
  if ([418, 432, 502].includes(a.status)) return true;
  if (a.status === 403) return /"errno":"100005"/.test(a.text) && /请求过于频繁[,，]歇歇吧/.test(a.text);
  if (a.status === 200) return a.text.includes('"ok":-100') || a.text.includes('出错了，未知错误');
  return false;
}

describe('fault injection', () => {
  let h: Harness;
  afterEach(async () => {
    await h.sim.stop();
  });

  const paths = (hh: Harness): string[] => {
    const p = find(hh.scenario, (x) => x.fate === undefined && x.repostOf === undefined);
    const a = hh.scenario.weibo.accounts[0]!.uid;
    return [
      searchPath('quick-topic'),
      `/statuses/show?id=${p.mid}`,
      `/statuses/extend?id=${p.mid}`,
      `/detail/${p.mid}`,
      `/api/container/getIndex?containerid=100505${a}`,
      `/api/container/getIndex?containerid=107603${a}`,
    ];
  };

  it('at rate 1 never answers normally, and serves nothing to the ground truth', async () => {
    h = await startSim('quick', { faultRate: 1, faultSeed: 3 });
    h.at(3.5 * SECOND);
    const answers: Answer[] = [];
    for (let i = 0; i < 10; i++) for (const p of paths(h)) answers.push(await hit(h.base, p));
    expect(answers.filter(isNormal)).toEqual([]);
    expect(answers.every(isFault)).toBe(true);
    expect(new Set(answers.map((a) => a.status)).size).toBeGreaterThanOrEqual(4);
    expect(h.sim.groundTruth()).toEqual([]);
    const stats = h.sim.stats();
    const total = Object.values(stats).reduce((n, s) => n + s.faults, 0);
    expect(total).toBe(60);
    expect(stats.search).toMatchObject({ requests: 10, faults: 10 });
    expect(
      Object.keys(stats.show!.faultKinds).every((k) => (FAULT_KINDS as readonly string[]).includes(k)),
    ).toBe(true);
    // The simulator's own endpoints are never faulted.
    expect((await hit(h.base, '/__sim/clock')).status).toBe(200);
  });

  it('at rate 0 always answers normally', async () => {
    h = await startSim('quick', { faultRate: 0 });
    h.at(3.5 * SECOND);
    for (let i = 0; i < 10; i++) {
      for (const p of paths(h)) {
        const a = await hit(h.base, p);
        expect(isFault(a)).toBe(false);
        expect(isNormal(a)).toBe(true);
      }
    }
    expect(Object.values(h.sim.stats()).every((s) => s.faults === 0)).toBe(true);
    expect(h.sim.stats().search?.requests).toBe(10);
  });

  it('injects the same faults for the same seed', async () => {
    const run = async (): Promise<Array<number | null>> => {
      h = await startSim('quick', { faultRate: 0.5, faultSeed: 42 });
      h.at(3.5 * SECOND);
      const out: Array<number | null> = [];
      for (let i = 0; i < 30; i++)
        out.push((await hit(h.base, `/statuses/show?id=${h.scenario.weibo.posts[0]!.mid}`)).status);
      await h.sim.stop();
      return out;
    };
    const a = await run();
    const b = await run();
    expect(a).toEqual(b);
    expect(a.filter((s) => s === 200).length).toBeGreaterThan(0);
    expect(a.filter((s) => s !== 200).length).toBeGreaterThan(0);
  });
});

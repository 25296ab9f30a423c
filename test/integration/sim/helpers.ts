import { request } from 'undici';
import type { ManualClock } from '../../../src/domain/clock';
import type { Scenario, SimPost, Simulator, SimulatorOptions } from '../../../src/sim';
import { startSimulator } from '../../helpers/simulator';

/** Foreign JSON under test: its shape is what the assertions check. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/** A fixed start so the quick scenario's timings are exact under a ManualClock. */
export const QUICK_START = Date.UTC(2024, 0, 10, 2, 0, 0);
export const SECOND = 1000;
export const HOUR = 3_600_000;

/** A simulator on 127.0.0.1 port 0 with its clock and base URL. */
export interface Harness {
  readonly sim: Simulator;
  readonly clock: ManualClock;
  readonly scenario: Scenario;
  readonly base: string;
  at(msAfterStart: number): void;
  get(path: string): Promise<{ status: number; type: string; text: string; json: () => Json }>;
}

export async function startSim(
  name = 'quick',
  opts: { seed?: number; start?: number } & Partial<Pick<SimulatorOptions, 'faultRate'>> & {
      faultSeed?: number;
    } = {},
): Promise<Harness> {
  const start = opts.start ?? (name === 'quick' ? QUICK_START : Date.UTC(2023, 3, 26, 16));
  const { sim, clock, scenario, base, at } = await startSimulator({
    scenario: name,
    start,
    scenarioSeed: opts.seed ?? 11,
    faultRate: opts.faultRate,
    seed: opts.faultSeed,
  });
  return {
    sim,
    clock,
    scenario,
    base,
    at,
    async get(path) {
      const res = await request(base + path);
      const text = await res.body.text();
      const type = String(res.headers['content-type'] ?? '');
      return { status: res.statusCode, type, text, json: () => JSON.parse(text) };
    },
  };
}

export function searchPath(keyword: string, page = 1, type = 1): string {
  return `/api/container/getIndex?containerid=${encodeURIComponent(`100103type=${type}&q=${keyword}`)}&page_type=searchall&page=${page}`;
}

/** Post cards of a search or timeline page, unnesting card_type 11 groups. */
export function postCards(body: Json): Json[] {
  const out: Json[] = [];
  for (const c of body.data.cards as Json[]) {
    if (c.card_type === 9) out.push(c);
    if (c.card_type === 11) for (const g of c.card_group as Json[]) if (g.card_type === 9) out.push(g);
  }
  return out;
}

export function find(s: Scenario, pred: (p: SimPost) => boolean): SimPost {
  const p = s.weibo.posts.find(pred);
  if (!p) throw new Error('no such post in the scenario');
  return p;
}

export function bannedAccount(s: Scenario): { uid: string; banAt: number } {
  const a = s.weibo.accounts.find((x) => x.banAt !== undefined);
  if (!a || a.banAt === undefined) throw new Error('no banned account');
  return { uid: a.uid, banAt: a.banAt };
}

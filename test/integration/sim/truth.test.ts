import { QUICK_KEYWORDS } from '../../../src/sim';
import type { GroundTruthRow } from '../../../src/sim';
import { bannedAccount, find, searchPath, SECOND, startSim } from './helpers';
import type { Harness } from './helpers';

const T = QUICK_KEYWORDS.topic;

describe('simulator ground truth', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startSim('quick');
  });
  afterEach(async () => {
    await h.sim.stop();
  });
  const row = (rows: GroundTruthRow[], mid: string): GroundTruthRow | undefined =>
    rows.find((r) => r.id === mid);
  const searchAll = async (kw: string): Promise<void> => {
    for (let page = 1; page <= 3; page++) await h.get(searchPath(kw, page));
  };

  it('covers nothing before anything was served, then exactly the served posts', async () => {
    expect(h.sim.groundTruth()).toEqual([]);
    h.at(3.5 * SECOND);
    await searchAll(T);
    const rows = h.sim.groundTruth();
    const topic = h.scenario.weibo.posts.filter((p) => p.keywords.includes(T)).map((p) => p.mid);
    expect(rows.map((r) => r.id).sort()).toEqual([...topic].sort());
    expect(
      rows.every(
        (r) => r.verdict === 'alive' && r.cause === null && r.platform === 'weibo' && r.kind === 'post',
      ),
    ).toBe(true);
    const baseline = find(h.scenario, (p) => p.keywords.includes(QUICK_KEYWORDS.baseline));
    expect(row(rows, baseline.mid)).toBeUndefined();
  });

  it('includes an original that was only ever seen embedded in a repost', async () => {
    const repost = find(h.scenario, (p) => p.repostOf !== undefined);
    h.at(3.5 * SECOND);
    await h.get(`/statuses/show?id=${repost.mid}`);
    expect(
      h.sim
        .groundTruth()
        .map((r) => r.id)
        .sort(),
    ).toEqual([repost.mid, repost.repostOf!].sort());
  });

  it('states the cause of message fates and of the ban, and gone_unspecified for ambiguous ones nobody explained', async () => {
    h.at(3.5 * SECOND);
    await searchAll(T);
    const s = h.scenario;
    const truth = h.sim.groundTruth(s.start + 13 * SECOND);
    const cause = (pred: Parameters<typeof find>[1]): string | null | undefined =>
      row(truth, find(s, (p) => p.keywords.includes(T) && pred(p)).mid)?.cause;
    expect(cause((p) => p.fate?.cause === 'removed_by_platform' && p.fate.reveal === 'message')).toBe(
      'removed_by_platform',
    );
    expect(cause((p) => p.fate?.cause === 'deleted_by_author' && p.fate.reveal === 'message')).toBe(
      'deleted_by_author',
    );
    expect(cause((p) => p.fate?.cause === 'restricted')).toBe('restricted');
    expect(cause((p) => p.fate?.cause === 'gone_unspecified')).toBe('gone_unspecified');
    expect(cause((p) => p.uid === bannedAccount(s).uid)).toBe('account_gone');
    // Reposts were served only while their originals were up: no placeholder has told anyone yet.
    expect(cause((p) => p.fate?.cause === 'removed_by_platform' && p.fate.reveal === 'ambiguous')).toBe(
      'gone_unspecified',
    );
    expect(cause((p) => p.fate?.cause === 'deleted_by_author' && p.fate.reveal === 'ambiguous')).toBe(
      'gone_unspecified',
    );
    expect(
      truth.filter((r) => r.verdict === 'alive').every((r) => r.cause === null && r.goneAt === null),
    ).toBe(true);
  });

  it('learns an ambiguous removal from a repost placeholder served after it', async () => {
    const s = h.scenario;
    const removed = find(s, (p) => p.fate?.cause === 'removed_by_platform' && p.fate.reveal === 'ambiguous');
    const deleted = find(s, (p) => p.fate?.cause === 'deleted_by_author' && p.fate.reveal === 'ambiguous');
    const repost = find(s, (p) => p.repostOf === removed.mid);
    h.at(3.5 * SECOND);
    await h.get(`/statuses/show?id=${removed.mid}`);
    await h.get(`/statuses/show?id=${deleted.mid}`);
    h.clock.advanceTo(removed.fate!.at + 1);
    expect(row(h.sim.groundTruth(), removed.mid)).toMatchObject({
      verdict: 'gone',
      cause: 'gone_unspecified',
      goneAt: removed.fate!.at,
    });
    await h.get(`/statuses/show?id=${repost.mid}`);
    const after = h.sim.groundTruth();
    expect(row(after, removed.mid)?.cause).toBe('removed_by_platform');
    // The deletion has not happened yet, so its repost's placeholder could not have told anything.
    expect(row(after, deleted.mid)).toMatchObject({ verdict: 'alive', cause: null });
    // Asking about a moment before the placeholder was served gives the cause known then.
    expect(row(h.sim.groundTruth(removed.fate!.at), removed.mid)?.cause).toBe('gone_unspecified');
  });

  it('follows the time asked about for verdicts and edit counts', async () => {
    const edited = find(h.scenario, (p) => p.edits !== undefined && p.fate !== undefined);
    h.at(3.5 * SECOND);
    await h.get(`/statuses/show?id=${edited.mid}`);
    const at = (t: number): GroundTruthRow | undefined => row(h.sim.groundTruth(t), edited.mid);
    expect(at(edited.edits![0]!.at - 1)).toMatchObject({ verdict: 'alive', editCount: 0 });
    expect(at(edited.edits![0]!.at)).toMatchObject({ verdict: 'alive', editCount: 1 });
    expect(at(edited.fate!.at)).toMatchObject({ verdict: 'gone', editCount: 1, cause: edited.fate!.cause });
    const served = (await h.get('/__sim/truth')).json();
    expect(served).toEqual(JSON.parse(JSON.stringify(h.sim.groundTruth())));
  });
});

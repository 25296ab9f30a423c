import type { SimNetease } from './netease-types';
import type { Scenario, SimPost } from './types';

/**
 * Checks a scenario's internal consistency (unique mids, known accounts, reposts of existing
 * earlier posts, edits and fates after creation); returns the problems found, empty when none.
 */
export function checkScenario(s: Scenario): string[] {
  const problems: string[] = [];
  const uids = new Set(s.weibo.accounts.map((a) => a.uid));
  const byMid = new Map<string, SimPost>();
  for (const p of s.weibo.posts) {
    if (byMid.has(p.mid)) problems.push(`duplicate mid ${p.mid}`);
    byMid.set(p.mid, p);
    if (!/^\d{16}$/.test(p.mid) || Number(p.mid) > Number.MAX_SAFE_INTEGER) problems.push(`bad mid ${p.mid}`);
    if (!uids.has(p.uid)) problems.push(`post ${p.mid}: unknown account ${p.uid}`);
    for (const e of p.edits ?? []) {
      if (e.at <= p.createdAt) problems.push(`post ${p.mid}: edit before creation`);
      if (p.fate && e.at >= p.fate.at) problems.push(`post ${p.mid}: edit after its fate`);
    }
    if (p.fate && p.fate.at <= p.createdAt) problems.push(`post ${p.mid}: fate before creation`);
  }
  for (const p of s.weibo.posts) {
    if (p.repostOf === undefined) continue;
    const orig = byMid.get(p.repostOf);
    if (!orig) problems.push(`post ${p.mid}: repost of unknown ${p.repostOf}`);
    else if (orig.createdAt >= p.createdAt) problems.push(`post ${p.mid}: repost older than its original`);
    else if (orig.repostOf !== undefined) problems.push(`post ${p.mid}: repost of a repost`);
  }
  problems.push(...checkNeteaseScenario(s.netease));
  return problems;
}

// ---------------------------------------------------------------------------------------------

/** Checks a NetEase scenario part; returns the problems found, empty when none. */
export function checkNeteaseScenario(n: SimNetease): string[] {
  const problems: string[] = [];
  const tids = new Set(n.accounts.map((a) => a.tid));
  for (const a of n.accounts) {
    if (!/^T\d{13}$/.test(a.tid)) problems.push(`bad account tid ${a.tid}`);
    if (!/^W\d{19}$/.test(a.wemediaId)) problems.push(`bad wemediaId ${a.wemediaId}`);
  }
  const seen = new Set<string>();
  for (const p of n.articles) {
    if (seen.has(p.docid)) problems.push(`duplicate docid ${p.docid}`);
    seen.add(p.docid);
    if (!/^[A-Z0-9]{16}$/.test(p.docid) || !/[A-Z]/.test(p.docid)) problems.push(`bad docid ${p.docid}`);
    if (!/^[a-z0-9]+$/.test(p.channel)) problems.push(`article ${p.docid}: bad channel ${p.channel}`);
    if (p.account !== undefined && !tids.has(p.account))
      problems.push(`article ${p.docid}: unknown account ${p.account}`);
    if ((p.channel === 'dy') !== (p.account !== undefined))
      problems.push(`article ${p.docid}: only 网易号 articles are in the dy channel`);
    let last = p.createdAt;
    for (const e of p.edits ?? []) {
      if (e.at <= last) problems.push(`article ${p.docid}: edit out of order or before creation`);
      if (p.fate && e.at >= p.fate.at) problems.push(`article ${p.docid}: edit after its removal`);
      last = e.at;
    }
    if (p.fate && p.fate.at <= p.createdAt) problems.push(`article ${p.docid}: removal before creation`);
    if (p.template === 'dy-v2' && p.channel !== 'dy')
      problems.push(`article ${p.docid}: the dy-v2 template is for 网易号 articles`);
    if (p.template === 'legacy' && p.channel === 'dy')
      problems.push(`article ${p.docid}: the legacy template is for news articles`);
    for (const w of p.pages ?? []) {
      if (!(w.from < w.until)) problems.push(`article ${p.docid}: page window ends before it starts`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Ids. A DOCID's first 8 characters grow with time and its last 8 name the channel or account
// (research §1.1), so simulated ones are made the same way.

/**
 * The comment threads of simulated NetEase articles: which comments exist at a time, derived from
 * the article and its id alone (never from the fault PRNG), in the comment API's shape.
 */
import { NETEASE_PRODUCT_KEY } from '../../platforms/netease/urls';
import type { CommentView } from './format';
import { hashOf, NETEASE_CORPUS as N, type SimNeteaseArticle } from '../world';

/** Comment `i` of an article's thread has id `commentIdBase(docid) + i`. */
export function commentIdBase(docid: string): number {
  return 60_000_000 + (hashOf(docid) % 9_000_000) * 10;
}

/**
 * The comments visible at `now`, oldest first; they arrive over the article's first day (or evenly
 * over `commentSpread`). Removed ones are left out; `marked` ones are listed with `isDel`.
 */
export function commentsAt(a: SimNeteaseArticle, now: number): CommentView[] {
  const n = a.comments ?? 0;
  const out: CommentView[] = [];
  const base = commentIdBase(a.docid);
  for (let i = 0; i < n; i++) {
    const h = hashOf(`${a.docid}:${i}`);
    const createdAt =
      a.commentSpread !== undefined
        ? a.createdAt + Math.round(((i + 1) / (n + 1)) * a.commentSpread)
        : a.createdAt + Math.round(((i + 1) / (n + 1)) ** 2 * 86_400_000);
    if (createdAt > now) break;
    const deletion = a.commentDeletions?.find((d) => d.index === i);
    const deleted = deletion !== undefined && deletion.at <= now;
    if (deleted && (deletion.mode ?? 'removed') === 'removed') continue;
    out.push({
      ...(deleted ? { deleted: true } : {}),
      commentId: base + i,
      docid: a.docid,
      productKey: NETEASE_PRODUCT_KEY,
      content: N.commentTexts[h % N.commentTexts.length]!,
      createdAt,
      vote: h % 5 === 0 ? 0 : h % 120,
      against: h % 11 === 0 ? h % 9 : 0,
      buildLevel: i >= 3 && i % 4 === 3 ? 2 : 1,
      anonymous: h % 13 === 0,
      location: N.commentLocations[h % N.commentLocations.length]!,
      nickname: `${N.commentNicks[h % N.commentNicks.length]!}${(h >>> 8) % 1000}`,
      userId: 1_000_000 + (h % 90_000_000),
      device: N.commentDevices[(h >>> 4) % N.commentDevices.length]!,
      ip: `${(h % 200) + 20}.${(h >>> 8) % 250}.*.*`,
    });
  }
  return out;
}

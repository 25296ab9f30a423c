/**
 * The comment threads of simulated NetEase articles: which comments exist at a time, derived from
 * the article and its id alone (never from the fault PRNG), in the comment API's shape.
 */
import { NETEASE_PRODUCT_KEY } from '../../platforms/netease/urls';
import type { CommentView } from './format';
import type { SimNeteaseArticle } from '../world';
import { hashOf } from '../world';

const COMMENT_TEXTS = [
  '投票记录是公开的，自己去联合国官网查。',
  '这篇写得很客观，先收藏了。',
  '赞成就是赞成，没什么好解读的。',
  '为什么国内新闻看不到这个？',
  '顶一下，希望别被删。',
  '程序性决议而已，别过度解读。',
  '原文链接有吗？',
  '外交部怎么解释的？',
  '楼上说得对。',
  '看完了，涨知识了。',
] as const;
const LOCATIONS = [
  '北京市',
  '上海市',
  '广东省深圳市',
  '浙江省杭州市',
  '四川省成都市',
  '湖北省武汉市',
  '江苏省南京市',
];
const NICKS = ['网易网友', '有态度网友', '东方不败', '一路向北', '深海里的鱼', '老李说事', '不吐不快'];
const DEVICES = ['iPhone 14', 'HUAWEI Mate 50', 'Xiaomi 13', 'OPPO Find X6', 'vivo X90'];

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
      content: COMMENT_TEXTS[h % COMMENT_TEXTS.length]!,
      createdAt,
      vote: h % 5 === 0 ? 0 : h % 120,
      against: h % 11 === 0 ? h % 9 : 0,
      buildLevel: i >= 3 && i % 4 === 3 ? 2 : 1,
      anonymous: h % 13 === 0,
      location: LOCATIONS[h % LOCATIONS.length]!,
      nickname: `${NICKS[h % NICKS.length]!}${(h >>> 8) % 1000}`,
      userId: 1_000_000 + (h % 90_000_000),
      device: DEVICES[(h >>> 4) % DEVICES.length]!,
      ip: `${(h % 200) + 20}.${(h >>> 8) % 250}.*.*`,
    });
  }
  return out;
}

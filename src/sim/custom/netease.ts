/**
 * The NetEase part of a world built from a config: news articles for every watched keyword, a
 * 网易号 for every watched account however it was given (T id, W id, one of its articles, or only
 * its display name, which the site search finds), and every explicit article. NetEase states no
 * cause, so a removal is one of the forms research/netease.md §4 names, in turn.
 */
import type { NeteaseAccountRef } from '../../platforms/netease/urls';
import {
  hashOf,
  makeDocidFactory,
  NETEASE_CORPUS,
  NETEASE_REMOVALS,
  type Rng,
  type SimCommentDeletion,
  type SimNetease,
  type SimNeteaseAccount,
  type SimNeteaseArticle,
} from '../index';
import { editDelay, fateCounts, fateTime, type WatchRole } from './fates';
import { listSize, type WorldSpan } from './weibo';
import { accountArticle, editedParagraphs, keywordArticle, NETEASE_ACCOUNT_NAMES } from './texts';

const { newsSources: NEWS_SOURCES, editors: EDITORS, regions: REGIONS } = NETEASE_CORPUS;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** What the NetEase part is built for, deduplicated across watches. */
export interface NeteaseWants {
  readonly keywords: readonly { keyword: string; role: WatchRole; comments: boolean }[];
  readonly accounts: readonly { ref: NeteaseAccountRef; role: WatchRole; comments: boolean }[];
  /** `channel` from the configured URL (`dy` needs an account), `news` for a bare DOCID. */
  readonly articles: readonly { docid: string; channel: string; role: WatchRole; comments: boolean }[];
}

/** `n` digits that follow from `seed`, so an account's made-up ids follow from how it was configured. */
function digits(seed: string, n: number): string {
  let out = '';
  for (let i = 0; out.length < n; i++) out += String(hashOf(`${seed}:${i}`)).padStart(10, '0');
  return out.slice(0, n);
}

type Article = { -readonly [K in keyof SimNeteaseArticle]: SimNeteaseArticle[K] };

/** Builds the NetEase part. */
export function buildNeteasePart(wants: NeteaseWants, rng: Rng, span: WorldSpan): SimNetease {
  const days = (span.end - span.start) / DAY;
  const newDocid = makeDocidFactory();
  const taken = new Set(wants.articles.map((a) => a.docid));
  const docid = (at: number, suffix: string): string => {
    for (;;) {
      const id = newDocid(at, suffix);
      if (!taken.has(id)) {
        taken.add(id);
        return id;
      }
    }
  };
  const accounts: SimNeteaseAccount[] = [];
  const articles: Article[] = [];
  let removalTurn = 0;
  const nextRemoval = () => NETEASE_REMOVALS[removalTurn++ % NETEASE_REMOVALS.length]!;

  const account = (seed: string, given: Partial<SimNeteaseAccount>): SimNeteaseAccount => {
    const a: SimNeteaseAccount = {
      tid: given.tid ?? `T${digits(`tid:${seed}`, 13)}`,
      wemediaId: given.wemediaId ?? `W${digits(`wemedia:${seed}`, 19)}`,
      name: given.name ?? `${rng.pick(NETEASE_ACCOUNT_NAMES)}${accounts.length + 1}`,
      description: '模拟的网易号。',
    };
    accounts.push(a);
    return a;
  };
  const tail = Math.max(10 * MINUTE, Math.min(6 * HOUR, (span.end - span.start) / 10));
  const times = (n: number): number[] =>
    Array.from({ length: n }, (_, i) =>
      i < 2
        ? span.start - rng.int(30, 600) * MINUTE
        : span.start + MINUTE + Math.round(rng.next() * (span.end - tail - span.start - MINUTE)),
    ).sort((a, b) => a - b);

  const applyFates = (list: Article[], role: WatchRole): void => {
    const inRun = rng.shuffle(list.filter((a) => a.createdAt >= span.start));
    const c = fateCounts(inRun.length, role, false);
    // NetEase states no cause: every kind of going is one removal here.
    const gone = c.removedByPlatform + c.deletedByAuthor + c.restricted + c.unspecified;
    for (const a of inRun.slice(0, gone))
      a.fate = { at: fateTime(rng, a.createdAt, 'removed_by_platform', span), removal: nextRemoval() };
    let edited = 0;
    for (const a of inRun.slice(gone)) {
      if (edited >= c.edited) break;
      const at = a.createdAt + editDelay(rng);
      if (at >= span.end - 30 * MINUTE) continue;
      a.edits = [{ at, paragraphs: editedParagraphs(a.paragraphs) }];
      edited++;
    }
  };
  const withComments = (list: Article[]): void => {
    list.forEach((a, i) => {
      const n = rng.int(8, 60);
      a.comments = n;
      if (i % 2 === 1) return;
      const deletions: SimCommentDeletion[] = [];
      for (let k = 3; k < n; k += 7) {
        const at = a.createdAt + Math.round(((k + 1) / (n + 1)) ** 2 * DAY) + rng.int(60, 120) * MINUTE;
        if (!a.fate || at < a.fate.at)
          deletions.push({ index: k, at, mode: k % 2 === 0 ? 'marked' : 'removed' });
      }
      a.commentDeletions = deletions;
    });
  };

  wants.keywords.forEach(({ keyword, role, comments }, k) => {
    const list = times(listSize('keyword', days)).map((createdAt, i): Article => {
      const channel = i % 3 === 1 ? 'world' : 'news';
      const { title, paragraphs } = keywordArticle(rng, keyword);
      return {
        docid: docid(createdAt, `0001${channel === 'news' ? '89' : '87'}${String(k % 100).padStart(2, '0')}`),
        channel,
        title,
        paragraphs,
        images: rng.int(0, 1),
        source: rng.pick(NEWS_SOURCES),
        region: rng.pick(REGIONS),
        editor: rng.pick(EDITORS),
        createdAt,
        keywords: [keyword],
        ...(i % 3 === 2 ? { charset: 'gbk' as const } : {}),
      };
    });
    applyFates(list, role);
    if (comments) withComments(list);
    articles.push(...list);
  });

  const dyArticle = (a: SimNeteaseAccount, createdAt: number, n: number, id?: string): Article => {
    const { title, paragraphs } = accountArticle(rng, n);
    return {
      docid: id ?? docid(createdAt, `0553${digits(a.tid, 4)}`),
      channel: 'dy',
      title,
      paragraphs,
      images: rng.int(0, 2),
      source: a.name,
      region: rng.pick(REGIONS),
      createdAt,
      keywords: [],
      account: a.tid,
    };
  };
  const seen = new Set<string>();
  for (const { ref, role, comments } of wants.accounts) {
    const seed = JSON.stringify(ref);
    if (seen.has(seed)) continue;
    seen.add(seed);
    const a = account(seed, {
      ...(ref.kind === 'tid' ? { tid: ref.tid } : {}),
      ...(ref.kind === 'wemedia' ? { wemediaId: ref.wemediaId } : {}),
      ...(ref.kind === 'name' ? { name: ref.name } : {}),
    });
    // Articles before the run come first in the list, alive throughout: an account given by one of
    // its articles is resolved through that article, one given by name through the search.
    const list = times(listSize('account', days)).map((createdAt, i) =>
      dyArticle(a, createdAt, i + 1, i === 0 && ref.kind === 'article' ? ref.docid : undefined),
    );
    applyFates(list, role);
    if (comments) withComments(list);
    articles.push(...list);
  }

  // Explicit articles, older than the run: one in three removed during it, one in three edited.
  let owner: SimNeteaseAccount | null = null;
  wants.articles.forEach(({ docid: id, channel, role, comments }, i) => {
    if (articles.some((a) => a.docid === id)) return;
    const createdAt = span.start - rng.int(2, 72) * HOUR;
    let a: Article;
    if (channel === 'dy') {
      owner ??= account('explicit', {});
      a = dyArticle(owner, createdAt, i + 1, id);
    } else {
      const { title, paragraphs } = keywordArticle(rng, '此事');
      a = {
        docid: id,
        channel,
        title,
        paragraphs,
        source: rng.pick(NEWS_SOURCES),
        region: rng.pick(REGIONS),
        editor: rng.pick(EDITORS),
        createdAt,
        keywords: [],
      };
    }
    const at = span.start + Math.round((span.end - span.start) * (0.2 + 0.4 * rng.next()));
    if (i % 3 === 0 && role === 'topic') a.fate = { at, removal: nextRemoval() };
    else if (i % 3 === 1) a.edits = [{ at, paragraphs: editedParagraphs(a.paragraphs) }];
    if (comments) withComments([a]);
    articles.push(a);
  });

  return { accounts, articles: articles.sort((x, y) => x.createdAt - y.createdAt) };
}

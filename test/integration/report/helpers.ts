import { rmSync } from 'node:fs';
import { Writable } from 'node:stream';
import type { Content, FinalOutcome, Platform, TargetKind } from '../../../src/domain/glossary';
import { contentHash } from '../../../src/domain/hash';
import { applyObservation } from '../../../src/domain/verdict';
import type { Store, TargetRow } from '../../../src/store/store';
import { tempDatabase } from '../../helpers/temp-db';

export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const T0 = Date.UTC(2023, 1, 24, 8, 0, 0);
const RULES = { confirmGone: 2, confirmAfter: MIN };

/** A fresh SQLite file in the OS temp dir; `cleanup` closes and deletes it. */
export function tempStore(): { store: Store; file: string; cleanup: () => void } {
  const { store, file, dir } = tempDatabase('censorwatch-report-');
  return {
    store,
    file,
    cleanup: () => {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Collects what an export writes. */
export class Sink extends Writable {
  chunks: string[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.chunks.push(chunk.toString('utf8'));
    cb();
  }
  text(): string {
    return this.chunks.join('');
  }
}

export function content(text: string, over: Partial<Content> = {}): Content {
  return {
    html: text,
    text,
    author: { id: '1001', name: '观察者' },
    createdAt: null,
    counts: { reposts: 0, comments: 0, likes: 0 },
    media: [],
    repostOf: null,
    editCount: null,
    ...over,
  };
}

/**
 * Writes a target's history through the Store the way the recorder does: verdict rules from
 * src/domain/verdict.ts, one observation row per fetch, one event row per watch of the target.
 */
export class History {
  private seq = 0;
  constructor(private readonly store: Store) {}

  target(
    platform: Platform,
    kind: TargetKind,
    id: string,
    url: string,
    watches: string[],
    at: number,
    via = 'post',
  ): TargetRow {
    const { row, linked } = this.store.ensureTarget({ platform, kind, id }, url, watches, via, at, at);
    for (const w of linked) {
      this.store.insertEvent({
        type: 'post.discovered',
        at,
        watchId: w,
        platform,
        targetRowId: row.rowId,
        nativeId: id,
        keyword: null,
        cause: null,
        detail: { via, url },
        dedupeKey: `discovered:${row.rowId}:${w}`,
      });
    }
    return row;
  }

  /** An alive fetch; `partial` is a truncated listing that proves the post alive but shows no text. */
  alive(row: TargetRow, at: number, c: Content, partial = false): void {
    this.observe(row, at, 'alive', c, partial);
  }

  /** A final fetch; `notice` is the platform's words, kept as the observation's message. */
  final(row: TargetRow, at: number, outcome: FinalOutcome, notice: string | null = null): void {
    this.observe(row, at, outcome, null, false, notice);
  }

  private observe(
    row: TargetRow,
    at: number,
    outcome: 'alive' | FinalOutcome,
    c: Content | null,
    partial: boolean,
    notice: string | null = null,
  ): void {
    const store = this.store;
    const current = store.getTarget(row.rowId)!;
    const hash = c ? contentHash(c) : null;
    const t = applyObservation(
      current.state,
      { at, outcome, contentHash: hash, text: c?.text ?? null, partial },
      RULES,
    );
    const chain = store.insertObservation(
      {
        targetRowId: row.rowId,
        at,
        endpoint: 'test',
        outcome,
        message: notice,
        httpStatus: 200,
        url: row.url,
        finalUrl: row.url,
        contentHash: hash,
        content: c,
        body: Buffer.from(`body ${this.seq}`),
        keepBody: true,
        dedupeKey: null,
      },
      current.chain,
    )!;
    store.saveTargetState(row.rowId, t.state, {
      chain,
      lastOutcome: outcome,
      lastCheckedAt: at,
      nextCheckAt: at + HOUR,
      authorId: c?.author?.id ?? null,
      authorName: c?.author?.name ?? null,
      createdAt: c?.createdAt ? Date.parse(c.createdAt) : null,
    });
    for (const w of store.watchesOf(row.rowId)) {
      for (const e of t.events) {
        store.insertEvent({
          type: e.type,
          at,
          watchId: w,
          platform: row.platform,
          targetRowId: row.rowId,
          nativeId: row.id,
          keyword: null,
          cause: e.cause ?? null,
          detail: e.detail,
          dedupeKey: `ev:${this.seq++}:${w}`,
        });
      }
    }
  }
}

/** A small RFC 4180 parser, independent of the exporter, so the test checks the format itself. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** The text of the censored post: a comma, a quote, a newline, markup characters and Chinese. */
export const TRICKY_TEXT = '他说 "弃权, 不是反对"\n第二行 <b>&amp; 联合国';
/** The notice of the censored post, as Weibo words it. */
export const CENSORED_NOTICE = '该微博因被多人投诉，根据《微博社区公约》，已被删除。';
export const WEIBO_URL = (mid: string): string => `https://m.weibo.cn/detail/${mid}`;
export const NETEASE_URL = 'https://www.163.com/news/article/KC12OUHK000189FH.html';

/**
 * Topic watch `un-vote` and baseline watch `baseline`.
 *
 * un-vote (posts seen alive: 4; gone among them: 3; removed_by_platform: 2):
 * - 4900000000000001 alive, then removed_by_platform (censored; the tricky text)
 * - 4900000000000002 alive, edited, then deleted_by_author
 * - 4900000000000003 alive, also in the baseline watch
 * - 4900000000000004 gone_unspecified at first fetch (never seen alive)
 * - NetEase KC12OUHK000189FH seen only in a truncated listing, then removed_by_platform
 * baseline (posts seen alive: 6 with the shared one; gone: 1, deleted_by_author)
 * - 5000000000000001..5 alive; the fifth deleted_by_author
 * Keyword 联合国 决议 was searched with results, then withheld (search.blocked).
 */
export function seedScenario(store: Store): void {
  store.syncWatches(
    [
      { id: 'un-vote', name: 'CCP vote on UN resolution A/77/L.65' },
      { id: 'baseline', name: 'Weather baseline' },
    ],
    [
      { watchId: 'un-vote', platform: 'weibo', mode: 'keyword', query: '联合国 决议' },
      { watchId: 'baseline', platform: 'weibo', mode: 'keyword', query: '天气' },
    ],
    T0,
  );
  const h = new History(store);
  const created = new Date(T0 - 10 * MIN).toISOString();

  const p1 = h.target(
    'weibo',
    'post',
    '4900000000000001',
    WEIBO_URL('4900000000000001'),
    ['un-vote'],
    T0,
    'keyword:联合国 决议',
  );
  h.alive(p1, T0, content(TRICKY_TEXT, { createdAt: created }));
  h.final(p1, T0 + 20 * MIN, 'removed_by_platform', CENSORED_NOTICE);
  h.final(p1, T0 + 22 * MIN, 'removed_by_platform', CENSORED_NOTICE);

  const p2 = h.target(
    'weibo',
    'post',
    '4900000000000002',
    WEIBO_URL('4900000000000002'),
    ['un-vote'],
    T0 + MIN,
  );
  h.alive(p2, T0 + MIN, content('原文：投票结果'));
  h.alive(p2, T0 + 2 * HOUR, content('原文：投票结果已更正'));
  h.final(p2, T0 + 3 * HOUR, 'deleted_by_author');
  h.final(p2, T0 + 3 * HOUR + 5 * MIN, 'deleted_by_author');

  const p3 = h.target(
    'weibo',
    'post',
    '4900000000000003',
    WEIBO_URL('4900000000000003'),
    ['un-vote', 'baseline'],
    T0 + 2 * MIN,
  );
  h.alive(p3, T0 + 2 * MIN, content('两个话题都有的帖子'));

  const p4 = h.target(
    'weibo',
    'post',
    '4900000000000004',
    WEIBO_URL('4900000000000004'),
    ['un-vote'],
    T0 + 3 * MIN,
  );
  h.final(p4, T0 + 3 * MIN, 'gone_unspecified');
  h.final(p4, T0 + 5 * MIN, 'gone_unspecified');

  const n1 = h.target('netease', 'post', 'KC12OUHK000189FH', NETEASE_URL, ['un-vote'], T0 + 4 * MIN);
  h.alive(n1, T0 + 4 * MIN, content('网易文章摘要：表决', { author: { id: null, name: '网易新闻' } }), true);
  h.final(n1, T0 + 26 * HOUR, 'removed_by_platform');
  h.final(n1, T0 + 26 * HOUR + 2 * MIN, 'removed_by_platform');

  for (let i = 1; i <= 5; i++) {
    const mid = `500000000000000${i}`;
    const b = h.target('weibo', 'post', mid, WEIBO_URL(mid), ['baseline'], T0 + i * MIN);
    h.alive(b, T0 + i * MIN, content(`今天天气 ${i}`));
    if (i === 5) {
      h.final(b, T0 + 5 * HOUR, 'deleted_by_author');
      h.final(b, T0 + 5 * HOUR + 2 * MIN, 'deleted_by_author');
    }
  }

  const [src] = store.listSources('un-vote');
  store.recordSearchObservation({
    sourceId: src!.id,
    at: T0,
    outcome: 'results',
    results: 3,
    message: null,
    body: null,
    page: null,
  });
  store.recordSearchObservation({
    sourceId: src!.id,
    at: T0 + HOUR,
    outcome: 'withheld',
    results: 0,
    message: '根据相关法律法规和政策，搜索结果未予显示',
    body: null,
    page: null,
  });
  store.updateSearchState(src!.id, 'withheld', true, T0);
  store.insertEvent({
    type: 'search.blocked',
    at: T0 + HOUR,
    watchId: 'un-vote',
    platform: 'weibo',
    targetRowId: null,
    nativeId: null,
    keyword: '联合国 决议',
    cause: null,
    detail: { reason: 'notice', notice: '根据相关法律法规和政策，搜索结果未予显示', results: 0 },
    dedupeKey: 'search.blocked:1',
  });
}

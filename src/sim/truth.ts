/**
 * The ground truth the simulator keeps: what an ideal observer of everything served could know about
 * each post, and the comments it saw that were deleted afterwards.
 */

import type { Cause } from '../domain/glossary';
import type { SimCommentDeletion } from './world';

/** What an ideal observer of everything the server has shown could know about one post. */
export interface GroundTruthRow {
  readonly platform: 'weibo' | 'netease';
  readonly kind: 'post';
  /** Weibo mid or NetEase DOCID. */
  readonly id: string;
  readonly verdict: 'alive' | 'gone';
  /** Null while alive; otherwise the most specific cause an observer could learn. */
  readonly cause: Cause | null;
  /** Edits that happened by the time asked about. */
  readonly editCount: number;
  readonly keywords: readonly string[];
  /** Weibo uid, or the 网易号's T id (empty for NetEase news articles). */
  readonly uid: string;
  /** When the post went (epoch ms), or null while alive. */
  readonly goneAt: number | null;
}

/** A comment an observer saw and that was deleted afterwards. */
export interface CommentTruthRow {
  readonly platform: 'weibo' | 'netease';
  /** The thread's native id: Weibo mid or NetEase DOCID. */
  readonly threadId: string;
  readonly commentId: string;
  /** First time it was served not deleted (epoch ms). */
  readonly firstServedAt: number;
  readonly deletedAt: number;
  readonly mode: 'removed' | 'marked';
}

/** Which comments were served alive, and when first. */
export class ServedComments {
  private readonly first = new Map<string, number>();
  private readonly deletions = new Map<string, { at: number; mode: 'removed' | 'marked' }>();

  /** Notes a comment served alive at `at`, and when it is to be deleted (if ever). */
  served(
    platform: 'weibo' | 'netease',
    threadId: string,
    commentId: string,
    at: number,
    deletion?: SimCommentDeletion,
  ): void {
    const key = `${platform}\u001f${threadId}\u001f${commentId}`;
    if (!this.first.has(key)) this.first.set(key, at);
    if (deletion) this.deletions.set(key, { at: deletion.at, mode: deletion.mode ?? 'removed' });
  }

  /** Comments served alive before their deletion, deleted by `at`, sorted. */
  truth(at: number): CommentTruthRow[] {
    const rows: CommentTruthRow[] = [];
    for (const [key, firstServedAt] of this.first) {
      const d = this.deletions.get(key);
      if (!d || d.at > at || firstServedAt >= d.at) continue;
      const [platform, threadId, commentId] = key.split('\u001f') as ['weibo' | 'netease', string, string];
      rows.push({ platform, threadId, commentId, firstServedAt, deletedAt: d.at, mode: d.mode });
    }
    return rows.sort((a, b) =>
      a.platform !== b.platform
        ? a.platform < b.platform
          ? -1
          : 1
        : a.threadId !== b.threadId
          ? a.threadId < b.threadId
            ? -1
            : 1
          : a.commentId < b.commentId
            ? -1
            : a.commentId > b.commentId
              ? 1
              : 0,
    );
  }
}

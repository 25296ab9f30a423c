/**
 * Comment threads in the simulator: which comments of a thread are deleted when, and the record of
 * what was served, from which the comment ground truth is derived.
 */

import type { SimCommentDeletion } from './world';

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

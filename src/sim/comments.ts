/**
 * Comment threads in the simulator: which comments of a thread are deleted when, and the record of
 * what was served, from which the comment ground truth is derived.
 */

/** One comment deletion: comment `index` (0 = the thread's oldest) goes at `at`. */
export interface SimCommentDeletion {
  readonly index: number;
  /** Epoch ms. */
  readonly at: number;
  /**
   * `removed`: the comment is no longer listed. `marked`: it stays listed with the platform's deleted
   * mark (NetEase `isDel: true`). @defaultValue 'removed'
   */
  readonly mode?: 'removed' | 'marked';
}

/** A post's comment thread in a scenario. */
export interface SimCommentPlan {
  /** Comments the thread ends up with. */
  readonly count: number;
  /** They arrive evenly over this time after the post's creation, in ms. */
  readonly spread: number;
  readonly deletions?: readonly SimCommentDeletion[];
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

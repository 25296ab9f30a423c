/** Comment threads in a scenario: how many comments a thread gets, and which are deleted when. */

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

/**
 * One abort signal fanned out to many pieces of work without hanging a listener per piece on it.
 *
 * Every request a work item makes hangs its own abort listeners on the signal it is given (the
 * politeness wait twice over: its timer and the race for its turn; undici's request; a retry's
 * back-off). Handing the run's one signal to every item in flight put about three listeners per
 * item on it at once, so eight items waiting on one host passed Node's limit of ten and every run
 * printed a MaxListenersExceededWarning. Not a leak, each listener was removed when its wait ended;
 * a fan-out: each worker gets a signal of its own for the items it runs one after another, and
 * the run's signal carries one listener in all.
 */

/** Children of one parent signal; see the module comment. */
export class AbortFanout {
  private readonly children = new Set<AbortController>();
  private readonly onAbort = (): void => {
    for (const c of this.children) c.abort(this.parent?.reason);
    this.children.clear();
  };

  constructor(private readonly parent: AbortSignal | undefined) {
    parent?.addEventListener('abort', this.onAbort, { once: true });
  }

  /**
   * Runs `fn` with a signal of its own that aborts when the parent does; the child is dropped
   * when `fn` settles. Without a parent, `fn` gets none.
   */
  async run<T>(fn: (signal: AbortSignal | undefined) => Promise<T>): Promise<T> {
    if (!this.parent) return fn(undefined);
    const child = new AbortController();
    if (this.parent.aborted) child.abort(this.parent.reason);
    else this.children.add(child);
    try {
      return await fn(child.signal);
    } finally {
      this.children.delete(child);
    }
  }

  /** Children in flight (for tests). */
  get size(): number {
    return this.children.size;
  }

  /** Removes the one listener from the parent. */
  close(): void {
    this.parent?.removeEventListener('abort', this.onAbort);
    this.children.clear();
  }
}

/**
 * The dispatcher seam: where due work goes once the scheduler has picked it. In embedded mode an
 * in-process pool fetches it and hands each result to the recorder (./in-process-pool.ts); in
 * distributed mode it is enqueued on BullMQ for fetcher processes, whose results the recorder role
 * applies (./distributed/dispatcher.ts). Both end in the same Scheduler and ResultRecorder.
 */

/** Options of one {@link Dispatcher.dispatchDue} round. */
export interface DispatchOptions {
  /** Aborts the round: nothing more goes out, and what was cut short is given back. */
  readonly signal?: AbortSignal;
  /** Clock time after which no more work is taken, so a backlog cannot hold a run past its end. */
  readonly until?: number;
}

/** What one round did. */
export interface DispatchRound {
  /** Items handed out (0: nothing was due). */
  readonly dispatched: number;
}

/** Hands the work that is due to fetchers. */
export interface Dispatcher<R extends DispatchRound = DispatchRound> {
  /**
   * One round over what is due now. The in-process pool resolves once what it took is fetched and
   * recorded; the queue resolves once the work is enqueued.
   */
  dispatchDue(opts?: DispatchOptions): Promise<R>;
}

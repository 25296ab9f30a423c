/** Logs what the engine records, one line per event: the embedded run and the recorder role share it. */
import type { Logger } from 'pino';
import type { RecordedEvent } from '../engine/recorder';

/**
 * An engine `onEvents` handler that logs each recorded event as one line, at info. A
 * `watch.problem` is a warning that says what is wrong and what to do, since it asks the
 * researcher to change the config rather than reporting what the platforms did.
 */
export function logEvents(logger: Logger): (events: readonly RecordedEvent[]) => void {
  return (events) => {
    for (const e of events) {
      const fields = {
        event: e.type,
        platform: e.platform,
        target: e.targetId,
        // A post and its comment thread share an id: without it a thread's post.gone reads as a second one.
        kind: e.targetId === null ? null : (e.kind ?? 'post'),
        keyword: e.keyword,
        cause: e.cause,
        watch: e.watch,
      };
      if (e.type === 'watch.problem') {
        logger.warn(
          { ...fields, problem: e.detail.problem, message: e.detail.message, hint: e.detail.hint },
          `watch problem: ${String(e.detail.summary)} (watch ${e.watch ?? '?'}): ${String(e.detail.hint)}`,
        );
      } else logger.info(fields, e.type);
    }
  };
}

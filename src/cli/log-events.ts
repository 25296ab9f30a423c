/** Logs what the engine records, one line per event: the embedded run and the recorder role share it. */
import type { Logger } from 'pino';
import type { RecordedEvent } from '../engine/recorder';

/** An engine `onEvents` handler that logs each recorded event as one line, at info. */
export function logEvents(logger: Logger): (events: readonly RecordedEvent[]) => void {
  return (events) => {
    for (const e of events) {
      logger.info(
        {
          event: e.type,
          platform: e.platform,
          target: e.targetId,
          keyword: e.keyword,
          cause: e.cause,
          watch: e.watch,
        },
        e.type,
      );
    }
  };
}

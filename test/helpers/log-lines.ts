import { Writable } from 'node:stream';
import pino from 'pino';

/** A stream that keeps each JSON line written to it as an object, so a test asserts on log lines as data. */
export function jsonLines(): { stream: Writable; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n'))
        if (l) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  return { stream, lines };
}

/** A pino logger at `level` whose lines are kept as objects (see {@link jsonLines}). */
export function capturedLogger(level: pino.Level = 'info'): {
  logger: pino.Logger;
  lines: Record<string, unknown>[];
} {
  const { stream, lines } = jsonLines();
  return { logger: pino({ level }, stream), lines };
}

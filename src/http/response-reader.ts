import { util, type Dispatcher } from 'undici';

/** A response as read off the wire: lower-cased headers, the Set-Cookie lines apart, the whole body. */
export interface ReadResponse {
  readonly status: number;
  /** Header names lower-cased; repeated headers joined with ', ' (set-cookie kept apart). */
  readonly headers: Record<string, string>;
  readonly setCookies: string[];
  readonly body: Buffer;
  /** When the request was sent, as the reader was told. */
  readonly sentAt: number;
}

/** What a reader rejects with when the body passes its cap; `code` is `BODY_TOO_LARGE`. */
export type TooLarge = (message: string) => Error;

/**
 * The requests in flight under each abort signal, aborted together when it fires: one listener
 * per signal for its whole life (a worker's), where undici's `request()` adds and removes one per
 * request.
 */
export class InFlightBySignal {
  private readonly inFlight = new WeakMap<AbortSignal, Set<ResponseReader>>();

  /** Adds `reader` to `signal`'s set; false when the signal has aborted already. */
  add(signal: AbortSignal, reader: ResponseReader): boolean {
    if (signal.aborted) return false;
    let set = this.inFlight.get(signal);
    if (!set) {
      const readers = new Set<ResponseReader>();
      set = readers;
      this.inFlight.set(signal, readers);
      signal.addEventListener(
        'abort',
        () => {
          for (const r of readers) r.abortWith(signalReason(signal));
          readers.clear();
        },
        { once: true },
      );
    }
    set.add(reader);
    return true;
  }

  remove(signal: AbortSignal, reader: ResponseReader): void {
    this.inFlight.get(signal)?.delete(reader);
  }
}

function signalReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('aborted');
}

/**
 * An undici dispatch handler that collects one response: headers lower-cased in one pass over
 * the raw pairs, the body's chunks into one Buffer. It stands in for `request()`, whose readable
 * stream, async resource and per-request abort listener cost more than the rest of a request's
 * JavaScript; what comes back is the same (header values latin1 as undici decodes them, repeats
 * joined, the body byte for byte).
 */
export class ResponseReader implements Dispatcher.DispatchHandler {
  private abortFn: ((err?: Error) => void) | null = null;
  private reason: Error | null = null;
  private settled = false;
  private status = 0;
  private headers: Record<string, string> = {};
  private readonly setCookies: string[] = [];
  private readonly chunks: Buffer[] = [];
  private size = 0;

  constructor(
    private readonly sentAt: number,
    private readonly maxBody: number,
    private readonly tooLarge: TooLarge,
    private readonly resolve: (res: ReadResponse) => void,
    private readonly reject: (err: unknown) => void,
    private readonly done: (reader: ResponseReader) => void,
  ) {}

  /** Stops the request (a caller's abort): rejects now and aborts undici's side when it has one. */
  abortWith(reason: Error): void {
    if (this.settled) return;
    this.reason = reason;
    if (this.abortFn) this.abortFn(reason);
    else this.fail(reason);
  }

  onConnect(abort: (err?: Error) => void): void {
    if (this.reason) {
      abort(this.reason);
      return;
    }
    this.abortFn = abort;
  }

  onHeaders(statusCode: number, raw: Buffer[], _resume: () => void, _statusText: string): boolean {
    // 1xx informational answers precede the real one.
    if (statusCode < 200) return true;
    this.status = statusCode;
    const out: Record<string, string> = {};
    for (let i = 0; i < raw.length; i += 2) {
      const key = util.headerNameToString(raw[i]!);
      const value = raw[i + 1]!.toString('latin1');
      if (key === 'set-cookie') this.setCookies.push(value);
      else if (Object.hasOwn(out, key)) out[key] = `${out[key]}, ${value}`;
      else if (key === '__proto__')
        Object.defineProperty(out, key, { value, enumerable: true, configurable: true, writable: true });
      else out[key] = value;
    }
    this.headers = out;
    const declared = Number(out['content-length']);
    if (Number.isFinite(declared) && declared > this.maxBody)
      this.abortNow(this.tooLarge(`content-length ${declared} over ${this.maxBody}`));
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.size += chunk.length;
    if (this.size > this.maxBody) {
      this.abortNow(this.tooLarge(`body over ${this.maxBody} bytes`));
      return true;
    }
    this.chunks.push(chunk);
    return true;
  }

  onComplete(_trailers: string[] | null): void {
    if (this.settled) return;
    this.settled = true;
    this.done(this);
    this.resolve({
      status: this.status,
      headers: this.headers,
      setCookies: this.setCookies,
      // One chunk (most answers) is a view of the socket's read, which undici never reuses.
      body: this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.size),
      sentAt: this.sentAt,
    });
  }

  onError(err: Error): void {
    // A caller's abort is reported as itself, not as undici's error for it.
    this.fail(this.reason ?? err);
  }

  private abortNow(err: Error): void {
    if (this.settled) return;
    this.reason = err;
    this.abortFn?.(err);
    this.fail(err);
  }

  private fail(err: unknown): void {
    if (this.settled) return;
    this.settled = true;
    this.done(this);
    this.reject(err);
  }
}

import type { Platform } from '../domain/glossary';

/** One HTTP request, always written against the platform's real URL; the client applies host remaps. */
export interface HttpRequest {
  readonly platform: Platform;
  readonly url: string;
  readonly method?: 'GET' | 'POST';
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Follow redirects (each Location is remapped too). @defaultValue true */
  readonly followRedirects?: boolean;
  readonly signal?: AbortSignal;
}

/** A response as the parsers see it. URLs are in the platform's real hosts, never the remapped ones. */
export interface HttpResponse {
  readonly ok: true;
  readonly url: string;
  readonly finalUrl: string;
  /** Every URL redirected through, in order, real hosts. */
  readonly redirects: readonly string[];
  readonly status: number;
  /** Header names lower-cased; repeated headers joined with ', ' (set-cookie kept in `setCookies`). */
  readonly headers: Readonly<Record<string, string>>;
  readonly setCookies: readonly string[];
  /**
   * The body decoded from its Content-Encoding (the wire's Content-Encoding and Content-Length then
   * kept under `x-archive-orig-` names in `headers`), or as received when it could not be decoded.
   */
  readonly body: Buffer;
  /**
   * Why the body could not be decoded from the Content-Encoding it declares (unknown coding,
   * corrupt data, over the size cap): `body` is then as received, kept as evidence, and the page
   * is `unparseable` whatever its status.
   */
  readonly undecodable?: string;
  /** The request that got this response (the last hop): method and headers as sent. */
  readonly request?: {
    readonly method: string;
    readonly url: string;
    /** `url`'s host (`URL.host`), parsed already; absent on responses built without a client. */
    readonly host?: string;
    readonly headers: Readonly<Record<string, string>>;
  };
  /**
   * When the final response's body was read, on the client's clock: after politeness waits,
   * retries and redirects, so an observation stamped with it follows what the platform showed.
   * Absent only on responses built without a client (fixtures); see {@link arrivedAt}.
   */
  readonly receivedAt?: number;
  /**
   * When the request that got this response was sent (the last hop's last attempt, after its
   * politeness wait): the platform's answer describes a moment between this and `receivedAt`.
   */
  readonly sentAt?: number;
}

/** A request that got no HTTP answer: reset, timeout, DNS, refused. */
export interface TransportFailure {
  readonly ok: false;
  readonly url: string;
  /** e.g. `ECONNRESET`, `UND_ERR_CONNECT_TIMEOUT`, `ECONNREFUSED`. */
  readonly code: string;
  readonly message: string;
  /** When the client gave up (after waits and retries), on its clock. */
  readonly failedAt?: number;
}

export type FetchResult = HttpResponse | TransportFailure;

/** The only way adapters reach the network. */
export interface HttpClient {
  fetch(request: HttpRequest): Promise<FetchResult>;
}

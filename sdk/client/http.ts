// One call's exchange with the server: its deadline and cancellation (CallScope), and sending
// with retries only where a retry cannot run the API twice.
import { ConnectionError, TimeoutError, UnavailableError, errorBodyOf, errorForResponse, BentocClientError } from "./errors.js";
import type { CallOptions, FetchFunction } from "./types.js";

export interface HttpSettings {
  baseUrl: string;
  headers: Record<string, string>;
  timeoutMs: number;
  retries: number;
  fetch: FetchFunction;
}

export interface HttpRequest {
  method: "GET" | "POST" | "PUT";
  /** Route and query, e.g. `/train/status?task_id=…`. */
  path: string;
  headers?: Record<string, string>;
  body?: string | FormData;
}

/** Errors that mean the request never reached a server, so sending it again cannot run anything twice. */
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN", "UND_ERR_CONNECT_TIMEOUT"]);
const FIRST_BACKOFF_MS = 200;
const MAX_BACKOFF_MS = 2_000;

/**
 * The lifetime of one call: a timer for its timeout, the caller's signal linked in, and one
 * AbortController that cancels whatever is in flight. `close()` must run when the call ends.
 */
export class CallScope {
  /** The call, for messages: `POST /total`. */
  readonly where: string;
  private readonly controller = new AbortController();
  private readonly deadline: number;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly unlink: () => void;

  constructor(where: string, options: CallOptions, defaultTimeoutMs: number) {
    this.where = where;
    const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
    this.deadline = timeoutMs > 0 ? Date.now() + timeoutMs : Number.POSITIVE_INFINITY;
    if (timeoutMs > 0) {
      const timeout = new TimeoutError(`${where} did not finish within ${timeoutMs} ms`, { status: 0 });
      this.timer = setTimeout(() => this.controller.abort(timeout), timeoutMs);
    }
    const outer = options.signal;
    const forward = () => this.controller.abort(outer?.reason);
    if (outer?.aborted) forward();
    else outer?.addEventListener("abort", forward, { once: true });
    this.unlink = () => outer?.removeEventListener("abort", forward);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  remainingMs(): number {
    return this.deadline - Date.now();
  }

  /** A stream's timeout covers getting it started, not how long it runs. */
  stopTimer(): void {
    clearTimeout(this.timer);
  }

  /**
   * What to throw for an error of the call: why it was aborted, if it was; a TypeError as a broken
   * connection (fetch reports network failures so, and arguments are encoded before the scope
   * opens); anything else as it is.
   */
  failure(error: unknown): unknown {
    if (this.signal.aborted) return this.signal.reason;
    if (!(error instanceof TypeError)) return error;
    return new ConnectionError(`${this.where}: the connection broke (${describe(error)})`, { status: 0, cause: error });
  }

  /** Ends the call; aborting cancels a response body still being read (and so a stream on the server). */
  close(): void {
    clearTimeout(this.timer);
    this.unlink();
    this.controller.abort();
  }

  /** Waits, unless the call is aborted first. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const wake = () => {
        clearTimeout(timer);
        reject(this.signal.reason);
      };
      const timer = setTimeout(() => {
        this.signal.removeEventListener("abort", wake);
        resolve();
      }, ms);
      if (this.signal.aborted) wake();
      else this.signal.addEventListener("abort", wake, { once: true });
    });
  }
}

/**
 * Sends a request and returns the 2xx response, or throws the error for the status. It sends
 * again only when that is safe: the connection was refused (nothing reached the server), or
 * 503 with Retry-After (the server turned the call away before running it). Never after a 500,
 * a 504 or a broken connection, where the server may have started the work.
 */
export async function sendWithRetries(settings: HttpSettings, request: HttpRequest, scope: CallScope): Promise<Response> {
  const url = `${settings.baseUrl}${request.path}`;
  const init: RequestInit = {
    method: request.method,
    headers: { ...settings.headers, ...request.headers },
    signal: scope.signal,
    ...(request.body !== undefined ? { body: request.body } : {}),
  };
  for (let attempt = 0; ; attempt++) {
    let response: Response;
    try {
      response = await settings.fetch(url, init);
    } catch (error) {
      if (scope.signal.aborted) throw scope.signal.reason;
      const failure = new ConnectionError(`${scope.where}: could not reach ${settings.baseUrl} (${describe(error)})`, { status: 0, cause: error });
      const backoff = Math.min(FIRST_BACKOFF_MS * 2 ** attempt, MAX_BACKOFF_MS) * (0.5 + Math.random() / 2);
      if (attempt >= settings.retries || !neverSent(error) || backoff > scope.remainingMs()) throw failure;
      await scope.sleep(backoff);
      continue;
    }
    if (response.ok) return response;
    const error = await errorOf(response, scope);
    const wait = error instanceof UnavailableError ? error.retryAfterMs : undefined;
    if (wait === undefined || attempt >= settings.retries || wait > scope.remainingMs()) throw error;
    await scope.sleep(wait);
  }
}

async function errorOf(response: Response, scope: CallScope): Promise<BentocClientError> {
  let text = "";
  try {
    text = await response.text();
  } catch {
    if (scope.signal.aborted) throw scope.signal.reason;
  }
  const body = errorBodyOf(response.status, response.statusText, text);
  const requestId = response.headers.get("x-request-id") ?? body.request_id;
  return errorForResponse(scope.where, response.status, body, requestId ?? undefined, retryAfterMs(response.headers.get("retry-after")));
}

/** Retry-After as delay-seconds or an HTTP date, in ms. */
function retryAfterMs(header: string | null): number | undefined {
  if (header === null) return undefined;
  if (/^\s*\d+\s*$/.test(header)) return Number(header) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function neverSent(error: unknown): boolean {
  const codes = errorCodes(error, 0);
  return codes.length > 0 && codes.every((code) => NOT_SENT_CODES.has(code));
}

/** The `code`s along an error's causes (Node's fetch wraps the socket error; several addresses make an AggregateError). */
function errorCodes(error: unknown, depth: number): string[] {
  if (typeof error !== "object" || error === null || depth > 4) return [];
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  const own = typeof code === "string" ? [code] : [];
  const nested = Array.isArray(errors) ? errors.flatMap((inner) => errorCodes(inner, depth + 1)) : [];
  return [...own, ...nested, ...errorCodes(cause, depth + 1)];
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (typeof cause?.code === "string") return cause.code;
  if (typeof cause?.message === "string" && cause.message !== "") return cause.message;
  return error instanceof Error ? error.message : String(error);
}

// Every failure a client call can end in: one class per kind, each with the HTTP status (0 when
// no response arrived), the server's JSON error body and the request id to find it in the logs.
import type { TaskStatus } from "./types.js";

/** The JSON body a bentoc server answers a failed request with. */
export interface ErrorBody {
  error: string;
  /** The machine-readable code a service gave its error, when it gave one. */
  code?: string;
  /** JSON pointer of the failing argument, for validation errors. */
  path?: string;
  /** Every failing argument, for validation errors; what a service's own error carries, for others. */
  details?: unknown;
  request_id?: string;
}

export interface ErrorInit {
  /** The HTTP status, or 0 when no response arrived. */
  status: number;
  body?: ErrorBody | undefined;
  requestId?: string | undefined;
  cause?: unknown;
}

/** A call that failed. `instanceof` one of the subclasses tells what kind of failure it was. */
export class BentocClientError extends Error {
  override name = "BentocClientError";
  /** The HTTP status, or 0 when no response arrived (connection failure, client-side timeout). */
  readonly status: number;
  /** The server's error body, when it sent one. */
  readonly body: ErrorBody | undefined;
  /** The server's id for the request (its `x-request-id`), to find it in the server's logs. */
  readonly requestId: string | undefined;

  /** The machine-readable code the service gave its error (`throw new TooManyRequests(…, { code })`). */
  get code(): string | undefined {
    return this.body?.code;
  }

  constructor(message: string, init: ErrorInit) {
    super(message);
    this.status = init.status;
    this.body = init.body;
    this.requestId = init.requestId ?? init.body?.request_id;
    // Set by hand: `Error`'s `cause` option needs ES2022 typings, which a client's project may not have.
    if (init.cause !== undefined) Object.defineProperty(this, "cause", { value: init.cause, configurable: true, writable: true });
  }
}

/** 400: an argument does not match the API's schema; `path` points at it. */
export class ValidationError extends BentocClientError {
  override name = "ValidationError";

  /** JSON pointer of the first failing argument, e.g. `/orders/0/amount`. */
  get path(): string | undefined {
    return this.body?.path;
  }

  /** Every failing argument the server reported (or a service's own 400 details). */
  get details(): { path: string; message: string }[] {
    return Array.isArray(this.body?.details) ? (this.body.details as { path: string; message: string }[]) : [];
  }
}

/** 401: the service wants to know who calls. */
export class UnauthorizedError extends BentocClientError {
  override name = "UnauthorizedError";
}

/** 403: the service refused the caller. */
export class ForbiddenError extends BentocClientError {
  override name = "ForbiddenError";
}

/** 409: the call conflicts with the service's current state. */
export class ConflictError extends BentocClientError {
  override name = "ConflictError";
}

/** 422: the arguments are well-formed, but the service cannot process them. */
export class UnprocessableError extends BentocClientError {
  override name = "UnprocessableError";
}

/** A failure the server says to retry later (its Retry-After, when it sent one). */
export class RetryLaterError extends BentocClientError {
  override name = "RetryLaterError";
  /** How long the server asked the client to wait, when it said. */
  readonly retryAfterMs: number | undefined;

  constructor(message: string, init: ErrorInit & { retryAfterMs?: number | undefined }) {
    super(message, init);
    this.retryAfterMs = init.retryAfterMs;
  }
}

/** 429: the caller's quota or rate is used up; `retryAfterMs` says when to come back, when the service said. */
export class TooManyRequestsError extends RetryLaterError {
  override name = "TooManyRequestsError";
}

/** 404: no API at that route (the client and the server disagree about the service), or the service found nothing by the arguments. */
export class NotFoundError extends BentocClientError {
  override name = "NotFoundError";
}

/** 503: the server is overloaded or starting; retried automatically when it says when (Retry-After). */
export class UnavailableError extends RetryLaterError {
  override name = "UnavailableError";
}

/** 500 and the other 5xx statuses but 503 and 504: the API failed on the server. */
export class ServerError extends BentocClientError {
  override name = "ServerError";
}

/** The call took longer than its `timeoutMs` (status 0), or the server's own traffic timeout passed (504). */
export class TimeoutError extends BentocClientError {
  override name = "TimeoutError";
}

/** No response: the server could not be reached, or the connection broke. */
export class ConnectionError extends BentocClientError {
  override name = "ConnectionError";
}

/** A task that ended without a result (`failure` or `cancelled`, in `task`); 409, as `get` answers for it. */
export class TaskFailedError extends BentocClientError {
  override name = "TaskFailedError";
  /** The task's last status: how it ended, and when it started. */
  readonly task: TaskStatus;

  constructor(message: string, init: ErrorInit & { task: TaskStatus }) {
    super(message, init);
    this.task = init.task;
  }
}

/** The error for a response that is not 2xx; `where` says which call it was, e.g. `POST /total`. */
export function errorForResponse(where: string, status: number, body: ErrorBody, requestId: string | undefined, retryAfterMs: number | undefined): BentocClientError {
  const message = `${where} failed with ${status}: ${body.error}`;
  const init = { status, body, requestId };
  if (status === 400) return new ValidationError(message, init);
  if (status === 401) return new UnauthorizedError(message, init);
  if (status === 403) return new ForbiddenError(message, init);
  if (status === 404) return new NotFoundError(message, init);
  if (status === 409) return new ConflictError(message, init);
  if (status === 422) return new UnprocessableError(message, init);
  if (status === 429) return new TooManyRequestsError(message, { ...init, retryAfterMs });
  if (status === 503) return new UnavailableError(message, { ...init, retryAfterMs });
  if (status === 504) return new TimeoutError(message, init);
  if (status >= 500) return new ServerError(message, init);
  return new BentocClientError(message, init);
}

/** Reads an error response's body: the server's JSON, or its text as the message. */
export function errorBodyOf(status: number, statusText: string, text: string): ErrorBody {
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed === "object" && parsed !== null && typeof (parsed as { error?: unknown }).error === "string") return parsed as ErrorBody;
  } catch {
    // not JSON (a proxy's page, say): its text is the message
  }
  const fallback = text.trim().slice(0, 200);
  return { error: fallback !== "" ? fallback : statusText !== "" ? statusText : `HTTP ${status}` };
}

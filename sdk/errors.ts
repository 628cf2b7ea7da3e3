import type { JsonValue } from "./types.js";

/** What a ServiceError carries besides its status and message. */
export interface ServiceErrorOptions {
  /** A machine-readable code for the caller to branch on, e.g. `"quota_exhausted"`. */
  code?: string;
  /** JSON for the caller: which limit, which model, … */
  details?: JsonValue;
  /** For 429 and 503: how long the caller should wait before retrying, sent as `Retry-After`. */
  retryAfterS?: number;
  /** What caused it: logged by the server, never sent. */
  cause?: unknown;
}

const BRAND = Symbol.for("bentoc.serviceError");

/**
 * An error a method throws to answer with a status of its own choosing and a message the caller
 * may read: `throw new NotFound("no model named 'x'")`. The server answers the status with the
 * usual JSON error body, plus `code` and `details` when given, and nothing else of the error
 * (no stack, no cause). Statuses the server answers by itself (405, 415, 504, …) cannot be
 * thrown: the compiler reports a literal one (BTC1018), and the server answers 500 instead.
 */
export class ServiceError extends Error {
  override name = "ServiceError";
  readonly status: number;
  readonly code: string | undefined;
  readonly details: JsonValue | undefined;
  readonly retryAfterS: number | undefined;

  constructor(status: number, message: string, options: ServiceErrorOptions = {}) {
    super(message);
    this.status = status;
    this.code = options.code;
    this.details = options.details;
    this.retryAfterS = options.retryAfterS;
    if (options.cause !== undefined) Object.defineProperty(this, "cause", { value: options.cause, configurable: true, writable: true });
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/**
 * A ServiceError whose class states its status as a static `status` (what `@throws {NotFound}` is
 * read by, and what a subclass such as `class QuotaExceeded extends TooManyRequests` inherits).
 */
abstract class StatusError extends ServiceError {
  static readonly status: number;

  constructor(message: string, options?: ServiceErrorOptions) {
    super((new.target as unknown as typeof StatusError).status, message, options);
    this.name = new.target.name;
  }
}

/** 400: the arguments are valid JSON of the right shape, but not acceptable (a text too long for this model). */
export class BadRequest extends StatusError {
  static override readonly status = 400;
}
/** 401: the caller did not say who it is, or not in a way this service accepts. */
export class Unauthorized extends StatusError {
  static override readonly status = 401;
}
/** 403: the caller may not do this. */
export class Forbidden extends StatusError {
  static override readonly status = 403;
}
/** 404: what the arguments name does not exist (no such model, no such document). */
export class NotFound extends StatusError {
  static override readonly status = 404;
}
/** 409: the request conflicts with the current state (a version that moved on). */
export class Conflict extends StatusError {
  static override readonly status = 409;
}
/** 422: the arguments are well-formed, but the service cannot process them (an image it cannot decode). */
export class Unprocessable extends StatusError {
  static override readonly status = 422;
}
/** 429: the caller has used up its quota or rate; `retryAfterS` tells it when to come back. */
export class TooManyRequests extends StatusError {
  static override readonly status = 429;
}
/** 503: the service cannot answer now (a model still loading, a backend down); `retryAfterS` tells when to retry. */
export class Unavailable extends StatusError {
  static override readonly status = 503;
}

/** A ServiceError, of this copy of bentoc or of another one in the same process. */
export function isServiceError(value: unknown): value is ServiceError {
  return value instanceof ServiceError || (typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[BRAND] === true);
}

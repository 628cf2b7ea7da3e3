// Every error a client can see: its status, its JSON body, its headers. A handler never
// picks a status by itself; it throws one of these, or anything else, which becomes a 500.
import { ConnectionError, UnavailableError } from "../sdk/client/errors.js";
import { isThrowableStatus, SERVER_OWNED_SUMMARY } from "../manifest/error-statuses.js";
import { isServiceError, type ServiceError } from "../sdk/errors.js";
import type { JsonValue } from "../sdk/types.js";

/** One way a value fails its schema: where, and what is wrong there. */
export interface SchemaProblem {
  path: string;
  message: string;
}

export interface ErrorBody {
  error: string;
  /** A ServiceError's machine-readable code. */
  code?: string;
  /** JSON pointer of the failing input, for validation errors. */
  path?: string;
  /** Every validation failure; or a ServiceError's JSON details. */
  details?: readonly SchemaProblem[] | JsonValue;
  request_id?: string;
}

export class BentocHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Omit<ErrorBody, "error" | "request_id"> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  body(requestId: string | undefined): ErrorBody {
    return { error: this.message, ...this.extra, ...(requestId ? { request_id: requestId } : {}) };
  }
}

export const invalidInput = (details: readonly SchemaProblem[]) =>
  new BentocHttpError(400, `Invalid input: ${details[0]?.path || "body"} ${details[0]?.message ?? "is invalid"}`, { path: details[0]?.path ?? "", details });
export const badRequest = (message: string) => new BentocHttpError(400, message);
export const notFound = (method: string, url: string) => new BentocHttpError(404, `No API at ${method} ${url}`);
export const methodNotAllowed = (method: string, url: string, allowed: readonly string[]) =>
  new BentocHttpError(405, `${url} does not answer ${method}; it answers ${allowed.join(", ")}`, {}, { allow: allowed.join(", ") });
export const payloadTooLarge = (limit: number) => new BentocHttpError(413, `Request body is larger than the limit of ${limit} bytes`);
export const fileTooLarge = (part: string, limit: number) => new BentocHttpError(413, `Request file '${part}' is larger than the limit of ${limit} bytes`);
export const malformedMultipart = (problem: string) => new BentocHttpError(400, `Malformed multipart body: ${problem}`);
export const unsupportedMediaType = (got: string, accepted: readonly string[]) =>
  new BentocHttpError(415, `Content-Type '${got || "(none)"}' is not accepted here; send ${accepted.join(" or ")}`);
export const unsupportedEncoding = (got: string, accepted: readonly string[]) =>
  new BentocHttpError(415, `Content-Encoding '${got}' is not accepted here; send ${accepted.join(" or ")}`);
export const notAcceptable = (accepted: readonly string[]) => new BentocHttpError(406, `This API streams ${accepted.join(", ")}; the Accept header allows none of them`);
export const overloaded = (retryAfterSeconds: number) =>
  new BentocHttpError(503, "Server is at its concurrency limit; retry later", {}, { "retry-after": String(retryAfterSeconds) });
export const batchQueueFull = (retryAfterSeconds: number, maxLatencyMs: number) =>
  new BentocHttpError(503, `The batch queue cannot start this call within the API's maxLatencyMs of ${maxLatencyMs} ms; retry later`, {}, { "retry-after": String(retryAfterSeconds) });
export const notReady = () => new BentocHttpError(503, "Server is starting; retry later", {}, { "retry-after": "1" });
export const timedOut = (seconds: number) => new BentocHttpError(504, `The API did not finish within the ${seconds} s traffic timeout`);
export const internalError = () => new BentocHttpError(500, "Internal server error");
/** A result whose JSON does not match the API's response schema: a 500, and the log names the API and the fields. */
export const resultMismatch = (apiName: string, problems: readonly SchemaProblem[]) =>
  Object.assign(internalError(), {
    cause: new Error(`The result of API '${apiName}' does not match its response schema: ${problems.map((problem) => `${problem.path || "(the result)"} ${problem.message}`).join("; ")}`),
  });
/** A service this one depends on (or any bentoc server it calls) shed the call or cannot be reached. */
export const dependencyUnavailable = () =>
  new BentocHttpError(503, "A service this API depends on is unavailable; retry later", {}, { "retry-after": "1" });
/**
 * Whatever a method throws is a 500 (logged with its cause): its `statusCode`, `code` and message
 * never reach the client. A dependency that shed the call (503) or is down is a 503: retrying
 * later may succeed, which a 500 would not say.
 */
export const methodFailed = (cause: unknown) => {
  if (cause instanceof BentocHttpError) return cause;
  if (isServiceError(cause)) return serviceErrorAnswer(cause);
  return Object.assign(isUnavailable(cause) ? dependencyUnavailable() : internalError(), { cause });
};

/**
 * A ServiceError's status, message, code and details (and Retry-After, for 429 and 503); nothing
 * else of it is sent. A status only the server may answer is a 500, logged with why; details
 * that are not JSON are left out, and logged.
 */
function serviceErrorAnswer(error: ServiceError): BentocHttpError {
  if (!isThrowableStatus(error.status)) {
    return Object.assign(internalError(), { cause: new Error(`A method threw a ServiceError with status ${error.status}, which only the server answers (a method may use 4xx but ${SERVER_OWNED_SUMMARY}, 500 and 503)`, { cause: error }) });
  }
  const extra: { code?: string; details?: JsonValue } = {};
  if (typeof error.code === "string") extra.code = error.code;
  let unsent: Error | undefined;
  if (error.details !== undefined) {
    try {
      extra.details = JSON.parse(JSON.stringify(error.details)) as JsonValue;
    } catch (failure) {
      unsent = new Error(`The details of a ServiceError (${error.status}) are not JSON, so they were not sent`, { cause: failure });
    }
  }
  const retryAfter = error.retryAfterS;
  const headers: Record<string, string> = (error.status === 429 || error.status === 503) && typeof retryAfter === "number" && retryAfter >= 0 ? { "retry-after": String(Math.ceil(retryAfter)) } : {};
  const answer = new BentocHttpError(error.status, error.message, extra, headers);
  const cause = unsent ?? (error as { cause?: unknown }).cause;
  return cause === undefined ? answer : Object.assign(answer, { cause });
}

/**
 * A client's UnavailableError or ConnectionError: ours, or those of a generated client's own
 * copy of the runtime (another bento's service, called through its client), known by name.
 */
function isUnavailable(cause: unknown): boolean {
  if (cause instanceof UnavailableError || cause instanceof ConnectionError) return true;
  if (!(cause instanceof Error) || typeof (cause as { status?: unknown }).status !== "number") return false;
  return cause.name === "UnavailableError" || cause.name === "ConnectionError";
}

/**
 * The multipart parser's (busboy's) errors, which carry no code, as what is wrong with the body;
 * anything else is returned as it is.
 */
export function fromMultipartError(error: unknown): unknown {
  const { code, message, part } = (error ?? {}) as { code?: unknown; message?: unknown; part?: { fieldname?: string; file?: { bytesRead?: number } } };
  // The file stream stops at the limit, so the bytes it read are the limit.
  if (code === "FST_REQ_FILE_TOO_LARGE" && part?.file?.bytesRead !== undefined) return fileTooLarge(String(part.fieldname), part.file.bytesRead);
  if (code !== undefined || typeof message !== "string") return error;
  if (message.startsWith("The needle cannot have a length bigger than")) return malformedMultipart("the Content-Type's boundary is too long (RFC 2046 allows at most 70 characters)");
  if (message.startsWith("The needle cannot be an empty")) return malformedMultipart("the Content-Type's boundary is empty");
  if (message === "Multipart: Boundary not found") return malformedMultipart("the Content-Type has no boundary");
  if (/unexpected end of multipart data/i.test(message)) return malformedMultipart("the body ends before its closing boundary");
  return error;
}

/** Fastify's own error codes, as the statuses and messages bentoc answers them with. */
export function fromFastifyError(error: { code?: string; statusCode?: number; message: string }, bodyLimit: number): BentocHttpError | undefined {
  switch (error.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
    case "FST_REQ_FILE_TOO_LARGE":
    case "FST_FILES_LIMIT":
    case "FST_PARTS_LIMIT":
    case "FST_FIELDS_LIMIT":
      return error.code === "FST_ERR_CTP_BODY_TOO_LARGE" ? payloadTooLarge(bodyLimit) : new BentocHttpError(413, error.message);
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return new BentocHttpError(415, error.message);
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
    case "FST_PROTO_VIOLATION":
    case "FST_INVALID_MULTIPART_CONTENT_TYPE":
      return badRequest(error.message);
    default:
      if (error.statusCode === 400) return badRequest(`Malformed request body: ${error.message}`);
      if (error.statusCode === 413) return payloadTooLarge(bodyLimit);
      if (error.statusCode === 415) return new BentocHttpError(415, error.message);
      return undefined;
  }
}

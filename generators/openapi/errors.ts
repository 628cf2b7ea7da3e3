// The error responses every bentoc server can send. They share one body schema and live in
// `components.responses`, so each operation only lists `$ref`s to them.
import type { ApiErrorManifest, JsonSchemaObject } from "../../manifest/types.js";
import type { ReferenceObject, ResponseObject } from "./types.js";

export type ErrorStatus = "400" | "404" | "406" | "413" | "415" | "500" | "503" | "504";

/** Operations that take a request body can fail in every way (504: past the traffic timeout). */
export const BODY_ERRORS: readonly ErrorStatus[] = ["400", "404", "413", "415", "500", "503", "504"];
/** A stream can also be asked for in a framing (`Accept`) it does not offer; it has no overall timeout. */
export const STREAM_ERRORS: readonly ErrorStatus[] = ["400", "404", "406", "413", "415", "500", "503"];
/** Operations driven by query parameters alone never see a body that is too large or of the wrong type. */
export const QUERY_ERRORS: readonly ErrorStatus[] = ["400", "404", "500", "503"];

const ERROR_RESPONSES: Readonly<Record<ErrorStatus, { name: string; description: string }>> = {
  "400": {
    name: "BentocBadRequest",
    description:
      "The request is invalid: the body cannot be parsed, or an argument fails validation " +
      "(`path` names the failing value, `details` lists every failure).",
  },
  "404": { name: "BentocNotFound", description: "No such route, or no task with the given `task_id`." },
  "406": {
    name: "BentocNotAcceptable",
    description: "The `Accept` header allows none of the stream's media types.",
  },
  "413": { name: "BentocPayloadTooLarge", description: "The request body is larger than the server accepts." },
  "415": {
    name: "BentocUnsupportedMediaType",
    description: "The request's `Content-Type` is not one this operation accepts.",
  },
  "500": {
    name: "BentocInternalError",
    description: "The service failed while handling the request. The body never holds a stack trace.",
  },
  "503": {
    name: "BentocUnavailable",
    description:
      "The server is not ready, or is overloaded and shed the request; retry after `Retry-After` seconds.",
  },
  "504": {
    name: "BentocTimeout",
    description: "The API did not finish within the service's traffic timeout.",
  },
};

export function errorSchema(): JsonSchemaObject {
  return {
    type: "object",
    description: "The body of every error response.",
    properties: {
      error: { type: "string", description: "What went wrong, written for a person." },
      path: { type: "string", description: "Where in the arguments the failing value is (validation errors)." },
      code: { type: "string", description: "A machine-readable code the service gave its error." },
      details: { description: "Every validation failure (an array); or what the service's own error carries." },
      request_id: { type: "string", description: "Identifies the request in the server's logs." },
    },
    required: ["error"],
  };
}

export function errorResponseComponents(errorSchemaName: string): Record<string, ResponseObject> {
  const components: Record<string, ResponseObject> = {};
  for (const [status, { name, description }] of Object.entries(ERROR_RESPONSES)) {
    const headers = status === "503" ? { "Retry-After": retryAfterHeader() } : undefined;
    components[name] = errorResponse(description, errorSchemaName, headers);
  }
  return components;
}

export function errorResponse(
  description: string,
  errorSchemaName: string,
  headers?: ResponseObject["headers"],
): ResponseObject {
  return {
    description,
    ...(headers !== undefined && { headers }),
    content: { "application/json": { schema: { $ref: `#/components/schemas/${errorSchemaName}` } } },
  };
}

export function errorResponseRefs(statuses: readonly ErrorStatus[]): Record<string, ReferenceObject> {
  const refs: Record<string, ReferenceObject> = {};
  for (const status of statuses) refs[status] = { $ref: `#/components/responses/${ERROR_RESPONSES[status].name}` };
  return refs;
}

/**
 * The responses of the errors an API declares (`@throws {NotFound} …`), one per status: its
 * classes and texts as the description, the error body (with `code` and `details`), and
 * Retry-After for 429 and 503. A declared status replaces the server's own response for it.
 */
export function declaredErrorResponses(errors: readonly ApiErrorManifest[] | undefined, errorSchemaName: string): Record<string, ResponseObject> {
  const byStatus = new Map<number, string[]>();
  for (const error of errors ?? []) {
    const lines = byStatus.get(error.status) ?? [];
    lines.push(error.description ? `${error.name}: ${error.description}` : error.name);
    byStatus.set(error.status, lines);
  }
  const responses: Record<string, ResponseObject> = {};
  for (const [status, lines] of byStatus) {
    const headers = status === 429 || status === 503 ? { "Retry-After": retryAfterHeader() } : undefined;
    responses[String(status)] = errorResponse(lines.join("\n\n"), errorSchemaName, headers);
  }
  return responses;
}

function retryAfterHeader(): { description: string; schema: JsonSchemaObject } {
  return {
    description: "Seconds to wait before retrying.",
    schema: { type: "integer", minimum: 0 },
  };
}

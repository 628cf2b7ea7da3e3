// The operation of a unary or stream API: one POST at the API's route whose request body
// is the object of named arguments and whose 200 response is the result or the stream.
import {
  JSON_MEDIA_TYPE, MULTIPART_MEDIA_TYPE, NDJSON_MEDIA_TYPE, SSE_MEDIA_TYPE, TEXT_MEDIA_TYPE,
  type ApiManifest, type InputManifest, type JsonSchemaObject, type OutputManifest, type ServiceManifest,
} from "../../manifest/types.js";
import { BODY_ERRORS, STREAM_ERRORS, declaredErrorResponses, errorResponseRefs } from "./errors.js";
import type {
  DocumentContext, MediaTypeObject, OperationHeader, PlannedOperation, RequestBodyObject, ResponseObject,
} from "./types.js";

const BINARY_MEDIA_TYPE = "application/octet-stream";

export function apiOperation(service: ServiceManifest, api: ApiManifest, context: DocumentContext): PlannedOperation {
  const kind = api.kind === "stream" ? "stream" : "unary";
  return {
    path: api.route,
    method: "post",
    service: service.name,
    operation: {
      ...operationHeader(service, api, { id: api.name, summary: api.doc.summary ?? api.name }),
      requestBody: requestBody(api.input, context),
      responses: {
        "200": resultResponse(api.output, kind, context),
        ...errorResponseRefs(kind === "stream" ? STREAM_ERRORS : BODY_ERRORS),
        ...declaredErrorResponses(api.errors, context.names.own.error),
      },
    },
  };
}

/** The fields every operation of an API shares, in the order they should read. */
export function operationHeader(
  service: ServiceManifest,
  api: ApiManifest,
  naming: { id: string; summary: string; description?: string },
): OperationHeader {
  const description = naming.description ?? api.doc.description;
  const batching = api.batching;
  return {
    operationId: naming.id,
    summary: naming.summary,
    ...(description !== undefined && { description }),
    ...(api.doc.deprecated === true && { deprecated: true }),
    tags: [...new Set([service.name, ...api.tags])],
    ...(batching !== undefined && {
      "x-bentoc-batching": {
        maxBatchSize: batching.maxBatchSize,
        maxLatencyMs: batching.maxLatencyMs,
        batchDim: batching.batchDim,
      },
    }),
  };
}

export function requestBody(input: InputManifest, context: DocumentContext): RequestBodyObject {
  const declared = input.mediaTypes.filter((type) => type === JSON_MEDIA_TYPE || type === MULTIPART_MEDIA_TYPE);
  const mediaTypes = declared.length > 0 ? declared : [JSON_MEDIA_TYPE];
  const content: Record<string, MediaTypeObject> = {};
  for (const type of mediaTypes) {
    const media: MediaTypeObject = { schema: bodySchema(input, context) };
    if (type === MULTIPART_MEDIA_TYPE) {
      const encoding = fileEncoding(input);
      if (Object.keys(encoding).length > 0) media.encoding = encoding;
    }
    content[type] = media;
  }
  const required = input.schema.required;
  return { required: Array.isArray(required) && required.length > 0, content };
}

/** An API without arguments still takes an object, so clients may always send `{}`. */
function bodySchema(input: InputManifest, context: DocumentContext): JsonSchemaObject {
  const schema = context.rewrite(input.schema) as JsonSchemaObject;
  return "type" in schema ? schema : { type: "object", ...schema };
}

function fileEncoding(input: InputManifest): Record<string, { contentType: string }> {
  const encoding: Record<string, { contentType: string }> = {};
  for (const parameter of input.parameters) {
    if (parameter.transport === "file" || parameter.transport === "files") encoding[parameter.name] = { contentType: BINARY_MEDIA_TYPE };
  }
  return encoding;
}

export function resultResponse(
  output: OutputManifest,
  kind: "unary" | "stream",
  context: DocumentContext,
): ResponseObject {
  const fallback = kind === "stream" ? SSE_MEDIA_TYPE : JSON_MEDIA_TYPE;
  const mediaTypes = output.mediaTypes.length > 0 ? output.mediaTypes : [fallback];
  const content: Record<string, MediaTypeObject> = {};
  for (const type of mediaTypes) content[type] = resultMediaType(type, output, context);
  const description = kind === "stream" ? streamDescription(mediaTypes) : "The result.";
  return { description, content };
}

/** JSON, SSE and NDJSON carry the (element) schema as JSON; plain text carries raw chunks. */
function resultMediaType(type: string, output: OutputManifest, context: DocumentContext): MediaTypeObject {
  if (type === JSON_MEDIA_TYPE || type === SSE_MEDIA_TYPE || type === NDJSON_MEDIA_TYPE) {
    return { schema: context.rewrite(output.schema) };
  }
  if (type === TEXT_MEDIA_TYPE) return { schema: { type: "string" } };
  return {};
}

// OpenAPI 3.1 has no way to say "a sequence of these", so the schema is the element's and
// the description says how elements are framed.
function streamDescription(mediaTypes: readonly string[]): string {
  const framing: string[] = [];
  if (mediaTypes.includes(SSE_MEDIA_TYPE)) {
    framing.push("with `text/event-stream` the `data` of each event is one JSON-encoded element");
  }
  if (mediaTypes.includes(NDJSON_MEDIA_TYPE)) {
    framing.push("with `application/x-ndjson` each line is one JSON-encoded element");
  }
  if (mediaTypes.includes(TEXT_MEDIA_TYPE)) framing.push("with `text/plain` the body is the text chunks as they come");
  const choice = mediaTypes.length > 1 ? " The `Accept` header picks the framing." : "";
  const detail = framing.length > 0 ? ` ${capitalise(framing.join("; "))}.` : "";
  return `A stream of elements, each matching the schema below.${choice}${detail}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// Reads a bento's OpenAPI document (`/docs.json`) back into the API descriptors a generated
// client has from the manifest: routes, kinds, multipart parts, stream framings and schemas.
import type { JsonSchema, SchemaObject, SchemaSet } from "./codec.js";
import { NDJSON_MEDIA_TYPE, SSE_MEDIA_TYPE, TEXT_MEDIA_TYPE } from "./framing.js";
import type { ApiDescriptor } from "./types.js";

interface MediaType {
  schema?: JsonSchema;
  encoding?: Record<string, { contentType?: string }>;
}
interface Operation {
  operationId?: string;
  /** A WebSocket API's message and reply schemas. */
  "x-bentoc-websocket"?: { messages?: JsonSchema; replies?: JsonSchema };
  requestBody?: { content?: Record<string, MediaType> };
  responses?: Record<string, { content?: Record<string, MediaType> }>;
}
type PathItem = Partial<Record<"get" | "post" | "put", Operation>>;
export interface OpenApiDocument {
  paths?: Record<string, PathItem>;
  components?: { schemas?: Record<string, JsonSchema> };
}

const TASK_ACTIONS = ["status", "get", "cancel", "retry"];
const BINARY_MEDIA_TYPE = "application/octet-stream";

/** The APIs a bento's OpenAPI document describes, by name, and the schemas their `$ref`s point into. */
export function apisOfDocument(document: OpenApiDocument): { apis: Map<string, ApiDescriptor>; schemas: SchemaSet } {
  const paths = document.paths ?? {};
  const apis = new Map<string, ApiDescriptor>();
  const taskRoutes = new Set<string>();
  for (const [path, item] of Object.entries(paths)) {
    const submit = item.post;
    if (!path.endsWith("/submit") || submit?.operationId === undefined) continue;
    const route = path.slice(0, -"/submit".length);
    if (!TASK_ACTIONS.every((action) => paths[`${route}/${action}`] !== undefined)) continue;
    const name = submit.operationId.replace(/_submit$/, "");
    apis.set(name, { name, route, kind: "task", ...inputOf(submit), ...outputOf(paths[`${route}/get`]?.get) });
    for (const action of ["submit", ...TASK_ACTIONS]) taskRoutes.add(`${route}/${action}`);
  }
  for (const [route, item] of Object.entries(paths)) {
    const socket = item.get?.["x-bentoc-websocket"];
    if (socket !== undefined && item.get?.operationId !== undefined) {
      const name = item.get.operationId;
      apis.set(name, { name, route, kind: "websocket", ...(socket.messages !== undefined ? { input: socket.messages } : {}), ...(socket.replies !== undefined ? { output: socket.replies } : {}) });
      continue;
    }
    const operation = item.post;
    if (operation?.operationId === undefined || taskRoutes.has(route)) continue;
    const content = operation.responses?.["200"]?.content ?? {};
    const framings = [SSE_MEDIA_TYPE, NDJSON_MEDIA_TYPE, TEXT_MEDIA_TYPE].filter((type) => type in content);
    const name = operation.operationId;
    if (framings.length > 0) apis.set(name, { name, route, kind: "stream", framings, ...inputOf(operation), ...outputOf(operation) });
    else apis.set(name, { name, route, kind: "unary", ...inputOf(operation), ...outputOf(operation), ...(BINARY_MEDIA_TYPE in content ? { bytes: "Uint8Array" as const } : {}) });
  }
  return { apis, schemas: { defs: document.components?.schemas ?? {}, refPrefix: "#/components/schemas/" } };
}

function inputOf(operation: Operation): Pick<ApiDescriptor, "input" | "parts"> {
  const content = operation.requestBody?.content ?? {};
  const multipart = content["multipart/form-data"];
  if (typeof multipart?.schema === "object") return { input: multipart.schema, parts: partsOf(multipart.schema, multipart.encoding ?? {}) };
  const json = content["application/json"]?.schema;
  return json !== undefined ? { input: json } : {};
}

function outputOf(operation: Operation | undefined): Pick<ApiDescriptor, "output"> {
  const content = operation?.responses?.["200"]?.content ?? {};
  const schema = (content["application/json"] ?? content[SSE_MEDIA_TYPE] ?? content[NDJSON_MEDIA_TYPE])?.schema;
  return schema !== undefined ? { output: schema } : {};
}

/** How each argument of a multipart API travels: files are the parts the encoding sends as bytes. */
function partsOf(schema: SchemaObject, encoding: Record<string, { contentType?: string }>): NonNullable<ApiDescriptor["parts"]> {
  const parts: Record<string, "file" | "files" | "text" | "text-or-json" | "json"> = {};
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    if (typeof property !== "object") continue;
    if (encoding[name]?.contentType === BINARY_MEDIA_TYPE) parts[name] = property.type === "array" ? "files" : "file";
    else if (property.type === "string") parts[name] = "text";
    else if (Array.isArray(property.type) && property.type.includes("string")) parts[name] = "text-or-json";
    else parts[name] = "json";
  }
  return parts;
}

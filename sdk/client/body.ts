// The request body of a call: the object of named arguments as JSON, or, for APIs that take
// files, multipart/form-data with one part per argument (as runtime/multipart.ts reads it).
import { blobOf } from "./bytes.js";
import { codecFor, isBlob, jsonTextOf, type Codec, type JsonSchema, type SchemaSet } from "./codec.js";
import type { ApiDescriptor } from "./types.js";

export interface RequestBody {
  body: string | FormData;
  /** Set for JSON; for multipart, fetch writes the header with its boundary. */
  contentType?: string;
}

/** Encodes request bodies of APIs, keeping one codec per API and argument. */
export class BodyEncoder {
  private readonly codecs = new Map<ApiDescriptor, Map<string, Codec>>();
  private readonly schemas: SchemaSet;

  constructor(schemas: SchemaSet) {
    this.schemas = schemas;
  }

  async encode(api: ApiDescriptor, args: object | undefined): Promise<RequestBody> {
    const values = (args ?? {}) as Record<string, unknown>;
    if (api.parts === undefined) return { body: await jsonTextOf(this.codec(api, "", api.input).encode(values)), contentType: "application/json" };
    const form = new FormData();
    for (const [name, value] of Object.entries(values)) {
      const part = api.parts[name] ?? "json";
      if (value === undefined || (value === null && part !== "json")) continue;
      if (part === "file") form.append(name, fileBlob(name, value), fileName(name, value));
      else if (part === "files") for (const item of filesOf(name, value)) form.append(name, fileBlob(name, item), fileName(name, item));
      else if (typeof value === "string" && (part === "text" || (part === "text-or-json" && !value.startsWith("\"")))) form.append(name, value);
      else form.append(name, await jsonTextOf(this.codec(api, name, propertySchema(api.input, name)).encode(value)));
    }
    return { body: form };
  }

  private codec(api: ApiDescriptor, key: string, schema: JsonSchema | undefined): Codec {
    let byKey = this.codecs.get(api);
    if (byKey === undefined) this.codecs.set(api, (byKey = new Map()));
    let codec = byKey.get(key);
    if (codec === undefined) byKey.set(key, (codec = codecFor(schema, this.schemas)));
    return codec;
  }
}

function propertySchema(input: JsonSchema | undefined, name: string): JsonSchema | undefined {
  if (typeof input !== "object" || input.properties === undefined) return undefined;
  return Object.prototype.hasOwnProperty.call(input.properties, name) ? input.properties[name] : undefined;
}

function fileBlob(name: string, value: unknown): Blob {
  if (isBlob(value)) return value;
  if (value instanceof Uint8Array) return blobOf(value);
  if (value instanceof ArrayBuffer) return blobOf(new Uint8Array(value));
  throw new TypeError(`Argument '${name}' is a file: pass a Blob, a File or a Uint8Array`);
}

function filesOf(name: string, value: unknown): unknown[] {
  if (!Array.isArray(value)) throw new TypeError(`Argument '${name}' takes several files: pass an array of Blob, File or Uint8Array`);
  return value;
}

/** A File's own name; other bytes go under the argument's name. */
function fileName(name: string, value: unknown): string {
  return typeof File !== "undefined" && value instanceof File && value.name !== "" ? value.name : name;
}

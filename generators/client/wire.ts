// What a generated client needs at run time to speak the wire protocol of each API (the
// runtime's ApiDescriptor): its route and kind, its multipart parts, stream framings, and the
// schemas reduced to the parts that revive or encode a value (Date, bigint, bytes …).
import {
  MULTIPART_MEDIA_TYPE, REVIVE_KEYWORD, type ApiManifest, type JsonSchema, type JsonSchemaObject,
} from "../../manifest/types.js";
import { defNameOfRef } from "./names.js";
import { bytesResultType } from "./types/revived.js";

const BINARY_MEDIA_TYPE = "application/octet-stream";

/** Plain data, as the runtime's ApiDescriptor reads it. */
export interface WireDescriptor {
  name: string;
  route: string;
  kind: ApiManifest["kind"];
  input?: JsonSchema;
  output?: JsonSchema;
  parts?: Record<string, "file" | "files" | "text" | "text-or-json" | "json">;
  bytes?: "Uint8Array" | "ArrayBuffer" | "Blob";
  framings?: string[];
}

/**
 * Reduces schemas to what the client's codec walks: marked leaves and the way to them. A
 * schema with no mark is dropped (the value is plain JSON), except as a branch of a union
 * with marks, where its shape (type, `const`s) is kept so the codec can tell branches apart.
 */
export class WireSchemas {
  private readonly marked = new Map<string, boolean>();
  private readonly used = new Set<string>();

  constructor(private readonly defs: Record<string, JsonSchema>) {}

  descriptorOf(api: ApiManifest): WireDescriptor {
    const descriptor: WireDescriptor = { name: api.name, route: api.route, kind: api.kind };
    const multipart = api.input.mediaTypes.includes(MULTIPART_MEDIA_TYPE);
    const files = new Set(api.input.parameters.filter((parameter) => parameter.transport === "file" || parameter.transport === "files").map((parameter) => parameter.name));
    const messages = api.input.parameters.find((parameter) => parameter.transport === "messages");
    // File arguments travel as parts, never through the codec; a WebSocket API's codec encodes one message.
    const messageSchema = messages && ((api.input.schema.properties ?? {}) as Record<string, JsonSchema>)[messages.name];
    const input = this.prune(messages ? messageSchema ?? true : files.size > 0 ? withoutProperties(api.input.schema, files) : api.input.schema);
    if (input !== undefined) descriptor.input = input;
    if (multipart) descriptor.parts = partsOf(api);
    if (api.output.mediaTypes[0] === BINARY_MEDIA_TYPE) {
      descriptor.bytes = bytesResultType(typeof api.output.schema === "object" ? api.output.schema[REVIVE_KEYWORD] : undefined);
    } else {
      const output = this.prune(api.output.schema);
      if (output !== undefined) descriptor.output = output;
    }
    if (api.kind === "stream") descriptor.framings = [...api.output.mediaTypes];
    return descriptor;
  }

  /** The reduced `$defs` the descriptors refer to, sorted by name. */
  usedDefs(): Record<string, JsonSchema> {
    const defs: Record<string, JsonSchema> = {};
    // Reducing a def can reach further defs, so the set grows while it is read.
    for (let done = 0; done < this.used.size;) {
      const names = [...this.used];
      for (const name of names.slice(done)) defs[name] = this.prune(this.defs[name] ?? true) ?? true;
      done = names.length;
    }
    return Object.fromEntries(Object.entries(defs).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  private prune(schema: JsonSchema, inUnion = false): JsonSchema | undefined {
    if (typeof schema === "boolean" || !this.hasMarks(schema, new Set())) return inUnion ? this.shape(schema, new Set()) : undefined;
    const out: JsonSchemaObject = {};
    for (const keyword of [REVIVE_KEYWORD, "type", "const"]) if (schema[keyword] !== undefined) out[keyword] = schema[keyword];
    if (typeof schema.$ref === "string") {
      out.$ref = schema.$ref;
      const name = defNameOfRef(schema.$ref);
      if (name !== undefined) this.used.add(name);
    }
    for (const keyword of ["properties", "patternProperties"]) {
      const map = schema[keyword] as Record<string, JsonSchema> | undefined;
      if (map === undefined) continue;
      const kept = Object.entries(map).flatMap(([key, child]) => {
        const pruned = this.prune(child) ?? constOnly(child);
        return pruned === undefined ? [] : [[key, pruned] as const];
      });
      if (kept.length > 0) out[keyword] = Object.fromEntries(kept);
    }
    for (const keyword of ["items", "additionalProperties"]) {
      const child = schema[keyword] as JsonSchema | undefined;
      const pruned = child === undefined ? undefined : this.prune(child);
      if (pruned !== undefined) out[keyword] = pruned;
    }
    if (Array.isArray(schema.prefixItems)) out.prefixItems = (schema.prefixItems as JsonSchema[]).map((child) => this.prune(child) ?? true);
    for (const keyword of ["anyOf", "oneOf"]) {
      if (Array.isArray(schema[keyword])) out[keyword] = (schema[keyword] as JsonSchema[]).map((branch) => this.prune(branch, true) ?? true);
    }
    if (Array.isArray(schema.allOf)) out.allOf = (schema.allOf as JsonSchema[]).map((branch) => this.prune(branch) ?? true);
    return out;
  }

  /** What tells a branch apart: its type and `const`s, also those of its properties (discriminators). */
  private shape(schema: JsonSchema, seen: Set<string>): JsonSchema {
    if (typeof schema === "boolean") return schema;
    if (typeof schema.$ref === "string") {
      const name = defNameOfRef(schema.$ref);
      if (name === undefined || seen.has(name) || this.defs[name] === undefined) return true;
      return this.shape(this.defs[name]!, new Set([...seen, name]));
    }
    const out: JsonSchemaObject = {};
    for (const keyword of ["type", "const"]) if (schema[keyword] !== undefined) out[keyword] = schema[keyword];
    for (const keyword of ["anyOf", "oneOf"]) {
      if (Array.isArray(schema[keyword])) out[keyword] = (schema[keyword] as JsonSchema[]).map((branch) => this.shape(branch, seen));
    }
    const discriminators = Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>).flatMap(([key, child]) => {
      const only = constOnly(child);
      return only === undefined ? [] : [[key, only] as const];
    });
    if (discriminators.length > 0) out.properties = Object.fromEntries(discriminators);
    return Object.keys(out).length === 0 ? true : out;
  }

  private hasMarks(schema: JsonSchema, seen: Set<string>): boolean {
    if (typeof schema !== "object") return false;
    if (typeof schema[REVIVE_KEYWORD] === "string") return true;
    if (typeof schema.$ref === "string") {
      const name = defNameOfRef(schema.$ref);
      if (name === undefined) return false;
      const known = this.marked.get(name);
      if (known !== undefined) return known;
      if (seen.has(name)) return false;
      const result = this.hasMarks(this.defs[name] ?? true, new Set([...seen, name]));
      // Only a complete answer is remembered: one cut short by a cycle may be wrong for the def itself.
      if (seen.size === 0 || result) this.marked.set(name, result);
      return result;
    }
    return subschemas(schema).some((child) => this.hasMarks(child, seen));
  }
}

function partsOf(api: ApiManifest): NonNullable<WireDescriptor["parts"]> {
  const properties = (api.input.schema.properties ?? {}) as Record<string, JsonSchema>;
  const parts: NonNullable<WireDescriptor["parts"]> = {};
  for (const parameter of api.input.parameters) {
    const schema = properties[parameter.name];
    const type = typeof schema === "object" ? schema.type : undefined;
    // As runtime/multipart.ts reads fields: a string parameter's field is the text itself.
    if (parameter.transport === "file" || parameter.transport === "files") parts[parameter.name] = parameter.transport;
    else if (type === "string") parts[parameter.name] = "text";
    else if (Array.isArray(type) && type.includes("string")) parts[parameter.name] = "text-or-json";
    else parts[parameter.name] = "json";
  }
  return parts;
}

function withoutProperties(schema: JsonSchemaObject, names: Set<string>): JsonSchemaObject {
  const properties = Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>).filter(([name]) => !names.has(name));
  return { ...schema, properties: Object.fromEntries(properties) };
}

function constOnly(schema: JsonSchema): JsonSchema | undefined {
  return typeof schema === "object" && schema.const !== undefined ? { const: schema.const } : undefined;
}

function subschemas(schema: JsonSchemaObject): JsonSchema[] {
  const children: JsonSchema[] = [];
  for (const key of ["items", "additionalProperties"]) if (schema[key] !== undefined) children.push(schema[key] as JsonSchema);
  for (const key of ["prefixItems", "anyOf", "oneOf", "allOf"]) if (Array.isArray(schema[key])) children.push(...(schema[key] as JsonSchema[]));
  for (const key of ["properties", "patternProperties"]) if (schema[key]) children.push(...Object.values(schema[key] as Record<string, JsonSchema>));
  return children;
}

// Values whose JSON form is not what the types say (Date, bigint, bytes, typed arrays, URL) are
// marked in the schema with `x-bentoc-type`. A codec walks a value along its schema and turns
// marked leaves from JSON (revive) or into JSON (encode); schemas with no mark cost nothing.
import { base64Of, bytesOfBase64 } from "./bytes.js";

/** A JSON Schema (2020-12), or the parts of one a codec needs. */
export type JsonSchema = boolean | SchemaObject;

/** The keywords a codec reads; a schema may have any others. */
export interface SchemaObject {
  readonly $ref?: string;
  readonly type?: string | readonly string[];
  readonly const?: unknown;
  readonly properties?: { readonly [name: string]: JsonSchema };
  readonly patternProperties?: { readonly [pattern: string]: JsonSchema };
  readonly additionalProperties?: JsonSchema;
  readonly items?: JsonSchema;
  readonly prefixItems?: readonly JsonSchema[];
  readonly anyOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
  readonly allOf?: readonly JsonSchema[];
  /** What a JSON value stands for: Date, bigint, URL, bytes (Uint8Array, Blob, …) or a typed array. */
  readonly "x-bentoc-type"?: string;
  readonly [keyword: string]: unknown;
}

/** Named schemas, and the prefix their `$ref`s start with (`#/$defs/`, `#/components/schemas/`). */
export interface SchemaSet {
  defs: { readonly [name: string]: JsonSchema };
  refPrefix: string;
}

/** A value made ready for `JSON.stringify`, with the base64 text of any Blob still being read. */
export interface EncodedValue {
  value: unknown;
  /** Placeholder object → base64 text, for Blobs inside JSON (reading a Blob is asynchronous). */
  pending: Map<object, Promise<string>>;
}

export interface Codec {
  revive(value: unknown): unknown;
  encode(value: unknown): EncodedValue;
}

const TYPED_ARRAYS: { readonly [kind: string]: new (values: ArrayLike<number>) => ArrayLike<number> } = {
  Int8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array, Float64Array,
};
const BINARY_KINDS = new Set(["Uint8Array", "Buffer", "ArrayBuffer", "Blob", "File"]);
/** Most `$ref`/union steps in a row without going into the value: more means a schema that loops on itself. */
const MAX_HOPS = 64;

/** A codec for values of `schema`; the identity when nothing in it is marked. */
export function codecFor(schema: JsonSchema | undefined, schemas: SchemaSet): Codec {
  if (schema === undefined || !hasMarks(schema, schemas, new Set())) {
    return { revive: (value) => value, encode: (value) => ({ value, pending: new Map() }) };
  }
  return {
    revive: (value) => walk(schema, value, { schemas, direction: "revive", pending: new Map() }, 0),
    encode: (value) => {
      const state: WalkState = { schemas, direction: "encode", pending: new Map() };
      return { value: walk(schema, value, state, 0), pending: state.pending };
    },
  };
}

/** JSON text of an encoded value, once every Blob in it has been read. */
export async function jsonTextOf(encoded: EncodedValue): Promise<string> {
  if (encoded.pending.size === 0) return JSON.stringify(encoded.value) ?? "null";
  const texts = new Map<unknown, string>();
  await Promise.all([...encoded.pending].map(async ([placeholder, text]) => texts.set(placeholder, await text)));
  return JSON.stringify(encoded.value, (_key, value: unknown) => (texts.has(value) ? texts.get(value) : value)) ?? "null";
}

interface WalkState {
  schemas: SchemaSet;
  direction: "revive" | "encode";
  pending: Map<object, Promise<string>>;
}

function resolve(ref: string, schemas: SchemaSet): JsonSchema | undefined {
  return ref.startsWith(schemas.refPrefix) ? schemas.defs[decodeURIComponent(ref.slice(schemas.refPrefix.length))] : undefined;
}

function hasMarks(schema: JsonSchema, schemas: SchemaSet, seen: Set<string>): boolean {
  if (typeof schema !== "object") return false;
  if (typeof schema["x-bentoc-type"] === "string") return true;
  if (typeof schema.$ref === "string") {
    if (seen.has(schema.$ref)) return false;
    seen.add(schema.$ref);
    const target = resolve(schema.$ref, schemas);
    if (target !== undefined && hasMarks(target, schemas, seen)) return true;
  }
  return subschemas(schema).some((child) => hasMarks(child, schemas, seen));
}

function subschemas(schema: SchemaObject): JsonSchema[] {
  const children: JsonSchema[] = [];
  for (const child of [schema.items, schema.additionalProperties]) if (isSchema(child)) children.push(child);
  for (const list of [schema.prefixItems, schema.anyOf, schema.oneOf, schema.allOf]) if (Array.isArray(list)) children.push(...list);
  for (const map of [schema.properties, schema.patternProperties]) if (isObject(map)) children.push(...Object.values(map));
  return children;
}

/** `hops`: steps through `$ref`s and unions since the walk last went into the value. */
function walk(schema: JsonSchema, value: unknown, state: WalkState, hops: number): unknown {
  if (typeof schema !== "object" || value === null || value === undefined || hops > MAX_HOPS) return value;
  const kind = schema["x-bentoc-type"];
  if (typeof kind === "string") return state.direction === "revive" ? reviveLeaf(kind, value) : encodeLeaf(kind, value, state);
  if (typeof schema.$ref === "string") {
    const target = resolve(schema.$ref, state.schemas);
    return target === undefined ? value : walk(target, value, state, hops + 1);
  }
  if (Array.isArray(schema.allOf)) {
    value = schema.allOf.reduce<unknown>((current, branch) => walk(branch, current, state, hops + 1), value);
  }
  for (const branches of [schema.anyOf, schema.oneOf]) {
    if (!Array.isArray(branches)) continue;
    const branch = branches.find((candidate) => accepts(candidate, value, state, hops + 1));
    return branch === undefined ? value : walk(branch, value, state, hops + 1);
  }
  if (state.direction === "encode" && isSpecial(value)) return value;
  if (Array.isArray(value)) return walkArray(schema, value, state);
  if (typeof value === "object") return walkObject(schema, value as Record<string, unknown>, state);
  return value;
}

function walkArray(schema: SchemaObject, value: unknown[], state: WalkState): unknown[] {
  const prefix = Array.isArray(schema.prefixItems) ? schema.prefixItems : [];
  const items = isSchema(schema.items) ? schema.items : undefined;
  if (prefix.length === 0 && items === undefined) return value;
  return value.map((item, index) => {
    const itemSchema = index < prefix.length ? prefix[index] : items;
    return itemSchema === undefined ? item : walk(itemSchema, item, state, 0);
  });
}

function walkObject(schema: SchemaObject, value: Record<string, unknown>, state: WalkState): Record<string, unknown> {
  const properties = isObject(schema.properties) ? schema.properties : {};
  const patterns = isObject(schema.patternProperties) ? Object.entries(schema.patternProperties) : [];
  const additional = isSchema(schema.additionalProperties) ? schema.additionalProperties : undefined;
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const own = Object.prototype.hasOwnProperty.call(properties, key) ? properties[key] : undefined;
    const propertySchema = own ?? patterns.find(([pattern]) => regExpOf(pattern).test(key))?.[1] ?? additional;
    // defineProperty, so that a key named `__proto__` stays data
    Object.defineProperty(result, key, { value: propertySchema === undefined ? item : walk(propertySchema, item, state, 0), enumerable: true, writable: true, configurable: true });
  }
  return result;
}

const regExps = new Map<string, RegExp>();
function regExpOf(pattern: string): RegExp {
  let compiled = regExps.get(pattern);
  if (compiled === undefined) regExps.set(pattern, (compiled = new RegExp(pattern, "u")));
  return compiled;
}

/** Whether a union branch fits a value: its `type`, its `const`, and the `const` of its properties (discriminators). */
function accepts(schema: JsonSchema, value: unknown, state: WalkState, hops: number): boolean {
  if (typeof schema === "boolean") return schema;
  if (hops > MAX_HOPS) return false;
  if (typeof schema.$ref === "string") {
    const target = resolve(schema.$ref, state.schemas);
    if (target === undefined || !accepts(target, value, state, hops + 1)) return false;
  }
  for (const branches of [schema.anyOf, schema.oneOf]) {
    if (Array.isArray(branches) && !branches.some((branch) => accepts(branch, value, state, hops + 1))) return false;
  }
  const kind = schema["x-bentoc-type"];
  if (state.direction === "encode" && (typeof kind === "string" || isSpecial(value))) {
    if (value === null) return typeAllows(schema.type, "null");
    return typeof kind === "string" && fitsKind(kind, value);
  }
  const type = jsonTypeOf(value);
  if (schema.type !== undefined && !typeAllows(schema.type, type) && !(type === "number" && Number.isInteger(value) && typeAllows(schema.type, "integer"))) return false;
  if ("const" in schema && isPrimitive(schema.const) && schema.const !== value) return false;
  if (type === "object" && isObject(schema.properties)) {
    for (const [key, property] of Object.entries(schema.properties)) {
      if (typeof property === "object" && "const" in property && isPrimitive(property.const) && (value as Record<string, unknown>)[key] !== property.const) return false;
    }
  }
  return true;
}

function fitsKind(kind: string, value: unknown): boolean {
  if (kind === "Date") return value instanceof Date;
  if (kind === "bigint") return typeof value === "bigint";
  if (kind === "URL") return typeof URL !== "undefined" && value instanceof URL;
  if (BINARY_KINDS.has(kind)) return value instanceof Uint8Array || value instanceof ArrayBuffer || isBlob(value);
  return ArrayBuffer.isView(value) && !(value instanceof DataView);
}

/** The value a JSON leaf stands for; one the server should not have sent (not a URL, say) stays as it came. */
function reviveLeaf(kind: string, value: unknown): unknown {
  try {
    return reviveValue(kind, value);
  } catch {
    return value;
  }
}

function reviveValue(kind: string, value: unknown): unknown {
  if (kind === "Date" && typeof value === "string") return new Date(value);
  if (kind === "bigint" && (typeof value === "string" || typeof value === "number")) return BigInt(value);
  if (kind === "URL" && typeof value === "string") return new URL(value);
  if (BINARY_KINDS.has(kind) && typeof value === "string") {
    const bytes = bytesOfBase64(value);
    if (kind === "ArrayBuffer") return bytes.buffer;
    return kind === "Blob" || kind === "File" ? new Blob([bytes]) : bytes;
  }
  const TypedArray = TYPED_ARRAYS[kind];
  if (TypedArray !== undefined && Array.isArray(value)) return new TypedArray(value as number[]);
  return value;
}

function encodeLeaf(kind: string, value: unknown, state: WalkState): unknown {
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Date) return value.toJSON();
  if (typeof URL !== "undefined" && value instanceof URL) return value.href;
  if (BINARY_KINDS.has(kind)) {
    if (isBlob(value)) {
      const placeholder = {};
      state.pending.set(placeholder, value.arrayBuffer().then((buffer) => base64Of(new Uint8Array(buffer))));
      return placeholder;
    }
    if (value instanceof ArrayBuffer) return base64Of(new Uint8Array(value));
    if (ArrayBuffer.isView(value)) return base64Of(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
    return value;
  }
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as unknown as ArrayLike<number>);
  return value;
}

/** Values whose JSON form comes from a mark, never from walking their properties. */
function isSpecial(value: unknown): boolean {
  return typeof value === "bigint" || value instanceof Date || ArrayBuffer.isView(value) || value instanceof ArrayBuffer || isBlob(value) || (typeof URL !== "undefined" && value instanceof URL);
}

export function isBlob(value: unknown): value is Blob {
  return typeof Blob !== "undefined" && value instanceof Blob;
}

function jsonTypeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

function typeAllows(type: unknown, wanted: string): boolean {
  return Array.isArray(type) ? type.includes(wanted) : type === undefined || type === wanted;
}

function isPrimitive(value: unknown): boolean {
  return value === null || typeof value !== "object";
}

function isObject<T>(value: T): value is Exclude<T, null | undefined | boolean | readonly unknown[]> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isSchema(value: JsonSchema | undefined): value is JsonSchema {
  return typeof value === "boolean" || isObject(value);
}

import type { JsonSchema, JsonSchemaObject } from "../manifest/types.js";
import { REVIVE_KEYWORD } from "../manifest/types.js";

type Defs = Record<string, JsonSchema>;
/** Turns a validated JSON value into what the method's types say (Date, bigint, bytes), or back. */
export type ValueMapper = (value: unknown) => unknown;

const identity: ValueMapper = (value) => value;

const TYPED_ARRAYS: Record<string, new (values: number[]) => ArrayLike<number>> = {
  Int8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array, Float64Array,
};

function reviveLeaf(kind: string, value: unknown): unknown {
  if (kind === "Date" && typeof value === "string") return new Date(value);
  if (kind === "bigint" && typeof value === "string") return BigInt(value);
  if (kind === "URL" && typeof value === "string") return new URL(value);
  if ((kind === "Uint8Array" || kind === "Buffer") && typeof value === "string") {
    const bytes = Buffer.from(value, "base64");
    return kind === "Buffer" ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
  }
  if (kind === "ArrayBuffer" && typeof value === "string") return new Uint8Array(Buffer.from(value, "base64")).buffer;
  if ((kind === "Blob" || kind === "File") && typeof value === "string") return new Blob([Buffer.from(value, "base64")]);
  const TypedArray = TYPED_ARRAYS[kind];
  if (TypedArray && Array.isArray(value)) return new TypedArray(value as number[]);
  return value;
}

function encodeLeaf(kind: string, value: unknown): unknown {
  if (kind === "bigint" && typeof value === "bigint") return value.toString();
  // As JSON.stringify writes a Date (null when invalid), for callers that validate before any stringify (in-process dependency calls).
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("base64");
  if (value instanceof ArrayBuffer) return Buffer.from(value).toString("base64");
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>);
  return value;
}

/**
 * A mapper that walks a value along its schema and converts the leaves marked with
 * `x-bentoc-type`. Schemas with no such leaf get the identity, so plain JSON costs nothing.
 */
export function valueMapper(schema: JsonSchema, defs: Defs, direction: "revive" | "encode"): ValueMapper {
  const leaf = direction === "revive" ? reviveLeaf : encodeLeaf;
  const marked = new Map<string, boolean>();
  const hasMarks = (node: JsonSchema, seen: Set<string>): boolean => {
    if (typeof node !== "object") return false;
    if (typeof node[REVIVE_KEYWORD] === "string") return true;
    if (typeof node.$ref === "string") {
      const name = node.$ref.slice("#/$defs/".length);
      if (marked.has(name)) return marked.get(name)!;
      if (seen.has(name)) return false;
      seen.add(name);
      const result = hasMarks(defs[name] ?? {}, seen);
      marked.set(name, result);
      return result;
    }
    return childSchemas(node).some((child) => hasMarks(child, seen));
  };
  if (!hasMarks(schema, new Set())) return identity;

  const walk = (node: JsonSchema, value: unknown): unknown => {
    if (typeof node !== "object" || value === null || value === undefined) return value;
    const kind = node[REVIVE_KEYWORD];
    if (typeof kind === "string") return leaf(kind, value);
    if (typeof node.$ref === "string") return walk(defs[node.$ref.slice("#/$defs/".length)] ?? {}, value);
    if (Array.isArray(value)) return mapArray(node, value, walk);
    if (typeof value === "object") return mapObject(node, value as Record<string, unknown>, walk);
    return value;
  };
  return (value) => walk(schema, value);
}

function mapArray(node: JsonSchemaObject, value: unknown[], walk: (node: JsonSchema, value: unknown) => unknown): unknown[] {
  const prefix = Array.isArray(node.prefixItems) ? (node.prefixItems as JsonSchema[]) : [];
  const items = (node.items ?? firstBranchWith(node, "items")) as JsonSchema | undefined;
  return value.map((item, index) => {
    const itemSchema = prefix[index] ?? items;
    return itemSchema === undefined ? item : walk(itemSchema, item);
  });
}

function mapObject(node: JsonSchemaObject, value: Record<string, unknown>, walk: (node: JsonSchema, value: unknown) => unknown): Record<string, unknown> {
  const branches = [node, ...(["anyOf", "oneOf", "allOf"] as const).flatMap((key) => (Array.isArray(node[key]) ? (node[key] as JsonSchemaObject[]) : []))];
  const result: Record<string, unknown> = { ...value };
  for (const [key, item] of Object.entries(value)) {
    for (const branch of branches) {
      if (typeof branch !== "object") continue;
      const property = (branch.properties as Record<string, JsonSchema> | undefined)?.[key] ?? (branch.additionalProperties as JsonSchema | undefined);
      if (property !== undefined && typeof property === "object") {
        result[key] = walk(property, item);
        break;
      }
    }
  }
  return result;
}

function firstBranchWith(node: JsonSchemaObject, key: string): unknown {
  for (const combiner of ["anyOf", "oneOf"] as const) {
    const branches = node[combiner];
    if (!Array.isArray(branches)) continue;
    const found = (branches as JsonSchemaObject[]).find((branch) => typeof branch === "object" && branch[key] !== undefined);
    if (found) return found[key];
  }
  return undefined;
}

function childSchemas(node: JsonSchemaObject): JsonSchema[] {
  const children: JsonSchema[] = [];
  for (const key of ["items", "additionalProperties", "not"]) if (node[key] !== undefined) children.push(node[key] as JsonSchema);
  for (const key of ["prefixItems", "anyOf", "oneOf", "allOf"]) if (Array.isArray(node[key])) children.push(...(node[key] as JsonSchema[]));
  for (const key of ["properties", "patternProperties"]) if (node[key]) children.push(...Object.values(node[key] as Record<string, JsonSchema>));
  return children;
}

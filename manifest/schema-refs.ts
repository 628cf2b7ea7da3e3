// Walks a JSON Schema by its schema positions only, so that data (`const`, `enum`, `default`,
// `examples`) and property names are copied untouched however much they look like references.
import type { JsonSchema, JsonSchemaObject } from "./types.js";

const SUBSCHEMA = new Set([
  "items", "additionalItems", "additionalProperties", "unevaluatedProperties", "unevaluatedItems",
  "contains", "propertyNames", "not", "if", "then", "else", "contentSchema",
]);
const SUBSCHEMA_LIST = new Set(["allOf", "anyOf", "oneOf", "prefixItems"]);
const SUBSCHEMA_MAP = new Set(["properties", "patternProperties", "dependentSchemas", "$defs", "definitions"]);
const REFERENCE = new Set(["$ref", "$dynamicRef"]);

/**
 * A copy of `schema` with every reference (`$ref`, `$dynamicRef`, an OpenAPI discriminator's
 * `mapping` values) passed through `rewriteRef`, and the `dropped` keywords left out.
 */
export function mapSchemaRefs(schema: JsonSchema, rewriteRef: (ref: string) => string, dropped: ReadonlySet<string> = new Set()): JsonSchema {
  const rewrite = (inner: JsonSchema): JsonSchema => (typeof inner === "boolean" ? inner : rewriteObject(inner));
  const rewriteItem = (item: unknown): unknown => (isSchema(item) ? rewrite(item) : cloneData(item));
  const rewriteKeyword = (keyword: string, value: unknown): unknown => {
    if (REFERENCE.has(keyword) && typeof value === "string") return rewriteRef(value);
    if (SUBSCHEMA.has(keyword) && isSchema(value)) return rewrite(value);
    // `items` as an array is the pre-2020 spelling of `prefixItems`.
    if ((SUBSCHEMA_LIST.has(keyword) || keyword === "items") && Array.isArray(value)) return value.map(rewriteItem);
    if (SUBSCHEMA_MAP.has(keyword) && isPlainObject(value)) return mapValues(value, rewriteItem);
    if (keyword === "discriminator" && isPlainObject(value)) return rewriteDiscriminator(value, rewriteRef);
    return cloneData(value);
  };
  // `Object.fromEntries` defines own properties, so even a key named `__proto__` survives.
  const rewriteObject = (object: JsonSchemaObject): JsonSchemaObject => Object.fromEntries(
    Object.entries(object).filter(([keyword]) => !dropped.has(keyword)).map(([keyword, value]) => [keyword, rewriteKeyword(keyword, value)]),
  );
  return rewrite(schema);
}

/** A discriminator's `mapping` values are references too. */
function rewriteDiscriminator(value: Record<string, unknown>, rewriteRef: (ref: string) => string): unknown {
  const out = cloneData(value) as Record<string, unknown>;
  if (isPlainObject(value.mapping)) {
    out.mapping = mapValues(value.mapping, (target) => (typeof target === "string" ? rewriteRef(target) : cloneData(target)));
  }
  return out;
}

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === "boolean" || isPlainObject(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function mapValues(record: Record<string, unknown>, map: (value: unknown) => unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, map(value)]));
}

function cloneData<T>(value: T): T {
  return value === undefined ? value : structuredClone(value);
}

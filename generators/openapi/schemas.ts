// Turns manifest schemas into OpenAPI schemas: `#/$defs/Name` becomes
// `#/components/schemas/Name`, and `$schema`/`$id` go, because inside an OpenAPI document
// they would change how every nested `$ref` resolves. Only schema positions are walked, so
// data (`const`, `enum`, `default`, `examples`) and property names are copied untouched.
import type { JsonSchema, JsonSchemaObject } from "../../manifest/types.js";
import type { ComponentNames } from "./component-names.js";

const DEFS_POINTER = "#/$defs/";
const COMPONENTS_POINTER = "#/components/schemas/";

const SUBSCHEMA = new Set([
  "items", "additionalItems", "additionalProperties", "unevaluatedProperties", "unevaluatedItems",
  "contains", "propertyNames", "not", "if", "then", "else", "contentSchema",
]);
const SUBSCHEMA_LIST = new Set(["allOf", "anyOf", "oneOf", "prefixItems"]);
const SUBSCHEMA_MAP = new Set(["properties", "patternProperties", "dependentSchemas", "$defs", "definitions"]);
const REFERENCE = new Set(["$ref", "$dynamicRef"]);
const DROPPED = new Set(["$schema", "$id"]);

export type SchemaRewriter = (schema: JsonSchema) => JsonSchema;

export function schemaRewriter(names: ComponentNames): SchemaRewriter {
  const rewriteRef = (ref: string): string => componentRef(ref, names);
  const rewrite = (schema: JsonSchema): JsonSchema =>
    typeof schema === "boolean" ? schema : rewriteObject(schema, rewriteRef, rewrite);
  return rewrite;
}

function rewriteObject(
  schema: JsonSchemaObject,
  rewriteRef: (ref: string) => string,
  rewrite: SchemaRewriter,
): JsonSchemaObject {
  // `Object.fromEntries` defines own properties, so even a key named `__proto__` survives.
  return Object.fromEntries(
    Object.entries(schema)
      .filter(([keyword]) => !DROPPED.has(keyword))
      .map(([keyword, value]) => [keyword, rewriteKeyword(keyword, value, rewriteRef, rewrite)]),
  );
}

function rewriteKeyword(
  keyword: string,
  value: unknown,
  rewriteRef: (ref: string) => string,
  rewrite: SchemaRewriter,
): unknown {
  const rewriteItem = (item: unknown): unknown => (isSchema(item) ? rewrite(item) : cloneData(item));
  if (REFERENCE.has(keyword) && typeof value === "string") return rewriteRef(value);
  if (SUBSCHEMA.has(keyword) && isSchema(value)) return rewrite(value);
  // `items` as an array is the pre-2020 spelling of `prefixItems`.
  if ((SUBSCHEMA_LIST.has(keyword) || keyword === "items") && Array.isArray(value)) return value.map(rewriteItem);
  if (SUBSCHEMA_MAP.has(keyword) && isPlainObject(value)) return mapValues(value, rewriteItem);
  if (keyword === "discriminator" && isPlainObject(value)) return rewriteDiscriminator(value, rewriteRef);
  return cloneData(value);
}

/** A discriminator's `mapping` values are references too. */
function rewriteDiscriminator(value: Record<string, unknown>, rewriteRef: (ref: string) => string): unknown {
  const out = cloneData(value) as Record<string, unknown>;
  if (isPlainObject(value.mapping)) {
    out.mapping = mapValues(value.mapping, (target) =>
      typeof target === "string" && target.startsWith(DEFS_POINTER) ? rewriteRef(target) : cloneData(target),
    );
  }
  return out;
}

/** Maps a manifest reference to the document's; references elsewhere are left as written. */
function componentRef(ref: string, names: ComponentNames): string {
  if (!ref.startsWith(DEFS_POINTER)) return ref;
  const rest = ref.slice(DEFS_POINTER.length);
  const slash = rest.indexOf("/");
  const token = slash === -1 ? rest : rest.slice(0, slash);
  const tail = slash === -1 ? "" : rest.slice(slash);
  const name = decodePointerToken(token);
  const component = names.defs.get(name);
  if (component === undefined) {
    throw new Error(
      `The manifest schema reference "${ref}" names no entry of the manifest's $defs; ` +
        `rebuild the manifest with the compiler, or add "${name}" to $defs.`,
    );
  }
  return `${COMPONENTS_POINTER}${component}${tail}`;
}

function decodePointerToken(token: string): string {
  let decoded = token;
  try {
    decoded = decodeURIComponent(token);
  } catch {
    // A bare `%` that is not an escape: the name is taken literally.
  }
  return decoded.replace(/~1/g, "/").replace(/~0/g, "~");
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

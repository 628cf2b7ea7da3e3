import ts = require("typescript");
import type { JsonSchema, JsonSchemaObject } from "../../manifest/types.js";
import type { SchemaBuilder, SchemaKind } from "./builder.js";
import { isLibDeclared } from "./lib-types.js";
import { absentWhenUndefinedSchema, valueSchema } from "./nullable.js";
import type { TypeSite } from "./site.js";

/**
 * Whatever the checker takes for an array is a JSON array: `T[]`, tuples, interfaces and classes
 * that extend `Array`/`ReadonlyArray`, and intersections with an array (`[T, ...T[]] & T[]`,
 * `T[] & { __brand: "X" }`), whose object members say nothing `JSON.stringify` writes.
 */
export function isArrayLike(type: ts.Type, checker: ts.TypeChecker): boolean {
  return !!(type.flags & (ts.TypeFlags.Object | ts.TypeFlags.Intersection)) && checker.isArrayLikeType(type);
}

/**
 * `T[]` and array-likes → items; tuples → prefixItems with their length bounds. A tuple's
 * `items` also lists what its positions may hold, for OpenAPI tools that predate prefixItems.
 */
export const arraySchema: SchemaKind = (type, site, builder) => {
  const { checker } = builder;
  if (checker.isTupleType(type)) return tupleSchema(type as ts.TypeReference, site, builder);
  if (!isArrayLike(type, checker)) return undefined;
  if (type.isIntersection()) return intersectedArraySchema(type, site, builder);
  noteOwnMethods(type, builder);
  const element = checker.isArrayType(type) ? checker.getTypeArguments(type as ts.TypeReference)[0] : checker.getIndexTypeOfType(type, ts.IndexKind.Number);
  return { type: "array", items: element ? valueSchema(element, site, builder) : {} };
};

function tupleSchema(type: ts.TypeReference, site: TypeSite, builder: SchemaBuilder): JsonSchema {
  const { checker } = builder;
  const tuple = type.target as ts.TupleType;
  const elements = checker.getTypeArguments(type);
  const prefixItems: JsonSchema[] = [];
  let rest: JsonSchema | undefined;
  let minItems = 0;
  for (const [index, element] of elements.entries()) {
    const flags = tuple.elementFlags[index] ?? ts.ElementFlags.Required;
    if (rest !== undefined) {
      builder.sink.report("BTC2011", site.node, site.label, builder.typeText(type), "a tuple whose rest element is not last cannot be said in JSON Schema; put the rest element last or use an array.");
      return {};
    }
    if (flags & ts.ElementFlags.Variable) {
      rest = valueSchema(element, site, builder);
      continue;
    }
    // An optional element is absent when undefined (a shorter array); its null, if any, stays.
    prefixItems.push(flags & ts.ElementFlags.Optional ? absentWhenUndefinedSchema(element, site, builder) : valueSchema(element, site, builder));
    if (flags & ts.ElementFlags.Required) minItems = prefixItems.length;
  }
  const schema: JsonSchemaObject = { type: "array" };
  if (prefixItems.length > 0) schema.prefixItems = prefixItems;
  // The fallback repeats each element once more, so tuples of tuples would double at every level
  // (`Grow<[X]>` nests 48 deep): there, readers must take prefixItems.
  const fallback = prefixItems.some(isTupleSchema) ? undefined : anyOfDistinct(prefixItems);
  const items = rest ?? fallback;
  if (items !== undefined) schema.items = items;
  schema.minItems = minItems;
  if (rest === undefined) schema.maxItems = prefixItems.length;
  return schema;
}

/** The array members' schemas, less any another one already implies; one that is left stands alone. */
function intersectedArraySchema(type: ts.IntersectionType, site: TypeSite, builder: SchemaBuilder): JsonSchema {
  const schemas = type.types
    .filter((member) => builder.checker.isTupleType(member) || isArrayLike(member, builder.checker))
    .map((member) => arraySchema(member, site, builder)!);
  const kept = schemas.filter((schema, index) => !schemas.some((other, otherIndex) => otherIndex !== index && implies(other, schema) && (otherIndex < index || !implies(schema, other))));
  return kept.length === 1 ? kept[0]! : { allOf: kept };
}

/** Whether every array `a` admits, `b` admits too, when `b` is a plain `{type: "array", items}`. */
function implies(a: JsonSchema, b: JsonSchema): boolean {
  if (typeof a !== "object" || typeof b !== "object" || a.type !== "array") return false;
  if (b.type !== "array" || Object.keys(b).some((key) => key !== "type" && key !== "items")) return false;
  const items = JSON.stringify(b.items ?? {});
  const prefixItems = Array.isArray(a.prefixItems) ? (a.prefixItems as JsonSchema[]) : [];
  const itemsReachable = typeof a.maxItems !== "number" || a.maxItems > prefixItems.length;
  return items === "{}" || (prefixItems.every((item) => JSON.stringify(item) === items) && (!itemsReachable || JSON.stringify(a.items ?? {}) === items));
}

/** An array type with methods of its own: the server hands the method a plain array, without them. */
function noteOwnMethods(type: ts.Type, builder: SchemaBuilder): void {
  const own = builder.checker.getPropertiesOfType(type).some((property) => property.flags & ts.SymbolFlags.Method && !isLibDeclared(property));
  if (own) builder.noteInputHazard({ typeName: builder.typeText(type) });
}

function isTupleSchema(schema: JsonSchema): boolean {
  if (typeof schema !== "object") return false;
  return Array.isArray(schema.prefixItems) || (Array.isArray(schema.anyOf) && (schema.anyOf as JsonSchema[]).some(isTupleSchema));
}

function anyOfDistinct(schemas: JsonSchema[]): JsonSchema {
  const distinct = [...new Map(schemas.map((schema) => [JSON.stringify(schema), schema])).values()];
  if (distinct.length === 0) return {};
  return distinct.length === 1 ? distinct[0]! : { anyOf: distinct };
}

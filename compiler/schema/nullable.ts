import type ts from "typescript";
import type { JsonSchema, JsonSchemaObject } from "../../manifest/types.js";
import type { SchemaBuilder } from "./builder.js";
import { includesUndefined, withoutUndefined } from "./lib-types.js";
import type { TypeSite } from "./site.js";

/** `T | null` as one schema: a type list where the schema has a plain type, else anyOf. */
export function nullableSchema(schema: JsonSchema): JsonSchema {
  if (typeof schema === "object" && schema.$ref === undefined && typeof schema.type === "string") {
    const widened: JsonSchemaObject = { ...schema, type: [schema.type, "null"] };
    if (Array.isArray(schema.enum)) widened.enum = [...schema.enum, null];
    if ("const" in schema) {
      delete widened.const;
      widened.enum = [schema.const, null];
    }
    return widened;
  }
  if (typeof schema === "object" && Array.isArray(schema.anyOf) && Object.keys(schema).length === 1) {
    return { anyOf: [...schema.anyOf, { type: "null" }] };
  }
  return { anyOf: [schema, { type: "null" }] };
}

/**
 * The schema of a value where `undefined` is written out rather than left out: array and
 * tuple elements and results, which `JSON.stringify` turns into `null`. A request cannot say
 * undefined there, and the method must not receive null, so requests drop it.
 */
export function valueSchema(type: ts.Type, site: TypeSite, builder: SchemaBuilder): JsonSchema {
  if (!includesUndefined(type)) return builder.schemaFor(type, site);
  if (builder.direction === "input") return absentWhenUndefinedSchema(type, site, builder);
  const { type: defined } = withoutUndefined(type, builder.checker);
  return defined ? nullableSchema(builder.schemaFor(defined, site)) : { type: "null" };
}

/**
 * The schema of a property (or parameter) that is absent when undefined: only its defined
 * part travels, `null` only where the type says null. A type that is nothing but
 * `undefined`/`void`/`never` may only be absent.
 */
export function absentWhenUndefinedSchema(type: ts.Type, site: TypeSite, builder: SchemaBuilder): JsonSchema {
  const { type: defined, nullable } = withoutUndefined(type, builder.checker);
  if (!defined) return nullable ? { type: "null" } : false;
  const schema = builder.schemaFor(defined, site);
  return nullable ? nullableSchema(schema) : schema;
}

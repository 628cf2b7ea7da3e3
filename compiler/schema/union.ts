import ts = require("typescript");
import type { JsonSchema } from "../../manifest/types.js";
import type { SchemaKind, SchemaBuilder } from "./builder.js";
import { isArrayLike } from "./array.js";
import { literalsSchema, literalValue } from "./literal.js";
import { defNameOf } from "./naming.js";
import { nullableSchema } from "./nullable.js";

/**
 * Unions: literal members fold into one `enum`, `null` makes the rest nullable, objects
 * that share a literal tag property become `oneOf` with an OpenAPI `discriminator`,
 * anything else `anyOf`.
 */
export const unionSchema: SchemaKind = (type, site, builder) => {
  if (!type.isUnion()) return undefined;
  const literals: (string | number | boolean)[] = [];
  const others: ts.Type[] = [];
  let nullable = false;
  for (const member of type.types) {
    if (member.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)) continue;
    if (member.flags & ts.TypeFlags.Null) {
      nullable = true;
      continue;
    }
    const value = literalValue(member);
    if (value === undefined) others.push(member);
    else literals.push(value);
  }
  // `Shape | null` where `type Shape = A | B`: refer to Shape rather than repeat its members.
  if (nullable && literals.length + others.length > 1) {
    const named = builder.checker.getNonNullableType(type);
    if (named !== type && defNameOf(named, builder.checker, builder.sdk)) return nullableSchema(builder.schemaFor(named, site));
  }
  const schemas: JsonSchema[] = literals.length > 0 ? [literalsSchema(literals)] : [];
  const memberSchemas = others.map((member) => builder.schemaFor(member, site));
  const tag = literals.length === 0 ? discriminatorOf(others, builder) : undefined;
  let combined: JsonSchema;
  if (tag && memberSchemas.length > 1) {
    // OpenAPI's discriminator maps tag values to named schemas; inline members get a plain oneOf.
    const mapping = discriminatorMapping(tag, memberSchemas);
    combined = mapping ? { oneOf: memberSchemas, discriminator: { propertyName: tag.propertyName, mapping } } : { oneOf: memberSchemas };
  } else {
    schemas.push(...memberSchemas);
    if (schemas.length === 0) return nullable ? { type: "null" } : false;
    combined = schemas.length === 1 ? schemas[0]! : { anyOf: schemas };
  }
  return nullable ? nullableSchema(combined) : combined;
};

interface Discriminator {
  propertyName: string;
  values: string[];
}

function discriminatorMapping(tag: Discriminator, schemas: JsonSchema[]): Record<string, string> | undefined {
  const refs = schemas.map((schema) => (typeof schema === "object" && typeof schema.$ref === "string" ? schema.$ref : undefined));
  if (refs.includes(undefined)) return undefined;
  return Object.fromEntries(tag.values.map((value, index) => [value, refs[index]!]));
}

/** A required property every member has, each with a different string literal type. */
function discriminatorOf(members: readonly ts.Type[], builder: SchemaBuilder): Discriminator | undefined {
  if (members.length < 2) return undefined;
  const { checker } = builder;
  const isPlainObject = (member: ts.Type) =>
    !!(member.flags & (ts.TypeFlags.Object | ts.TypeFlags.Intersection)) && !checker.isTupleType(member) && !isArrayLike(member, checker);
  if (!members.every(isPlainObject)) return undefined;
  for (const candidate of checker.getPropertiesOfType(members[0]!)) {
    const name = candidate.getName();
    const values: string[] = [];
    for (const member of members) {
      const property = checker.getPropertyOfType(member, name);
      if (!property || property.flags & ts.SymbolFlags.Optional) break;
      const propertyType = checker.getTypeOfSymbol(property);
      if (!propertyType.isStringLiteral() || values.includes(propertyType.value)) break;
      values.push(propertyType.value);
    }
    if (values.length === members.length) return { propertyName: name, values };
  }
  return undefined;
}

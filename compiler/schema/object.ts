import ts = require("typescript");
import type { JsonSchema, JsonSchemaObject } from "../../manifest/types.js";
import type { SchemaBuilder, SchemaKind } from "./builder.js";
import { withAliasDocs } from "./alias-docs.js";
import { docOfSymbol, withDocs } from "./jsdoc.js";
import { includesUndefined, isLibDeclared, withoutUndefined } from "./lib-types.js";
import type { TypeSite } from "./site.js";
import { placeholderPattern } from "./template-literal.js";
import { absentWhenUndefinedSchema } from "./nullable.js";

const NUMERIC_KEY_PATTERN = "^-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?$";

/**
 * Interfaces, classes, object literal types, mapped types: the public data properties
 * (methods, accessors of classes, private/protected/#private and symbol-keyed members
 * are not data) plus index signatures as additional/pattern properties.
 */
export const objectSchema: SchemaKind = (type, site, builder) => {
  if (!(type.flags & (ts.TypeFlags.Object | ts.TypeFlags.Intersection))) return undefined;
  const { checker } = builder;
  const ownerName = builder.typeText(type);
  const isClass = !!((type.getSymbol()?.flags ?? 0) & ts.SymbolFlags.Class);
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  let hasMethods = false;
  // Within one object type the checker already refuses a property its index signature does not admit.
  const intersectionIndexes = type.isIntersection() ? checker.getIndexInfosOfType(type) : [];
  for (const property of checker.getPropertiesOfType(type)) {
    const name = property.getName();
    const declaration = property.valueDeclaration ?? property.getDeclarations()?.[0];
    if (isSymbolKeyed(property)) {
      // JSON.stringify leaves a symbol key out; a request cannot bring one the type requires.
      if (!(property.flags & ts.SymbolFlags.Optional)) builder.noteInputHazard({ typeName: ownerName, symbolKey: `[${name.replace(/^__@|@\d+$/g, "")}]` });
      continue;
    }
    if (isPrivateName(declaration)) continue;
    if (declaration && ts.getCombinedModifierFlags(declaration as ts.Declaration) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) continue;
    if (property.flags & ts.SymbolFlags.Method || (isClass && isFunctionField(property, checker, site.node))) {
      hasMethods = true; // JSON.stringify leaves both out; an input class must not have them
      continue;
    }
    if (isClass && property.flags & ts.SymbolFlags.Accessor) {
      hasMethods = true; // a prototype getter is not serialised, and a request cannot bring one
      continue;
    }
    const propertySite: TypeSite = {
      node: declaration && !isLibDeclared(property) ? declaration : site.node,
      label: `Property '${name}' of '${ownerName}'`,
    };
    const propertyType = checker.getTypeOfSymbolAtLocation(property, site.node);
    const own = propertySchema(property, propertyType, declaration, propertySite, builder);
    const value = intersectionIndexes.length > 0 ? withConflictingIndex(own, name, propertyType, intersectionIndexes, propertySite, builder) : own;
    // defineProperty: a property named `__proto__` is data, not the object's prototype.
    Object.defineProperty(properties, name, { value, enumerable: true, writable: true, configurable: true });
    if (!(property.flags & ts.SymbolFlags.Optional) && !admitsUndefined(propertyType)) required.push(name);
  }
  if (hasMethods) builder.noteInputHazard({ typeName: ownerName });
  const schema: JsonSchemaObject = { type: "object" };
  if (Object.keys(properties).length > 0) schema.properties = properties;
  if (required.length > 0) schema.required = required;
  addIndexSignatures(schema, type, site, builder);
  return schema;
};

/**
 * In `Record<string, number> & { label: string }` the index signature binds `label` too (a value
 * must satisfy both members), though the merged property's type says only string.
 */
function withConflictingIndex(schema: JsonSchema, name: string, propertyType: ts.Type, indexes: readonly ts.IndexInfo[], site: TypeSite, builder: SchemaBuilder): JsonSchema {
  const { checker } = builder;
  const numeric = NUMERIC_NAME.test(name);
  const binding = indexes.filter((index) =>
    (index.keyType.flags & ts.TypeFlags.String || (numeric && index.keyType.flags & ts.TypeFlags.Number)) && !checker.isTypeAssignableTo(propertyType, index.type));
  return binding.length === 0 ? schema : { allOf: [schema, ...binding.map((index) => builder.schemaFor(index.type, site))] };
}

const NUMERIC_NAME = new RegExp(NUMERIC_KEY_PATTERN);

// The checker escapes a name that starts with "__" by one more "_", so only a symbol key's escaped name starts "__@".
function isSymbolKeyed(property: ts.Symbol): boolean {
  return (property.escapedName as string).startsWith("__@");
}

/** A `#private` class member; a quoted `"#text"` property is data. */
function isPrivateName(declaration: ts.Node | undefined): boolean {
  const name = declaration && (declaration as ts.NamedDeclaration).name;
  return !!name && ts.isPrivateIdentifier(name);
}

/** A class field holding a function (`onDone = () => {}`): behaviour, like a method. */
function isFunctionField(property: ts.Symbol, checker: ts.TypeChecker, location: ts.Node): boolean {
  const type = checker.getNonNullableType(checker.getTypeOfSymbolAtLocation(property, location));
  return type.getCallSignatures().length > 0 && checker.getPropertiesOfType(type).length === 0;
}

/** `JSON.stringify` leaves a property out when its value is undefined, which `any` and `unknown` admit too. */
function admitsUndefined(type: ts.Type): boolean {
  return !!(type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) || includesUndefined(type);
}

function propertySchema(property: ts.Symbol, propertyType: ts.Type, declaration: ts.Node | undefined, site: TypeSite, builder: SchemaBuilder): JsonSchema {
  const schema = absentWhenUndefinedSchema(propertyType, site, builder);
  return withDocs(withAliasDocs(schema, declaration, site, builder), [docOfSymbol(property, builder.checker)], site, builder);
}

function addIndexSignatures(schema: JsonSchemaObject, type: ts.Type, site: TypeSite, builder: SchemaBuilder): void {
  const patterns: Record<string, JsonSchema> = {};
  let additional: JsonSchema | undefined;
  for (const index of builder.checker.getIndexInfosOfType(type)) {
    const valueType = withoutUndefined(index.type, builder.checker).type;
    const valueSchema = valueType ? builder.schemaFor(valueType, site) : {};
    const key = index.keyType;
    if (key.flags & ts.TypeFlags.String) additional = valueSchema;
    else if (key.flags & ts.TypeFlags.Number) patterns[NUMERIC_KEY_PATTERN] = valueSchema;
    else if (key.flags & (ts.TypeFlags.TemplateLiteral | ts.TypeFlags.StringLiteral | ts.TypeFlags.Union)) patterns[`^${placeholderPattern(key)}$`] = valueSchema;
  }
  // Other keys stay allowed, as TypeScript allows them next to pattern keys.
  if (Object.keys(patterns).length > 0) schema.patternProperties = patterns;
  if (additional !== undefined) schema.additionalProperties = additional;
}

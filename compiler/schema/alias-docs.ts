import ts = require("typescript");
import type { JsonSchema, JsonSchemaObject } from "../../manifest/types.js";
import type { SchemaBuilder } from "./builder.js";
import { docOfSymbol, withDocs } from "./jsdoc.js";
import { isDefaultLibDeclared } from "./lib-types.js";
import type { TypeSite } from "./site.js";

/**
 * JSDoc on an alias the checker erases (`/** @pattern ^[A-Z]{3}$ *\/ type Currency = string`)
 * survives only in the annotations that name it. These functions walk an annotation beside the
 * schema mapped from its type and apply the docs where the annotation puts the alias: on the
 * value (`Currency`, `Currency | null`), on array and tuple items (`Currency[]`), on record keys
 * (`Record<Currency, V>` → `propertyNames`) and record values.
 */
export function withAliasDocs(schema: JsonSchema, declaration: ts.Node | undefined, site: TypeSite, builder: SchemaBuilder): JsonSchema {
  const annotation = declaration && (ts.isPropertySignature(declaration) || ts.isPropertyDeclaration(declaration) || ts.isParameter(declaration)) ? declaration.type : undefined;
  return annotation ? withAnnotationDocs(schema, annotation, site, builder, new Set()) : schema;
}

/**
 * The same for the body of a named alias (`type Prices = Record<Currency, Amount>`), whose
 * `$defs` entry is mapped from the resolved type and would lose the docs of the aliases inside.
 */
export function withAliasBodyDocs(schema: JsonSchema, symbol: ts.Symbol | undefined, site: TypeSite, builder: SchemaBuilder): JsonSchema {
  const declaration = symbol && symbol.flags & ts.SymbolFlags.TypeAlias ? symbol.getDeclarations()?.[0] : undefined;
  return declaration && ts.isTypeAliasDeclaration(declaration) ? withAnnotationDocs(schema, declaration.type, site, builder, new Set([symbol!])) : schema;
}

// What a method's declared return type wraps: its schema is that of the awaited value or the stream's element.
const RESULT_WRAPPERS = new Set(["Promise", "PromiseLike", "AsyncGenerator", "AsyncIterable", "AsyncIterableIterator", "Generator", "ReadableStream"]);

/** The same for a method's result: `Promise<Currency>`, `AsyncGenerator<Currency>` apply to the value or element. */
export function withResultAliasDocs(schema: JsonSchema, returnType: ts.TypeNode | undefined, site: TypeSite, builder: SchemaBuilder): JsonSchema {
  if (!returnType) return schema;
  const wrapped = libReferenceArguments(returnType, RESULT_WRAPPERS, builder.checker)?.[0];
  return withAnnotationDocs(schema, wrapped ?? returnType, site, builder, new Set());
}

function withAnnotationDocs(schema: JsonSchema, annotation: ts.TypeNode, site: TypeSite, builder: SchemaBuilder, seen: Set<ts.Symbol>): JsonSchema {
  const node = withoutNullish(annotation);
  const alias = plainAlias(node, builder.checker);
  // A named alias's $defs entry carries its docs, unless the schema is no longer a ref to it
  // (`type OptionalCode = Code | undefined`: a parameter or result maps only the defined part).
  if (alias && !seen.has(alias.symbol) && !(alias.named && refersToNamed(schema))) {
    // The alias's own body may name further aliases (`type Codes = Currency[]`); its own docs are nearer and win.
    const inner = withAnnotationDocs(schema, alias.declaration.type, site, builder, new Set([...seen, alias.symbol]));
    return withDocs(inner, [docOfSymbol(alias.symbol, builder.checker)], site, builder);
  }
  if (typeof schema !== "object" || schema.$ref !== undefined) return schema; // a named type's $defs entry carries the docs of its parts
  return onNonNull(schema, (value) => withPartDocs(value, node, site, builder, seen));
}

/** Docs of the aliases inside an annotation: array and tuple items, record keys and values. */
function withPartDocs(schema: JsonSchemaObject, node: ts.TypeNode, site: TypeSite, builder: SchemaBuilder, seen: Set<ts.Symbol>): JsonSchema {
  const walk = (part: JsonSchema, partNode: ts.TypeNode) => withAnnotationDocs(part, partNode, site, builder, seen);
  const element = arrayElement(node, builder.checker);
  if (element) return schema.items === undefined ? schema : { ...schema, items: walk(schema.items as JsonSchema, element) };
  if (ts.isTupleTypeNode(node) && Array.isArray(schema.prefixItems)) {
    const prefixItems = schema.prefixItems.map((item, index) => {
      const member = node.elements[index];
      return member && !ts.isRestTypeNode(member) ? walk(item as JsonSchema, tupleMemberType(member)) : item;
    });
    const last = node.elements.at(-1);
    const rest = last && ts.isRestTypeNode(last) ? arrayElement(last.type, builder.checker) : undefined;
    return rest && schema.items !== undefined ? { ...schema, prefixItems, items: walk(schema.items as JsonSchema, rest) } : { ...schema, prefixItems };
  }
  // Partial<Record<K, Alias>> and friends keep the properties of their argument, with their docs.
  const modified = libReferenceArguments(node, PROPERTY_MODIFIERS, builder.checker);
  if (modified?.length === 1) return withPartDocs(schema, withoutNullish(modified[0]!), site, builder, seen);
  const record = libReferenceArguments(node, RECORD, builder.checker);
  if (record?.length === 2) return withRecordDocs(schema, record[0]!, record[1]!, site, builder, walk);
  return schema;
}

const RECORD = new Set(["Record"]);
const PROPERTY_MODIFIERS = new Set(["Partial", "Required", "Readonly"]);

/** `Record<K, V>`: K's docs constrain the property names of a string-keyed record, V's every value. */
function withRecordDocs(schema: JsonSchemaObject, key: ts.TypeNode, value: ts.TypeNode, site: TypeSite, builder: SchemaBuilder, walk: (part: JsonSchema, node: ts.TypeNode) => JsonSchema): JsonSchema {
  const result: JsonSchemaObject = { ...schema };
  const eachValue = (values: unknown) => Object.fromEntries(Object.entries(values as Record<string, JsonSchema>).map(([name, part]) => [name, walk(part, value)]));
  if (schema.properties !== undefined) result.properties = eachValue(schema.properties);
  if (schema.patternProperties !== undefined) result.patternProperties = eachValue(schema.patternProperties);
  if (schema.additionalProperties !== undefined) {
    result.additionalProperties = walk(schema.additionalProperties as JsonSchema, value);
    // Only a string-keyed record has free names to constrain; literal and numeric keys are already spelled out.
    const keyAlias = plainAlias(withoutNullish(key), builder.checker);
    if (keyAlias && !keyAlias.named) result.propertyNames = withAnnotationDocs({ type: "string" }, key, site, builder, new Set());
  }
  return result;
}

/** Applies `apply` to the value of a nullable schema (`{ anyOf: [value, { type: "null" }] }`), or to the schema itself. */
function onNonNull(schema: JsonSchemaObject, apply: (value: JsonSchemaObject) => JsonSchema): JsonSchema {
  const members = schema.anyOf;
  if (!Array.isArray(members) || Object.keys(schema).length !== 1) return apply(schema);
  const isNull = (member: unknown) => typeof member === "object" && member !== null && (member as JsonSchemaObject).type === "null";
  const values = members.filter((member) => !isNull(member));
  if (values.length !== 1 || typeof values[0] !== "object") return schema;
  return { anyOf: members.map((member) => (member === values[0] ? apply(member as JsonSchemaObject) : member)) };
}

function withoutNullish(node: ts.TypeNode): ts.TypeNode {
  if (ts.isParenthesizedTypeNode(node)) return withoutNullish(node.type);
  if (ts.isTypeOperatorNode(node) && node.operator === ts.SyntaxKind.ReadonlyKeyword) return withoutNullish(node.type);
  if (!ts.isUnionTypeNode(node)) return node;
  const nullish = (member: ts.TypeNode) => member.kind === ts.SyntaxKind.UndefinedKeyword
    || (ts.isLiteralTypeNode(member) && member.literal.kind === ts.SyntaxKind.NullKeyword);
  const rest = node.types.filter((member) => !nullish(member));
  return rest.length === 1 ? withoutNullish(rest[0]!) : node;
}

function arrayElement(node: ts.TypeNode, checker: ts.TypeChecker): ts.TypeNode | undefined {
  if (ts.isArrayTypeNode(node)) return node.elementType;
  return libReferenceArguments(node, ARRAYS, checker)?.[0];
}

const ARRAYS = new Set(["Array", "ReadonlyArray"]);

function tupleMemberType(member: ts.TypeNode): ts.TypeNode {
  if (ts.isNamedTupleMember(member)) return member.type;
  return ts.isOptionalTypeNode(member) ? member.type : member;
}

/** The type arguments of a reference to one of TypeScript's own generic lib types (`Promise<T>`, `Record<K, V>`). */
function libReferenceArguments(node: ts.TypeNode, names: ReadonlySet<string>, checker: ts.TypeChecker): readonly ts.TypeNode[] | undefined {
  if (!ts.isTypeReferenceNode(node) || !node.typeArguments) return undefined;
  const name = ts.isIdentifier(node.typeName) ? node.typeName.text : node.typeName.right.text;
  if (!names.has(name)) return undefined;
  const symbol = checker.getSymbolAtLocation(node.typeName);
  return symbol && isDefaultLibDeclared(symbol) ? node.typeArguments : undefined;
}

/** A schema that is, or is a nullable wrapper of, a ref to a named type. */
function refersToNamed(schema: JsonSchema): boolean {
  if (typeof schema !== "object") return false;
  if (schema.$ref !== undefined) return true;
  return Array.isArray(schema.anyOf) && schema.anyOf.some((member) => typeof member === "object" && member !== null && (member as JsonSchemaObject).$ref !== undefined);
}

/** A plain (non-generic) alias, of the user's or a package's; `named` when the resolved type still names it. */
function plainAlias(node: ts.TypeNode, checker: ts.TypeChecker): { symbol: ts.Symbol; declaration: ts.TypeAliasDeclaration; named: boolean } | undefined {
  if (!ts.isTypeReferenceNode(node)) return undefined;
  let symbol = checker.getSymbolAtLocation(node.typeName);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  if (!symbol || !(symbol.flags & ts.SymbolFlags.TypeAlias) || isDefaultLibDeclared(symbol)) return undefined;
  const declaration = symbol.getDeclarations()?.[0];
  if (!declaration || !ts.isTypeAliasDeclaration(declaration) || declaration.typeParameters) return undefined;
  return { symbol, declaration, named: checker.getTypeAtLocation(node).aliasSymbol !== undefined };
}

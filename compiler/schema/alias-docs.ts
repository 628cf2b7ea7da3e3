import ts = require("typescript");
import type { JsonSchema } from "../../manifest/types.js";
import type { SchemaBuilder } from "./builder.js";
import { docOfSymbol, withDocs, type DocComment } from "./jsdoc.js";
import { isLibDeclared } from "./lib-types.js";
import type { TypeSite } from "./site.js";

/**
 * JSDoc on an alias the checker erases (`/** @format email *\/ type Email = string`) survives
 * only in the annotation that names it. Applies it where the annotation puts it: on the value
 * (`Email`, `Email | null`) or on its items (`Email[]`, `Array<Email>`).
 */
export function withAliasDocs(schema: JsonSchema, declaration: ts.Node | undefined, site: TypeSite, builder: SchemaBuilder): JsonSchema {
  const annotation = declaration && (ts.isPropertySignature(declaration) || ts.isPropertyDeclaration(declaration) || ts.isParameter(declaration)) ? declaration.type : undefined;
  if (!annotation) return schema;
  const typeNode = withoutNullish(annotation);
  const direct = erasedAliasDoc(typeNode, builder.checker);
  if (direct) return withDocs(schema, [direct], site, builder);
  const element = arrayElement(typeNode);
  const itemDoc = element && erasedAliasDoc(withoutNullish(element), builder.checker);
  if (!itemDoc || typeof schema !== "object" || schema.items === undefined) return schema;
  return { ...schema, items: withDocs(schema.items as JsonSchema, [itemDoc], site, builder) };
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

function arrayElement(node: ts.TypeNode): ts.TypeNode | undefined {
  if (ts.isArrayTypeNode(node)) return node.elementType;
  if (ts.isTypeReferenceNode(node) && ts.isIdentifier(node.typeName) && ["Array", "ReadonlyArray"].includes(node.typeName.text)) return node.typeArguments?.[0];
  return undefined;
}

/** The docs of a plain (non-generic) alias of the user's that the resolved type no longer names. */
function erasedAliasDoc(node: ts.TypeNode, checker: ts.TypeChecker): DocComment | undefined {
  if (!ts.isTypeReferenceNode(node)) return undefined;
  let symbol = checker.getSymbolAtLocation(node.typeName);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  if (!symbol || !(symbol.flags & ts.SymbolFlags.TypeAlias) || isLibDeclared(symbol)) return undefined;
  const declaration = symbol.getDeclarations()?.[0];
  if (!declaration || !ts.isTypeAliasDeclaration(declaration) || declaration.typeParameters) return undefined;
  if (checker.getTypeAtLocation(node).aliasSymbol) return undefined; // still named: its $defs entry carries the docs
  return docOfSymbol(symbol, checker);
}

import ts = require("typescript");
import type { SchemaKind } from "./builder.js";
import { literalsSchema, literalValue } from "./literal.js";

/** A TypeScript enum: the set of its member values. */
export const enumSchema: SchemaKind = (type, _site, builder) => {
  if (type.isUnion() && type.flags & ts.TypeFlags.EnumLiteral) {
    const values = type.types.map(literalValue).filter((value) => value !== undefined);
    return literalsSchema(values);
  }
  if (!(type.flags & ts.TypeFlags.Enum)) return undefined;
  const declaration = type.getSymbol()?.valueDeclaration;
  if (!declaration || !ts.isEnumDeclaration(declaration)) return undefined;
  const values = declaration.members
    .map((member) => builder.checker.getConstantValue(member))
    .filter((value) => value !== undefined);
  return literalsSchema(values);
};

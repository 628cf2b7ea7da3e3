import ts = require("typescript");
import type { SchemaKind } from "./builder.js";
import { literalsSchema, literalValue } from "./literal.js";

/** A TypeScript enum: the set of its member values, in declaration order. */
export const enumSchema: SchemaKind = (type, _site, builder) => {
  if (!(type.flags & ts.TypeFlags.Enum) && !(type.isUnion() && type.flags & ts.TypeFlags.EnumLiteral)) return undefined;
  const declaration = type.getSymbol()?.valueDeclaration;
  if (declaration && ts.isEnumDeclaration(declaration)) {
    const values = declaration.members.map((member) => builder.checker.getConstantValue(member)).filter((value) => value !== undefined);
    return literalsSchema(values);
  }
  return type.isUnion() ? literalsSchema(type.types.map(literalValue).filter((value) => value !== undefined)) : undefined;
};

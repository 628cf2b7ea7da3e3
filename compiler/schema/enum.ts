import ts = require("typescript");
import type { JsonSchemaObject } from "../../manifest/types.js";
import type { SchemaKind } from "./builder.js";
import { literalsSchema, literalValue } from "./literal.js";

type MemberValue = string | number | undefined;

/**
 * A TypeScript enum: the set of its member values, in declaration order. A member whose value
 * the checker does not know (`Ok = "ok".length`, an uninitialised member of a `declare enum`)
 * is a number fixed only at run time, and the checker lets any number stand for such an enum,
 * so the enum widens to its base type. A computed member's own type (`Code.Ok`) is that number.
 */
export const enumSchema: SchemaKind = (type, _site, builder) => {
  if (!(type.flags & ts.TypeFlags.Enum) && !(type.isUnion() && type.flags & ts.TypeFlags.EnumLiteral)) return undefined;
  const symbol = type.getSymbol();
  const declaration = symbol?.valueDeclaration;
  if (declaration && ts.isEnumDeclaration(declaration)) {
    // An enum may be declared in several blocks that merge (`enum E { A } enum E { B = 2 }`).
    const members = (symbol!.getDeclarations() ?? []).filter(ts.isEnumDeclaration).flatMap((block) => [...block.members]);
    return membersSchema(members.map((member) => builder.checker.getConstantValue(member)));
  }
  if (declaration && ts.isEnumMember(declaration)) return membersSchema([builder.checker.getConstantValue(declaration)]);
  return type.isUnion() ? literalsSchema(type.types.map(literalValue).filter((value) => value !== undefined)) : undefined;
};

function membersSchema(values: readonly MemberValue[]): JsonSchemaObject {
  const known = values.filter((value) => value !== undefined);
  // An enum without members admits any number too.
  if (known.length === values.length && known.length > 0) return literalsSchema(known);
  // Only numbers can be computed (TS18033), so `number` joins the types of the known values.
  const types = [...new Set(["number", ...known.map((value) => typeof value)])];
  return { type: types.length === 1 ? types[0] : types };
}

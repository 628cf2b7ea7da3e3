import ts = require("typescript");
import { REVIVE_KEYWORD } from "../../manifest/types.js";
import type { JsonSchemaObject } from "../../manifest/types.js";
import type { SchemaKind } from "./builder.js";

/** The JSON value of a literal type, or undefined when the type is not a literal. */
export function literalValue(type: ts.Type): string | number | boolean | undefined {
  if (type.isStringLiteral() || type.isNumberLiteral()) return type.value;
  if (type.flags & ts.TypeFlags.BooleanLiteral) return (type as unknown as { intrinsicName: string }).intrinsicName === "true";
  return undefined;
}

/** The schema that admits exactly these literal values. */
export function literalsSchema(all: readonly (string | number | boolean)[]): JsonSchemaObject {
  const values = [...new Set(all)];
  const types = [...new Set(values.map((value) => (typeof value === "number" ? "number" : typeof value)))];
  if (types.length === 1 && types[0] === "boolean" && values.length === 2) return { type: "boolean" };
  const schema: JsonSchemaObject = types.length === 1 ? { type: types[0] } : {};
  if (values.length === 1) schema.const = values[0];
  else schema.enum = [...values];
  return schema;
}

/** `"a"`, `42`, `true`, an enum member, a bigint literal. */
export const literalSchema: SchemaKind = (type) => {
  if (type.isLiteral() && type.flags & ts.TypeFlags.BigIntLiteral) {
    const { negative, base10Value } = type.value as ts.PseudoBigInt;
    return { type: "string", const: `${negative ? "-" : ""}${base10Value}`, [REVIVE_KEYWORD]: "bigint" };
  }
  const value = literalValue(type);
  return value === undefined ? undefined : literalsSchema([value]);
};

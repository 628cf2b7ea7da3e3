import ts = require("typescript");
import type { SchemaKind } from "./builder.js";
import { arraySchema, isArrayLike } from "./array.js";
import { objectSchema } from "./object.js";

const PRIMITIVE = ts.TypeFlags.StringLike | ts.TypeFlags.NumberLike | ts.TypeFlags.BooleanLike | ts.TypeFlags.BigIntLike;

/**
 * `A & B` of objects is one object with the properties of both (the checker merges them).
 * A primitive intersected with objects is a branded primitive (`string & { __brand: "Id" }`):
 * on the wire it is just the primitive; likewise an array intersected with objects is an array.
 */
export const intersectionSchema: SchemaKind = (type, site, builder) => {
  if (!type.isIntersection()) return undefined;
  // Objects beside a primitive are a brand; primitives together (`` `a${string}` & `${string}z` ``) all apply.
  const primitives = type.types.filter((member) => member.flags & PRIMITIVE);
  if (primitives.length === 1) return builder.schemaFor(primitives[0]!, site);
  if (primitives.length > 1) return { allOf: primitives.map((member) => builder.schemaFor(member, site)) };
  if (isArrayLike(type, builder.checker)) return arraySchema(type, site, builder);
  return objectSchema(type, site, builder);
};

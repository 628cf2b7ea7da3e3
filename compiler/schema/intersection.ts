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
  const primitive = type.types.find((member) => member.flags & PRIMITIVE);
  if (primitive) return builder.schemaFor(primitive, site);
  if (isArrayLike(type, builder.checker)) return arraySchema(type, site, builder);
  return objectSchema(type, site, builder);
};

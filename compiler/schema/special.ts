import ts = require("typescript");
import type { SchemaKind } from "./builder.js";

/**
 * `any`/`unknown` inside a value mean any JSON value; `null` the JSON null. `undefined` and
 * `void` are what `JSON.stringify` writes for them in a response (null), and nothing a request
 * can send.
 */
export const specialSchema: SchemaKind = (type, site, builder) => {
  const flags = type.flags;
  if (flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return {};
  // An intersection the checker reduces to never (`{ k: "a" } & { k: "b" }`) keeps its flags.
  if (flags & ts.TypeFlags.Never || (type.isIntersection() && builder.checker.isTypeAssignableTo(type, builder.checker.getNeverType()))) return false;
  if (flags & ts.TypeFlags.Null) return { type: "null" };
  if (flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)) return builder.direction === "input" ? false : { type: "null" };
  if (flags & (ts.TypeFlags.TypeParameter | ts.TypeFlags.Conditional | ts.TypeFlags.Substitution | ts.TypeFlags.Index | ts.TypeFlags.IndexedAccess)) {
    builder.sink.report("BTC2011", site.node, site.label, builder.typeText(type), "it depends on a type parameter; an API needs concrete types, so give the method concrete parameter and return types.");
    return {};
  }
  return undefined;
};

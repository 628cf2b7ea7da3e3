import ts = require("typescript");
import { REVIVE_KEYWORD } from "../../manifest/types.js";
import type { SchemaKind } from "./builder.js";

export const BIGINT_PATTERN = "^-?[0-9]+$";

/** string, number, boolean, bigint (a decimal string on the wire), `object`; symbols are refused. */
export const primitiveSchema: SchemaKind = (type, site, builder) => {
  const flags = type.flags;
  if (flags & ts.TypeFlags.String) return { type: "string" };
  if (flags & ts.TypeFlags.Number) return { type: "number" };
  if (flags & ts.TypeFlags.Boolean) return { type: "boolean" };
  if (flags & ts.TypeFlags.BigInt) return { type: "string", pattern: BIGINT_PATTERN, [REVIVE_KEYWORD]: "bigint" };
  if (flags & ts.TypeFlags.NonPrimitive) return { type: "object" };
  if (flags & (ts.TypeFlags.ESSymbol | ts.TypeFlags.UniqueESSymbol)) {
    builder.sink.report("BTC2002", site.node, site.label);
    return {};
  }
  return undefined;
};

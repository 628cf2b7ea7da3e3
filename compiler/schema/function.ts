import type { SchemaKind } from "./builder.js";

/** Callables (functions, constructors, hybrids) cannot travel as JSON: point at where one appears. */
export const functionSchema: SchemaKind = (type, site, builder) => {
  if (type.getCallSignatures().length === 0 && type.getConstructSignatures().length === 0) return undefined;
  builder.sink.report("BTC2001", site.node, site.label);
  return {};
};

import type { JsonSchemaObject } from "../../manifest/types.js";
import type { NumericAlias } from "../sdk-symbols.js";
import type { SchemaKind } from "./builder.js";

// Ranges are written out because JSON Schema validators do not enforce OpenAPI's formats.
export const NUMERIC_SCHEMAS: Record<NumericAlias, JsonSchemaObject> = {
  int8: { type: "integer", minimum: -128, maximum: 127 },
  int16: { type: "integer", minimum: -32768, maximum: 32767 },
  int32: { type: "integer", format: "int32", minimum: -2147483648, maximum: 2147483647 },
  int64: { type: "integer", format: "int64", minimum: Number.MIN_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER },
  uint8: { type: "integer", minimum: 0, maximum: 255 },
  uint16: { type: "integer", minimum: 0, maximum: 65535 },
  uint32: { type: "integer", minimum: 0, maximum: 4294967295 },
  uint64: { type: "integer", minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
  float32: { type: "number", format: "float" },
  float64: { type: "number", format: "double" },
};

/** `int32`, `float32`, … from "bentoc": integers and floats with their formats and ranges. */
export const numericSchema: SchemaKind = (type, _site, builder) => {
  const alias = builder.sdk.numericAlias(type);
  return alias ? { ...NUMERIC_SCHEMAS[alias] } : undefined;
};

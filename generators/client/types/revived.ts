import { REVIVE_KEYWORD, type JsonSchemaObject } from "../../../manifest/types.js";
import { atom, unionOf, type TypeText } from "./type-text.js";

/** The client-side type of each `x-bentoc-type`; bytes inside JSON arrive as base64 and are revived to these. */
const REVIVED_TYPES: Readonly<Record<string, string>> = {
  Date: "Date",
  URL: "URL",
  bigint: "bigint",
  Uint8Array: "Uint8Array",
  // Node's Buffer is a Uint8Array; a browser has no Buffer.
  Buffer: "Uint8Array",
  ArrayBuffer: "ArrayBuffer",
  Blob: "Blob",
  // Bytes inside JSON carry no file name, so a File comes back as a Blob.
  File: "Blob",
  Int8Array: "Int8Array",
  Uint8ClampedArray: "Uint8ClampedArray",
  Int16Array: "Int16Array",
  Uint16Array: "Uint16Array",
  Int32Array: "Int32Array",
  Uint32Array: "Uint32Array",
  Float32Array: "Float32Array",
  Float64Array: "Float64Array",
};

/** Global names the generated types refer to, so no named type of the service may take them. */
export const REVIVED_TYPE_NAMES: readonly string[] = [...new Set(Object.values(REVIVED_TYPES))];

/** The type of a schema marked with `x-bentoc-type` (a bigint literal stays a literal: `5n`). */
export function revivedType(schema: JsonSchemaObject): TypeText | undefined {
  const kind = schema[REVIVE_KEYWORD];
  if (typeof kind !== "string") return undefined;
  const base = kind === "bigint" && typeof schema.const === "string" && /^-?[0-9]+$/.test(schema.const) ? `${schema.const}n` : REVIVED_TYPES[kind] ?? "unknown";
  const nullable = Array.isArray(schema.type) && schema.type.includes("null");
  return nullable ? unionOf([atom(base), atom("null")]) : atom(base);
}

/** The type a unary API's bytes come back as (`application/octet-stream`). */
export function bytesResultType(kind: unknown): "Uint8Array" | "ArrayBuffer" | "Blob" {
  if (kind === "ArrayBuffer") return "ArrayBuffer";
  return kind === "Blob" || kind === "File" ? "Blob" : "Uint8Array";
}

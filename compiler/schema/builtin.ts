import type ts from "typescript";
import { REVIVE_KEYWORD, type JsonSchemaObject } from "../../manifest/types.js";
import type { NumericAlias } from "../sdk-symbols.js";
import type { SchemaKind } from "./builder.js";
import { NUMERIC_SCHEMAS } from "./numeric.js";
import { libTypeName } from "./lib-types.js";

const BINARY_TYPES = new Set(["Uint8Array", "Buffer", "ArrayBuffer", "Blob", "File"]);
// A typed array's elements have its element type's range.
const NUMERIC_ARRAYS: Record<string, NumericAlias> = {
  Int8Array: "int8", Uint8ClampedArray: "uint8", Int16Array: "int16", Uint16Array: "uint16",
  Int32Array: "int32", Uint32Array: "uint32", Float32Array: "float32", Float64Array: "float64",
};
const NOT_JSON: Record<string, string> = {
  Map: "Use Record<string, V> (an object) instead.",
  ReadonlyMap: "Use Record<string, V> (an object) instead.",
  WeakMap: "Use Record<string, V> (an object) instead.",
  Set: "Use an array (T[]) instead.",
  ReadonlySet: "Use an array (T[]) instead.",
  WeakSet: "Use an array (T[]) instead.",
  Promise: "Await it before it becomes part of a value.",
  RegExp: "Send the pattern as a string.",
  Error: "Send the message as a string; thrown errors become error responses.",
  Function: "Pass data, not functions.",
  BigInt64Array: "Use bigint[] instead.",
  BigUint64Array: "Use bigint[] instead.",
  ...Object.fromEntries(
    ["AsyncIterable", "AsyncIterator", "AsyncGenerator", "AsyncIterableIterator", "Iterable", "Iterator", "IterableIterator", "Generator", "ReadableStream", "WritableStream"]
      .map((name) => [name, "A stream can only be what an API returns; inside a value, use an array."]),
  ),
  ...Object.fromEntries(
    ["Headers", "FormData", "URLSearchParams", "AbortSignal", "AbortController", "Request", "Response", "WeakRef", "Symbol", "Worker", "EventTarget"]
      .map((name) => [name, "It is a runtime object, not data; send the values it holds instead."]),
  ),
};

/** Bytes: a multipart part at the top level of a request, base64 text inside JSON. */
export function binarySchema(typeName: string, transport: "multipart" | "json"): JsonSchemaObject {
  return transport === "multipart"
    ? { type: "string", format: "binary", contentMediaType: "application/octet-stream", [REVIVE_KEYWORD]: typeName }
    : { type: "string", contentEncoding: "base64", [REVIVE_KEYWORD]: typeName };
}

/** The binary type (`Blob`, `File`, `Uint8Array`, …) a type is, if it is one. */
export function binaryTypeName(type: ts.Type): string | undefined {
  const name = libTypeName(type);
  return name && BINARY_TYPES.has(name) ? name : undefined;
}

/** Types of the standard library: Date, bytes, typed arrays; Map, Set and friends are refused with a fix. */
export const builtinSchema: SchemaKind = (type, site, builder) => {
  const name = libTypeName(type);
  if (!name) return undefined;
  if (name === "Date") return { type: "string", format: "date-time", [REVIVE_KEYWORD]: "Date" };
  if (name === "URL") return { type: "string", format: "uri", [REVIVE_KEYWORD]: "URL" }; // URL#toJSON is its href
  if (BINARY_TYPES.has(name)) return binarySchema(name, "json");
  const numericItems = NUMERIC_ARRAYS[name];
  if (numericItems) return { type: "array", items: { ...NUMERIC_SCHEMAS[numericItems] }, [REVIVE_KEYWORD]: name };
  const fix = NOT_JSON[name];
  if (fix) {
    builder.sink.report("BTC2006", site.node, site.label, builder.checker.typeToString(type), fix);
    return {};
  }
  return undefined;
};

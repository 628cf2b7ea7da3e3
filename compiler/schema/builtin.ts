import ts = require("typescript");
import { REVIVE_KEYWORD, type JsonSchemaObject } from "../../manifest/types.js";
import type { NumericAlias } from "../sdk-symbols.js";
import type { SchemaKind } from "./builder.js";
import { NUMERIC_SCHEMAS } from "./numeric.js";
import { isDefaultLibDeclared, libTypeName } from "./lib-types.js";

const BINARY_TYPES = new Set(["Uint8Array", "Buffer", "ArrayBuffer", "Blob", "File"]);
// A typed array's elements have its element type's range.
const NUMERIC_ARRAYS: Record<string, NumericAlias> = {
  Int8Array: "int8", Uint8ClampedArray: "uint8", Int16Array: "int16", Uint16Array: "uint16",
  Int32Array: "int32", Uint32Array: "uint32", Float32Array: "float32", Float64Array: "float64",
};
const RUNTIME_OBJECT = "It is a runtime object, not data; send the values it holds instead.";
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
      .map((name) => [name, RUNTIME_OBJECT]),
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

/**
 * Types of the standard library: Date, bytes, typed arrays; Map, Set and friends are refused
 * with a fix, and so is every other object of the JavaScript host (see `isHostObject`).
 */
export const builtinSchema: SchemaKind = (type, site, builder) => {
  const name = libTypeName(type);
  const mapped = name === undefined ? undefined : dataSchema(name);
  if (mapped) return mapped;
  const fix = name && Object.hasOwn(NOT_JSON, name) ? NOT_JSON[name] : isHostObject(type, builder.checker) ? RUNTIME_OBJECT : undefined;
  if (!fix) return undefined;
  builder.sink.report("BTC2006", site.node, site.label, builder.typeText(type), fix);
  return {};
};

/** The lib types that are data on the wire, each revived to its class. */
function dataSchema(name: string): JsonSchemaObject | undefined {
  if (name === "Date") return { type: "string", format: "date-time", [REVIVE_KEYWORD]: "Date" };
  if (name === "URL") return { type: "string", format: "uri", [REVIVE_KEYWORD]: "URL" }; // URL#toJSON is its href
  if (name === "Object") return { type: "object" }; // as `{}` is: its methods are Object.prototype's, not the value's
  if (BINARY_TYPES.has(name)) return binarySchema(name, "json");
  const numericItems = NUMERIC_ARRAYS[name];
  if (numericItems) return { type: "array", items: { ...NUMERIC_SCHEMAS[numericItems] }, [REVIVE_KEYWORD]: name };
  return undefined;
}

/**
 * An object of the language or the host that TypeScript's own libs declare (`Node`, `Document`,
 * `Math`, `typeof globalThis`): an interface with methods, whose data (if any) sits in prototype
 * accessors `JSON.stringify` does not see. Its properties lead to more of the same (`Node` →
 * `ownerDocument` → `Document` → …), so it is refused before it is expanded. The lib's data types
 * (`ArrayLike`, `IteratorResult`, `PromiseSettledResult`, DOM dictionaries like `RequestInit`) have no
 * methods; arrays and tuples do, but are data; Date, URL and bytes are mapped above.
 */
function isHostObject(type: ts.Type, checker: ts.TypeChecker): boolean {
  if (type.isIntersection()) return type.types.some((member) => isHostObject(member, checker)); // `typeof window`
  const symbol = type.getSymbol();
  if (!symbol || !(type.flags & ts.TypeFlags.Object)) return false;
  if (isGlobalThis(symbol)) return true;
  if (!(symbol.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.Class)) || !isDefaultLibDeclared(symbol)) return false;
  return checker.getPropertiesOfType(type).some((property) => property.flags & ts.SymbolFlags.Method) && !checker.isArrayLikeType(type);
}

/** `typeof globalThis` has a symbol of its own, declared nowhere. */
function isGlobalThis(symbol: ts.Symbol): boolean {
  return symbol.getName() === "globalThis" && !!(symbol.flags & ts.SymbolFlags.ValueModule) && (symbol.getDeclarations() ?? []).length === 0;
}

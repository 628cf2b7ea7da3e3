import ts = require("typescript");
import { isLibDeclared, isTypeReference } from "./schema/lib-types.js";

// The return types that make an API a stream of their first type argument.
const STREAM_TYPES = new Set(["AsyncGenerator", "AsyncIterable", "AsyncIterableIterator", "Generator", "ReadableStream"]);
// Iterator-like types that are not served as streams: their element type or end is unclear.
const NOT_STREAMS = new Set(["AsyncIterator", "Iterator", "Iterable", "IterableIterator", "ReadableStreamDefaultReader"]);

export type StreamShape =
  | { kind: "none" }
  | { kind: "stream"; element: ts.Type }
  | { kind: "untyped"; typeText: string }
  | { kind: "unsupported"; typeText: string };

/** Whether an (awaited) return type makes the API a stream, and of what. Arrays and strings never do. */
export function streamShapeOf(type: ts.Type, checker: ts.TypeChecker): StreamShape {
  const symbol = type.getSymbol();
  const typeText = checker.typeToString(type);
  if (!symbol || !isLibDeclared(symbol)) {
    return hasAsyncIterator(type, checker) ? { kind: "unsupported", typeText } : { kind: "none" };
  }
  const name = symbol.getName();
  if (NOT_STREAMS.has(name)) return { kind: "unsupported", typeText };
  if (!STREAM_TYPES.has(name)) return { kind: "none" };
  const element = isTypeReference(type) ? checker.getTypeArguments(type)[0] : undefined;
  if (!element || element.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.Never)) return { kind: "untyped", typeText };
  return { kind: "stream", element };
}

function hasAsyncIterator(type: ts.Type, checker: ts.TypeChecker): boolean {
  return checker.getPropertiesOfType(type).some((property) => property.getName().startsWith("__@asyncIterator@"));
}

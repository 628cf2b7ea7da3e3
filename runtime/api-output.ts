import { createRequire } from "node:module";
import type { JsonSchema } from "../manifest/types.js";
import { BentocHttpError } from "./errors.js";

const require = createRequire(import.meta.url);
const fastJsonStringify = require("fast-json-stringify") as (schema: object) => (value: unknown) => string;

/**
 * JSON text of a result through its schema (fast-json-stringify), or JSON.stringify where the
 * schema is beyond it. Where fast-json-stringify refuses a value, `checkJson` sees the JSON that
 * would go out instead, and may throw: a body that does not match the response schema never leaves.
 */
export function outputSerializer(schema: JsonSchema, defs: Record<string, JsonSchema>, checkJson: (value: unknown) => void = () => undefined): (value: unknown) => string {
  const plain = (value: unknown) => JSON.stringify(value ?? null);
  // fast-json-stringify 7 ignores `prefixItems` (it would coerce a tuple's elements to the rest type), so tuples go to JSON.stringify.
  if (typeof schema === "object" && Object.keys(schema).length > 0 && !reachesKeyword(schema, defs, "prefixItems")) {
    try {
      const fast = fastJsonStringify({ ...schema, $defs: defs });
      return (value) => {
        try {
          return fast(value);
        } catch {
          // e.g. `undefined` in an array of `T | null`, which JSON writes as null; but not a missing required field
          const text = plain(value);
          checkJson(JSON.parse(text));
          return text;
        }
      };
    } catch {
      // fall through: JSON.stringify is always right, only slower
    }
  }
  return plain;
}

/** Whether a schema, or a definition it refers to (transitively), uses a keyword. */
function reachesKeyword(schema: JsonSchema, defs: Record<string, JsonSchema>, keyword: string): boolean {
  const seen = new Set<string>();
  const pending: JsonSchema[] = [schema];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    const text = JSON.stringify(node);
    if (text.includes(`"${keyword}":`)) return true;
    for (const [, name] of text.matchAll(/"\$ref":"#\/\$defs\/([^"]+)"/g)) {
      if (!seen.has(name!)) pending.push(defs[name!] ?? {});
      seen.add(name!);
    }
  }
  return false;
}

export async function bytesOf(result: unknown): Promise<Buffer> {
  if (result instanceof Blob) return Buffer.from(await result.arrayBuffer());
  if (result instanceof ArrayBuffer) return Buffer.from(result);
  if (ArrayBuffer.isView(result)) return Buffer.from(result.buffer, result.byteOffset, result.byteLength);
  throw new BentocHttpError(500, "Internal server error");
}

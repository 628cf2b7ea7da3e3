// Which component schemas a document actually uses, so a document of one service does not
// carry the `$defs` that only other services need.
import type { JsonSchema } from "../../manifest/types.js";

const SCHEMA_POINTER = "#/components/schemas/";

/** Names under `components.schemas` reachable from `roots`, following references through `schemas`. */
export function reachableSchemas(roots: readonly unknown[], schemas: Readonly<Record<string, JsonSchema>>): Set<string> {
  const reached = new Set<string>();
  const pending = [...roots];
  while (pending.length > 0) {
    const value = pending.pop();
    if (Array.isArray(value)) {
      pending.push(...value);
    } else if (typeof value === "object" && value !== null) {
      // Any string that points at a schema counts: `$ref`s and discriminator mappings alike.
      for (const child of Object.values(value)) {
        if (typeof child === "string" && child.startsWith(SCHEMA_POINTER)) {
          const target = child.slice(SCHEMA_POINTER.length).split("/")[0]!;
          if (!reached.has(target) && Object.hasOwn(schemas, target)) {
            reached.add(target);
            pending.push(schemas[target]);
          }
        } else {
          pending.push(child);
        }
      }
    }
  }
  return reached;
}

import type { JsonSchema, JsonSchemaObject } from "../../../manifest/types.js";
import { parenthesised, type TypeText } from "./type-text.js";

type PrintType = (schema: JsonSchema, indent: string) => TypeText;

/**
 * An array type: `T[]`, or a tuple for `prefixItems` — elements past `minItems` are optional,
 * and without a `maxItems` the rest are `...items[]`.
 */
export function arrayType(schema: JsonSchemaObject, indent: string, print: PrintType): string {
  const items = schema.items as JsonSchema | undefined;
  const prefix = Array.isArray(schema.prefixItems) ? (schema.prefixItems as JsonSchema[]) : [];
  const maxItems = typeof schema.maxItems === "number" ? schema.maxItems : undefined;
  if (maxItems === 0) return "[]";
  if (prefix.length === 0) return `${items === undefined ? "unknown" : parenthesised(print(items, indent))}[]`;
  const minItems = typeof schema.minItems === "number" ? schema.minItems : 0;
  // An optional element's `?` binds tighter than `|`: `(string | null)?`.
  const elements = prefix.map((element, index) => (index < minItems ? print(element, indent).text : `${parenthesised(print(element, indent))}?`));
  const closed = items === false || (maxItems !== undefined && maxItems <= prefix.length);
  if (!closed) elements.push(`...${items === undefined ? "unknown" : parenthesised(print(items, indent))}[]`);
  return `[${elements.join(", ")}]`;
}

import { propertyKey } from "./identifiers.js";

/** The TypeScript literal type of a JSON value (`const`, `enum` members). */
export function literalType(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[${value.map(literalType).join(", ")}]`;
  if (typeof value === "object") {
    const members = Object.entries(value as Record<string, unknown>).map(([key, item]) => `${propertyKey(key)}: ${literalType(item)}`);
    return members.length === 0 ? "{}" : `{ ${members.join("; ")} }`;
  }
  return "unknown";
}

/** A union of literal types, without repeats. */
export function literalUnion(values: readonly unknown[]): string {
  const members = [...new Set(values.map(literalType))];
  return members.length === 0 ? "never" : members.join(" | ");
}

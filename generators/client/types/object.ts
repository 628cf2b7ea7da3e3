import type { JsonSchema, JsonSchemaObject } from "../../../manifest/types.js";
import { propertyKey } from "./identifiers.js";
import { docComment, schemaDocLines } from "./jsdoc.js";
import { templateLiteralType } from "./template.js";
import { atom, unionOf, type TypeText } from "./type-text.js";

export type PrintType = (schema: JsonSchema, indent: string) => TypeText;

/**
 * An object type: a member per property (with its JSDoc), then index signatures for
 * `additionalProperties` and `patternProperties`. A pattern the compiler wrote for a template
 * literal key keeps it (`` [key: `data-${string}`] ``); a string index covers every member,
 * as TypeScript requires.
 */
export function objectType(schema: JsonSchemaObject, indent: string, print: PrintType): string {
  const inner = `${indent}  `;
  const properties = Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>);
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  const members: string[] = [];
  const memberTypes: TypeText[] = [];
  for (const [name, property] of properties) {
    const type = print(property, inner);
    const optional = !required.has(name);
    memberTypes.push(type);
    if (optional) memberTypes.push(atom("undefined"));
    members.push(`${docComment(schemaDocLines(property), inner)}${inner}${propertyKey(name)}${optional ? "?" : ""}: ${type.text};`);
  }

  const templateIndexes: [key: string, type: TypeText][] = [];
  const stringIndex: TypeText[] = [];
  for (const [pattern, property] of Object.entries((schema.patternProperties ?? {}) as Record<string, JsonSchema>)) {
    const key = templateLiteralType(pattern);
    if (key !== undefined) templateIndexes.push([key, print(property, inner)]);
    else stringIndex.push(print(property, inner));
  }
  const additional = schema.additionalProperties as JsonSchema | undefined;
  if (additional !== undefined && additional !== false) stringIndex.push(print(additional, inner));
  // JSON Schema objects are open: with nothing said about other keys, any key may hold any value.
  if (properties.length === 0 && templateIndexes.length === 0 && stringIndex.length === 0 && additional === undefined) stringIndex.push(atom("unknown"));

  if (stringIndex.length > 0) {
    const all = unionOf([...stringIndex, ...(memberTypes.length > 0 || templateIndexes.length > 0 ? [...memberTypes, ...templateIndexes.map(([, type]) => type)] : [])]);
    members.push(`${inner}[key: string]: ${all.text};`);
  }
  for (const [key, type] of templateIndexes) members.push(`${inner}[key: ${key}]: ${type.text};`);
  if (members.length === 0) return "{}";
  // A lone index signature reads best on one line: `{ [key: string]: number }`.
  if (members.length === 1 && properties.length === 0) return `{ ${members[0]!.trim()} }`;
  return `{\n${members.join("\n")}\n${indent}}`;
}

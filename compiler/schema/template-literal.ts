import ts = require("typescript");
import type { SchemaKind } from "./builder.js";

// `.` stops at line breaks; a `${string}` placeholder does not.
const ANY_TEXT = "[\\s\\S]*";
const NUMBER_PATTERN = "-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?";

function escapeRegExp(text: string): string {
  // Only syntax characters: ajv compiles patterns with the `u` flag, where `\-` is an error.
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/** The regular expression (without anchors) for one placeholder of a template literal type. */
export function placeholderPattern(type: ts.Type): string {
  if (type.flags & ts.TypeFlags.String) return ANY_TEXT;
  if (type.flags & ts.TypeFlags.Number) return NUMBER_PATTERN;
  if (type.flags & ts.TypeFlags.BigInt) return "-?[0-9]+";
  if (type.flags & ts.TypeFlags.Boolean) return "(?:true|false)";
  if (type.isStringLiteral()) return escapeRegExp(type.value);
  if (type.isNumberLiteral()) return escapeRegExp(String(type.value));
  if (type.flags & ts.TypeFlags.BooleanLiteral) return (type as unknown as { intrinsicName: string }).intrinsicName;
  if (type.isUnion()) return `(?:${type.types.map(placeholderPattern).join("|")})`;
  if (type.flags & ts.TypeFlags.TemplateLiteral) return templatePattern(type as ts.TemplateLiteralType);
  return ANY_TEXT; // Uppercase<string> and friends: any string is the closest JSON Schema can say
}

function templatePattern(type: ts.TemplateLiteralType): string {
  let pattern = escapeRegExp(type.texts[0] ?? "");
  type.types.forEach((placeholder, index) => {
    pattern += placeholderPattern(placeholder) + escapeRegExp(type.texts[index + 1] ?? "");
  });
  return pattern;
}

/** `` `user-${number}` `` → a string with an anchored pattern. */
export const templateLiteralSchema: SchemaKind = (type) => {
  if (type.flags & ts.TypeFlags.TemplateLiteral) return { type: "string", pattern: `^${templatePattern(type as ts.TemplateLiteralType)}$` };
  if (type.flags & ts.TypeFlags.StringMapping) return { type: "string" };
  return undefined;
};

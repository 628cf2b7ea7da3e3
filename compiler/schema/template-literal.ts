import ts = require("typescript");
import { TEMPLATE_KEYWORD, type JsonSchemaObject } from "../../manifest/types.js";
import type { SchemaKind } from "./builder.js";

// `.` stops at line breaks; a `${string}` placeholder does not.
const ANY_CHAR = "[\\s\\S]";

/** Wraps one single-character atom of a pattern (see `templatePattern` for why). */
type CharGuard = (atom: string) => string;
const unguarded: CharGuard = (atom) => atom;

/**
 * The texts the checker lets a placeholder hold, written from single-character atoms so
 * that each atom can be guarded.
 */
interface PlaceholderGrammar {
  text(char: CharGuard): string;
  /** The one character it holds when another placeholder follows at once. */
  oneChar: string;
}

const STRING: PlaceholderGrammar = { text: (c) => `${c(ANY_CHAR)}*`, oneChar: ANY_CHAR };

/**
 * `${number}`: any non-empty text whose `+text` is finite (the checker's isValidNumberString),
 * i.e. ECMAScript's StringToNumber: surrounding white space (`\s` is exactly the set it trims;
 * all white space reads as 0), a signed decimal with optional digits on either side of the
 * point and an exponent, or an unsigned 0x/0o/0b integer. No separators, no Infinity.
 */
const NUMBER: PlaceholderGrammar = {
  text: (c) => {
    const digits = `${c("[0-9]")}+`;
    const decimal = `${c("[+-]")}?(?:${digits}(?:${c("\\.")}${c("[0-9]")}*)?|${c("\\.")}${digits})(?:${c("[eE]")}${c("[+-]")}?${digits})?`;
    return `(?:${c("\\s")}*(?:${decimal}|${radixInteger(c)})${c("\\s")}*|${c("\\s")}+)`;
  },
  oneChar: "[0-9\\s]",
};

/**
 * `${bigint}`: what scans as one bigint literal once an `n` is added, after an optional `-`
 * (the checker's isValidBigIntString): no leading zeros, no separators, no white space.
 */
const BIGINT: PlaceholderGrammar = {
  text: (c) => `${c("-")}?(?:${radixInteger(c)}|${c("0")}|${c("[1-9]")}${c("[0-9]")}*)`,
  oneChar: "[0-9]",
};

function radixInteger(c: CharGuard): string {
  return `${c("0")}(?:${c("[xX]")}${c("[0-9a-fA-F]")}+|${c("[oO]")}${c("[0-7]")}+|${c("[bB]")}${c("[01]")}+)`;
}

// What the checker asks of a string for `Uppercase<string>` and friends: that the mapping leaves it
// as it is. Unicode's Changes_When_Uppercased/Lowercased properties say which characters it moves.
const UNCHANGED_BY_UPPERCASE = "\\P{CWU}";
const UNCHANGED_BY_LOWERCASE = "\\P{CWL}";
const everyChar = (unchanged: string): PlaceholderGrammar => ({ text: (c) => `${c(unchanged)}*`, oneChar: unchanged });
const firstChar = (unchanged: string): PlaceholderGrammar => ({ text: (c) => `(?:${c(unchanged)}${c(ANY_CHAR)}*)?`, oneChar: unchanged });
const CASE_GRAMMARS: Record<string, PlaceholderGrammar> = {
  Uppercase: everyChar(UNCHANGED_BY_UPPERCASE),
  Lowercase: everyChar(UNCHANGED_BY_LOWERCASE),
  Capitalize: firstChar(UNCHANGED_BY_UPPERCASE),
  Uncapitalize: firstChar(UNCHANGED_BY_LOWERCASE),
};

function grammarOf(placeholder: ts.Type): PlaceholderGrammar {
  if (placeholder.flags & ts.TypeFlags.Number) return NUMBER;
  if (placeholder.flags & ts.TypeFlags.BigInt) return BIGINT;
  const mapping = placeholder.flags & ts.TypeFlags.StringMapping ? (placeholder as ts.StringMappingType) : undefined;
  if (mapping && mapping.type.flags & ts.TypeFlags.String) return CASE_GRAMMARS[mapping.symbol.getName()] ?? STRING;
  return STRING; // string, and mappings of narrower types: any string is the closest JSON Schema can say
}

function escapeRegExp(text: string): string {
  // Only syntax characters: ajv compiles patterns with the `u` flag, where `\-` is an error.
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/** The regular expression (without anchors) for a whole key or value of this type. */
export function placeholderPattern(type: ts.Type): string {
  if (type.isStringLiteral()) return escapeRegExp(type.value);
  if (type.isNumberLiteral()) return escapeRegExp(String(type.value));
  if (type.flags & ts.TypeFlags.BooleanLiteral) return (type as unknown as { intrinsicName: string }).intrinsicName;
  if (type.flags & ts.TypeFlags.Boolean) return "(?:true|false)";
  if (type.isUnion()) return `(?:${type.types.map(placeholderPattern).join("|")})`;
  if (type.flags & ts.TypeFlags.TemplateLiteral) return templatePattern(type as ts.TemplateLiteralType);
  return grammarOf(type).text(unguarded);
}

/**
 * The checker splits a string along a template as it reads it, not as a regular expression
 * would search: a placeholder ends at the first occurrence of the text after it, or after one
 * character when another placeholder follows at once; the last one takes the rest. So each
 * character of a placeholder is guarded against starting the text that follows it.
 */
function templatePattern(type: ts.TemplateLiteralType): string {
  const { texts, types } = type;
  let pattern = escapeRegExp(texts[0] ?? "");
  types.forEach((placeholder, index) => {
    const grammar = grammarOf(placeholder);
    const following = texts[index + 1] ?? "";
    const stop = escapeRegExp(following);
    if (index === types.length - 1) pattern += grammar.text(unguarded);
    else if (following === "") pattern += grammar.oneChar;
    else pattern += grammar.text(guardAgainst(following));
    pattern += stop;
  });
  return pattern;
}

/** Keeps an atom from matching where `text` starts; atoms that cannot match its first character need no guard. */
function guardAgainst(text: string): CharGuard {
  const first = [...text][0]!;
  return (atom) => (new RegExp(`^${atom}$`, "u").test(first) ? `(?:(?!${escapeRegExp(text)})${atom})` : atom);
}

/** `` `user-${number}` `` → a string with an anchored pattern. */
export const templateLiteralSchema: SchemaKind = (type, _site, builder) => {
  if (type.flags & ts.TypeFlags.TemplateLiteral) {
    return { type: "string", pattern: `^${templatePattern(type as ts.TemplateLiteralType)}$`, [TEMPLATE_KEYWORD]: builder.checker.typeToString(type, undefined, ts.TypeFormatFlags.NoTruncation) };
  }
  if (type.flags & ts.TypeFlags.StringMapping) return stringMappingSchema(type as ts.StringMappingType);
  return undefined;
};

/** `Uppercase<string>` → a string its mapping leaves unchanged; of anything narrower, just a string. */
function stringMappingSchema(type: ts.StringMappingType): JsonSchemaObject {
  const grammar = grammarOf(type);
  return grammar === STRING ? { type: "string" } : { type: "string", pattern: `^${grammar.text(unguarded)}$` };
}

import { REVIVE_KEYWORD, TEMPLATE_KEYWORD, type JsonSchema } from "../../../manifest/types.js";

/** Keywords shown as JSDoc tags, so editors show the server's constraints where the type is used. */
const CONSTRAINT_TAGS = [
  "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
  "minLength", "maxLength", "pattern", "format", "minItems", "maxItems", "uniqueItems",
];

/** Bounds that only restate a numeric format (`int32` is -2147483648 to 2147483647), so they go unsaid. */
const FORMAT_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  int8: [-128, 127], int16: [-32768, 32767], int32: [-2147483648, 2147483647],
  uint8: [0, 255], uint16: [0, 65535], uint32: [0, 4294967295],
};

/** The JSDoc lines of a schema: its title and description, then deprecation, default, examples and (unless told not to) constraints. */
export function schemaDocLines(schema: JsonSchema, options: { constraints?: boolean } = {}): string[] {
  if (typeof schema !== "object") return [];
  const lines: string[] = [];
  if (typeof schema.title === "string" && schema.title !== schema.description) lines.push(schema.title);
  if (typeof schema.description === "string") lines.push(...schema.description.split("\n"));
  if (schema.deprecated === true) lines.push("@deprecated");
  if (schema.default !== undefined) lines.push(`@default ${JSON.stringify(schema.default)}`);
  if (Array.isArray(schema.examples)) for (const example of schema.examples) lines.push(`@example ${JSON.stringify(example)}`);
  if (options.constraints === false) return lines;
  // A tuple's item counts are its type already.
  const tuple = Array.isArray(schema.prefixItems);
  const range = typeof schema.format === "string" ? FORMAT_RANGES[schema.format] : undefined;
  // How a Date or a bigint looks on the wire is no concern of code that holds a Date or a bigint.
  const revived = schema[REVIVE_KEYWORD] !== undefined;
  for (const keyword of CONSTRAINT_TAGS) {
    if (schema[keyword] === undefined || (tuple && (keyword === "minItems" || keyword === "maxItems"))) continue;
    if (revived && (keyword === "format" || keyword === "pattern")) continue;
    if (keyword === "pattern" && schema[TEMPLATE_KEYWORD] !== undefined) continue; // the template type says it
    if ((keyword === "minimum" && schema[keyword] === range?.[0]) || (keyword === "maximum" && schema[keyword] === range?.[1])) continue;
    const value = schema[keyword];
    lines.push(`@${keyword} ${typeof value === "string" ? value : JSON.stringify(value)}`);
  }
  return lines;
}

/** A JSDoc comment, indented; empty when there is nothing to say. */
export function docComment(lines: readonly string[], indent: string): string {
  if (lines.length === 0) return "";
  const safe = lines.map((line) => line.replace(/\*\//g, "*\\/").trimEnd());
  if (safe.length === 1) return `${indent}/** ${safe[0]} */\n`;
  return `${indent}/**\n${safe.map((line) => `${indent} *${line === "" ? "" : ` ${line}`}`).join("\n")}\n${indent} */\n`;
}

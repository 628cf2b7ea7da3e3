// Template literal types come back from the `x-bentoc-template` annotation the compiler writes
// beside their pattern, or, for manifests written before it, from the plain patterns older
// compilers wrote: `^user-(number)$` → `user-${number}`. Any other pattern is a plain `string`
// with the pattern in its JSDoc.
import { TEMPLATE_KEYWORD, type JsonSchemaObject } from "../../../manifest/types.js";

// One backquoted template of text, escapes and placeholders of built-in types only: a name the
// client does not define would not compile, and anything else would not be a type.
const PLACEHOLDER = "(?:string|number|bigint|boolean|(?:Uppercase|Lowercase|Capitalize|Uncapitalize)<string>)";
const TEMPLATE_TYPE = new RegExp(`^\`(?:[^\`\\\\$]|\\\\[\\s\\S]|\\$(?!\\{)|\\$\\{${PLACEHOLDER}\\})*\`$`);

/** The template literal type of a string schema, when it is one. */
export function templateTypeOfSchema(schema: JsonSchemaObject): string | undefined {
  const annotated = schema[TEMPLATE_KEYWORD];
  // The annotation becomes code: only a single template literal type is let through.
  if (typeof annotated === "string" && TEMPLATE_TYPE.test(annotated)) return annotated;
  return typeof schema.pattern === "string" ? templateLiteralType(schema.pattern) : undefined;
}

const PLACEHOLDERS: readonly [pattern: string, type: string][] = [
  ["[\\s\\S]*", "string"],
  ["-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?", "number"],
  ["-?[0-9]+", "bigint"],
  ["(?:true|false)", "boolean"],
];
const SYNTAX = ".*+?^${}()|[]\\/";

/** The template literal type a pattern spells, or undefined when it is not one the compiler writes. */
export function templateLiteralType(pattern: string): string | undefined {
  if (!pattern.startsWith("^") || !pattern.endsWith("$") || pattern.endsWith("\\$")) return undefined;
  const body = pattern.slice(1, -1);
  let text = "";
  let placeholders = 0;
  for (let index = 0; index < body.length;) {
    const placeholder = PLACEHOLDERS.find(([fragment]) => body.startsWith(fragment, index));
    if (placeholder) {
      text += `\${${placeholder[1]}}`;
      placeholders++;
      index += placeholder[0].length;
      continue;
    }
    const char = body[index]!;
    if (char === "\\" && index + 1 < body.length && SYNTAX.includes(body[index + 1]!)) {
      text += escapeTemplateText(body[index + 1]!);
      index += 2;
    } else if (SYNTAX.includes(char)) {
      return undefined;
    } else {
      text += escapeTemplateText(char);
      index++;
    }
  }
  // A pattern with no placeholder is a user's @pattern, not a template: it stays a string.
  return placeholders > 0 ? `\`${text}\`` : undefined;
}

function escapeTemplateText(char: string): string {
  return char === "`" || char === "\\" || char === "$" ? `\\${char}` : char;
}

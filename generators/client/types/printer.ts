// JSON Schema → TypeScript type text. One dispatcher over the kinds of schema, each kind in
// its own module: references, revived values (Date, bigint, bytes), literals and enums,
// combinators, and the structural types (string/template literal, object, array).
import type { JsonSchema, JsonSchemaObject } from "../../../manifest/types.js";
import { arrayType } from "./array.js";
import { literalType } from "./literal.js";
import { objectType } from "./object.js";
import { revivedType } from "./revived.js";
import { templateTypeOfSchema } from "./template.js";
import { atom, intersectionOf, unionOf, type TypeText } from "./type-text.js";

/** Maps a `$ref` (`#/$defs/Name`) to the identifier of the named type. */
export type RefNamer = (ref: string) => string;

const OBJECT_KEYWORDS = ["properties", "additionalProperties", "patternProperties"];
const ARRAY_KEYWORDS = ["items", "prefixItems"];

export class TypePrinter {
  constructor(private readonly refName: RefNamer) {}

  /** The type of a schema, written at `indent` (nested object members go one level deeper). */
  text(schema: JsonSchema, indent = ""): string {
    return this.print(schema, indent).text;
  }

  print = (schema: JsonSchema, indent: string): TypeText => {
    if (schema === true) return atom("unknown");
    if (schema === false) return atom("never");
    if (typeof schema.$ref === "string") return atom(this.refName(schema.$ref));
    const revived = revivedType(schema);
    if (revived) return revived;
    if ("const" in schema) return atom(literalType(schema.const));
    if (Array.isArray(schema.enum)) return unionOf(schema.enum.map((value) => atom(literalType(value))));
    const parts: TypeText[] = [];
    for (const combiner of ["anyOf", "oneOf"]) {
      if (Array.isArray(schema[combiner])) parts.push(unionOf((schema[combiner] as JsonSchema[]).map((branch) => this.print(branch, indent))));
    }
    if (Array.isArray(schema.allOf)) parts.push(intersectionOf((schema.allOf as JsonSchema[]).map((branch) => this.print(branch, indent))));
    const structural = this.structural(schema, indent);
    if (structural) parts.push(structural);
    return parts.length === 0 ? atom("unknown") : intersectionOf(parts);
  };

  /** Whether the schema is a plain object type, which reads best as an `interface`. */
  static isInterface(schema: JsonSchema): schema is JsonSchemaObject {
    if (typeof schema !== "object") return false;
    const plain = ["$ref", "const", "enum", "anyOf", "oneOf", "allOf", "x-bentoc-type"].every((keyword) => schema[keyword] === undefined);
    return plain && (schema.type === "object" || (schema.type === undefined && OBJECT_KEYWORDS.some((keyword) => schema[keyword] !== undefined)));
  }

  objectBody(schema: JsonSchemaObject, indent: string): string {
    return objectType(schema, indent, this.print);
  }

  private structural(schema: JsonSchemaObject, indent: string): TypeText | undefined {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : typeof schema.type === "string" ? [schema.type] : impliedTypes(schema);
    if (types.length === 0) return undefined;
    return unionOf(types.map((type): TypeText => {
      switch (type) {
        case "string":
          return atom(templateTypeOfSchema(schema) ?? "string");
        case "number":
        case "integer":
          return atom("number");
        case "boolean":
          return atom("boolean");
        case "null":
          return atom("null");
        case "array":
          return atom(arrayType(schema, indent, this.print));
        case "object":
          return atom(objectType(schema, indent, this.print));
        default:
          return atom("unknown");
      }
    }));
  }
}

function impliedTypes(schema: JsonSchemaObject): string[] {
  if (OBJECT_KEYWORDS.some((keyword) => schema[keyword] !== undefined)) return ["object"];
  if (ARRAY_KEYWORDS.some((keyword) => schema[keyword] !== undefined)) return ["array"];
  return [];
}

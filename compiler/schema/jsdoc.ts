import JSON5 from "json5";
import ts = require("typescript");
import { REVIVE_KEYWORD, type JsonSchema, type JsonSchemaObject } from "../../manifest/types.js";
import type { SchemaBuilder } from "./builder.js";
import { labelMidSentence, type TypeSite } from "./site.js";
import { unicodePattern } from "./unicode-pattern.js";

type TagValue = "number" | "nonNegativeInteger" | "string" | "regex" | "flag" | "reason" | "json" | "jsonList";
interface TagRule {
  value: TagValue;
  /** The JSON types it constrains; absent for annotations that fit any type. */
  appliesTo?: readonly string[];
  keyword?: string;
}

const NUMBER = ["number", "integer"];
const TAG_RULES: Record<string, TagRule> = {
  minimum: { value: "number", appliesTo: NUMBER },
  maximum: { value: "number", appliesTo: NUMBER },
  exclusiveMinimum: { value: "number", appliesTo: NUMBER },
  exclusiveMaximum: { value: "number", appliesTo: NUMBER },
  multipleOf: { value: "number", appliesTo: NUMBER },
  minLength: { value: "nonNegativeInteger", appliesTo: ["string"] },
  maxLength: { value: "nonNegativeInteger", appliesTo: ["string"] },
  pattern: { value: "regex", appliesTo: ["string"] },
  format: { value: "string", appliesTo: ["string"] },
  minItems: { value: "nonNegativeInteger", appliesTo: ["array"] },
  maxItems: { value: "nonNegativeInteger", appliesTo: ["array"] },
  uniqueItems: { value: "flag", appliesTo: ["array"] },
  minProperties: { value: "nonNegativeInteger", appliesTo: ["object"] },
  maxProperties: { value: "nonNegativeInteger", appliesTo: ["object"] },
  default: { value: "json" },
  examples: { value: "jsonList" },
  // `@deprecated use X instead` is the usual form: the text is the reason, not a value.
  deprecated: { value: "reason" },
  title: { value: "string" },
  description: { value: "string" },
};

const VALUE_NEEDS: Record<TagValue, string> = {
  number: "a number",
  nonNegativeInteger: "a non-negative integer",
  string: "a text",
  regex: "a valid regular expression",
  flag: "no value, true or false",
  reason: "an optional reason",
  json: "a JSON value",
  jsonList: "a JSON value or array",
};

/** The documentation of one declaration: its comment text and its tags. */
export interface DocComment {
  description: string;
  tags: { name: string; text: string }[];
}

export function docOfSymbol(symbol: ts.Symbol, checker: ts.TypeChecker): DocComment {
  return {
    description: ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim(),
    tags: symbol.getJsDocTags(checker).map((tag) => ({ name: tag.name, text: ts.displayPartsToString(tag.text).trim() })),
  };
}

/** A parameter's docs: `@param name text` on the method, and a JSDoc comment on the parameter itself. */
export function docOfParameter(parameter: ts.ParameterDeclaration, checker: ts.TypeChecker): DocComment {
  const symbol = checker.getSymbolAtLocation(parameter.name);
  const description = symbol ? ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim() : "";
  const tags: DocComment["tags"] = [];
  for (const doc of ts.getJSDocCommentsAndTags(parameter)) {
    if (!ts.isJSDoc(doc) || doc.parent !== parameter) continue;
    for (const tag of doc.tags ?? []) tags.push({ name: tag.tagName.text, text: ts.getTextOfJSDocComment(tag.comment)?.trim() ?? "" });
  }
  const ownText = ts.getJSDocCommentsAndTags(parameter)
    .filter((doc): doc is ts.JSDoc => ts.isJSDoc(doc) && doc.parent === parameter)
    .map((doc) => ts.getTextOfJSDocComment(doc.comment)?.trim() ?? "")
    .filter(Boolean)
    .join("\n");
  return { description: description || ownText, tags };
}

/** The schema with a declaration's description and JSDoc keywords added; bad tags are reported. */
export function withDocs(schema: JsonSchema, docs: readonly (DocComment | undefined)[], site: TypeSite, builder: SchemaBuilder): JsonSchema {
  const annotations: JsonSchemaObject = {};
  let noDescription = false;
  for (const doc of docs) {
    if (!doc) continue;
    if (doc.description) annotations.description = doc.description;
    for (const tag of doc.tags) {
      // An empty `@description` is how one says "no description", above all to drop one the
      // declaration would inherit (from a base type's member, or from its alias).
      if (tag.name === "description" && tag.text === "") {
        delete annotations.description;
        noDescription = true;
      } else {
        applyTag(annotations, tag, schema, site, builder);
      }
    }
  }
  if (Object.keys(annotations).length === 0 && !noDescription) return schema;
  if (typeof schema === "boolean") return schema ? annotations : { ...annotations, not: {} };
  // Title and description read first, and the nearer doc (a property's own) wins over one the
  // schema already carries (its alias's); constraints follow the keywords they refine.
  const { title, description, ...constraints } = annotations;
  const { title: innerTitle, description: innerDescription, ...body } = schema;
  const head: JsonSchemaObject = {};
  if ((title ?? innerTitle) !== undefined) head.title = title ?? innerTitle;
  const kept = description ?? (noDescription ? undefined : innerDescription);
  if (kept !== undefined) head.description = kept;
  return { ...head, ...body, ...constraints };
}

function applyTag(annotations: JsonSchemaObject, tag: { name: string; text: string }, schema: JsonSchema, site: TypeSite, builder: SchemaBuilder): void {
  const rule = TAG_RULES[tag.name];
  if (!rule) return; // @param, @returns, @see and the rest describe, they do not constrain
  if (tag.text === "" && (rule.value === "json" || rule.value === "jsonList")) return; // an empty @default says nothing
  const value = parseTagValue(rule.value, tag.text);
  if (value === undefined) {
    builder.sink.report("BTC2007", site.node, tag.name, labelMidSentence(site.label), VALUE_NEEDS[rule.value], tag.text);
    return;
  }
  // The server fills a missing value with the default, so one of another type would refuse every call without it.
  const wanted = tag.name === "default" && typeof schema === "object" && schema[REVIVE_KEYWORD] === undefined ? schemaTypes(schema, { withNull: true }) : undefined;
  if (wanted && !wanted.includes(jsonTypeOf(value)) && !(jsonTypeOf(value) === "integer" && wanted.includes("number"))) {
    builder.sink.report("BTC2007", site.node, tag.name, labelMidSentence(site.label), `a ${wanted.join(" or ")} value`, tag.text);
    return;
  }
  const types = schemaTypes(schema);
  if (rule.appliesTo && types && !types.some((type) => rule.appliesTo!.includes(type))) {
    const shown = typeof schema === "object" && schema[REVIVE_KEYWORD] === "bigint" ? "bigint (sent as a decimal string)" : types.join("/");
    builder.sink.report("BTC2008", site.node, tag.name, labelMidSentence(site.label), rule.appliesTo.join("/"), shown);
    return;
  }
  annotations[rule.keyword ?? tag.name] = value;
}

/** The JSON types a schema admits (`null` only `withNull`), when it says so directly; undefined for refs and combinations. */
function schemaTypes(schema: JsonSchema, { withNull = false } = {}): string[] | undefined {
  if (typeof schema !== "object" || schema.$ref !== undefined) return undefined;
  if (typeof schema.type === "string") return [schema.type];
  if (Array.isArray(schema.type)) return schema.type.filter((type): type is string => typeof type === "string" && (withNull || type !== "null"));
  return undefined;
}

function jsonTypeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function parseTagValue(kind: TagValue, text: string): unknown {
  switch (kind) {
    case "number": {
      const value = Number(text);
      return text !== "" && Number.isFinite(value) ? value : undefined;
    }
    case "nonNegativeInteger": {
      const value = Number(text);
      return text !== "" && Number.isInteger(value) && value >= 0 ? value : undefined;
    }
    case "string":
      return text === "" ? undefined : text;
    case "regex":
      return text === "" ? undefined : unicodePattern(text);
    case "flag":
      return text === "" || text === "true" ? true : text === "false" ? false : undefined;
    case "reason":
      return text !== "false";
    case "json":
      return parseJsonOrText(text);
    case "jsonList": {
      const value = parseJsonOrText(text);
      return value === undefined ? undefined : Array.isArray(value) ? value : [value];
    }
  }
}

/** `@default 3` is 3, `@default "a"` is "a", `@default { a: 1 }` an object, `@default hello` the text "hello". */
function parseJsonOrText(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    // JSON5, as the peer generators read it: `{ a: 1 }`, `'single'`, trailing commas.
    try {
      return JSON5.parse(text);
    } catch {
      return text;
    }
  }
}

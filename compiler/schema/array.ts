import ts = require("typescript");
import type { JsonSchema, JsonSchemaObject } from "../../manifest/types.js";
import type { SchemaKind } from "./builder.js";
import { withoutUndefined } from "./lib-types.js";

/** `T[]` and `readonly T[]` → items; tuples → prefixItems with their length bounds. */
export const arraySchema: SchemaKind = (type, site, builder) => {
  const { checker } = builder;
  if (checker.isArrayType(type)) {
    const element = checker.getTypeArguments(type as ts.TypeReference)[0];
    return { type: "array", items: element ? builder.schemaFor(element, site) : {} };
  }
  if (!checker.isTupleType(type)) return undefined;
  const tuple = (type as ts.TypeReference).target as ts.TupleType;
  const elements = checker.getTypeArguments(type as ts.TypeReference);
  const prefixItems: JsonSchema[] = [];
  let rest: JsonSchema | undefined;
  let minItems = 0;
  elements.forEach((element, index) => {
    const flags = tuple.elementFlags[index] ?? ts.ElementFlags.Required;
    if (flags & ts.ElementFlags.Variable) {
      rest = builder.schemaFor(element, site);
      return;
    }
    const stripped = flags & ts.ElementFlags.Optional ? withoutUndefined(element, checker).type ?? element : element;
    prefixItems.push(builder.schemaFor(stripped, site));
    if (flags & ts.ElementFlags.Required) minItems = prefixItems.length;
  });
  const schema: JsonSchemaObject = { type: "array" };
  if (prefixItems.length > 0) schema.prefixItems = prefixItems;
  if (rest !== undefined) schema.items = rest;
  else schema.items = false;
  schema.minItems = minItems;
  if (rest === undefined) schema.maxItems = prefixItems.length;
  return schema;
};

import ts = require("typescript");
import type { JsonSchema, JsonSchemaObject } from "../../manifest/types.js";
import type { SchemaKind } from "./builder.js";
import { withoutUndefined } from "./lib-types.js";
import { valueSchema } from "./nullable.js";

/**
 * `T[]` and `readonly T[]` → items; tuples → prefixItems with their length bounds. A tuple's
 * `items` also lists what its positions may hold, for OpenAPI tools that predate prefixItems.
 */
export const arraySchema: SchemaKind = (type, site, builder) => {
  const { checker } = builder;
  if (checker.isArrayType(type)) {
    const element = checker.getTypeArguments(type as ts.TypeReference)[0];
    return { type: "array", items: element ? valueSchema(element, site, builder) : {} };
  }
  if (!checker.isTupleType(type)) return undefined;
  const tuple = (type as ts.TypeReference).target as ts.TupleType;
  const elements = checker.getTypeArguments(type as ts.TypeReference);
  const prefixItems: JsonSchema[] = [];
  let rest: JsonSchema | undefined;
  let minItems = 0;
  for (const [index, element] of elements.entries()) {
    const flags = tuple.elementFlags[index] ?? ts.ElementFlags.Required;
    if (rest !== undefined) {
      builder.sink.report("BTC2011", site.node, site.label, builder.typeText(type), "a tuple whose rest element is not last cannot be said in JSON Schema; put the rest element last or use an array.");
      return {};
    }
    if (flags & ts.ElementFlags.Variable) {
      rest = valueSchema(element, site, builder);
      continue;
    }
    const stripped = flags & ts.ElementFlags.Optional ? withoutUndefined(element, checker).type ?? element : element;
    prefixItems.push(valueSchema(stripped, site, builder));
    if (flags & ts.ElementFlags.Required) minItems = prefixItems.length;
  }
  const schema: JsonSchemaObject = { type: "array" };
  if (prefixItems.length > 0) schema.prefixItems = prefixItems;
  schema.items = rest ?? anyOfDistinct(prefixItems);
  schema.minItems = minItems;
  if (rest === undefined) schema.maxItems = prefixItems.length;
  return schema;
};

function anyOfDistinct(schemas: JsonSchema[]): JsonSchema {
  const distinct = [...new Map(schemas.map((schema) => [JSON.stringify(schema), schema])).values()];
  if (distinct.length === 0) return {};
  return distinct.length === 1 ? distinct[0]! : { anyOf: distinct };
}

import { describe, expect, it } from "vitest";
import { allocateComponentNames } from "../../generators/openapi/component-names.js";
import { schemaRewriter } from "../../generators/openapi/schemas.js";

const rewrite = schemaRewriter(allocateComponentNames(["Node", "Leaf", "A/B~C"]));

describe("schemaRewriter", () => {
  it("rewrites $refs in every schema position", () => {
    const schema = {
      type: "object",
      properties: { next: { $ref: "#/$defs/Node" }, leaves: { type: "array", items: { $ref: "#/$defs/Leaf" } } },
      additionalProperties: { $ref: "#/$defs/Leaf" },
      patternProperties: { "^x-": { $ref: "#/$defs/Leaf" } },
      prefixItems: [{ $ref: "#/$defs/Node" }],
      oneOf: [{ $ref: "#/$defs/Node" }, { allOf: [{ $ref: "#/$defs/Leaf" }] }],
      anyOf: [{ not: { $ref: "#/$defs/Node" } }],
      if: { $ref: "#/$defs/Node" },
      then: { $ref: "#/$defs/Leaf" },
      else: { contains: { $ref: "#/$defs/Leaf" } },
    };
    const json = JSON.stringify(rewrite(schema));
    expect(json).not.toContain("#/$defs/");
    expect(json.match(/#\/components\/schemas\/(Node|Leaf)/g)).toHaveLength(11);
  });

  it("rewrites discriminator mappings and decodes escaped names", () => {
    expect(
      rewrite({
        oneOf: [{ $ref: "#/$defs/Node" }, { $ref: "#/$defs/A~1B~0C" }],
        discriminator: { propertyName: "kind", mapping: { node: "#/$defs/Node", other: "#/$defs/A~1B~0C" } },
      }),
    ).toEqual({
      oneOf: [{ $ref: "#/components/schemas/Node" }, { $ref: "#/components/schemas/A_B_C" }],
      discriminator: {
        propertyName: "kind",
        mapping: { node: "#/components/schemas/Node", other: "#/components/schemas/A_B_C" },
      },
    });
  });

  it("drops $schema and $id but keeps annotations and data untouched", () => {
    // Parsed, not written as a literal, so that `__proto__` is a property and not the prototype.
    const schema = JSON.parse(`{
      "$schema": "https://json-schema.org/draft/2020-12/schema",
      "$id": "urn:x",
      "type": "object",
      "x-bentoc-type": "Date",
      "properties": {
        "$id": { "type": "string" },
        "__proto__": { "type": "number" },
        "inner": { "$id": "urn:inner", "type": "string" }
      },
      "const": { "$ref": "#/$defs/Node" },
      "default": { "$schema": "kept" },
      "examples": [{ "$ref": "#/$defs/Leaf" }]
    }`) as Record<string, unknown>;
    const out = rewrite(schema) as Record<string, unknown>;
    expect(out).toEqual({
      type: "object",
      "x-bentoc-type": "Date",
      properties: JSON.parse('{"$id":{"type":"string"},"__proto__":{"type":"number"},"inner":{"type":"string"}}'),
      const: { $ref: "#/$defs/Node" },
      default: { $schema: "kept" },
      examples: [{ $ref: "#/$defs/Leaf" }],
    });
    expect(Object.keys(out.properties as object)).toEqual(["$id", "__proto__", "inner"]);
  });

  it("copies instead of sharing, so the manifest never changes", () => {
    const schema = { type: "array", items: { $ref: "#/$defs/Node" }, enum: [[1]] };
    const out = rewrite(schema) as { items: object; enum: unknown[] };
    expect(schema.items).toEqual({ $ref: "#/$defs/Node" });
    expect(out.enum).not.toBe(schema.enum);
    expect(rewrite(true)).toBe(true);
  });

  it("refuses a reference to a name $defs does not have", () => {
    expect(() => rewrite({ $ref: "#/$defs/Missing" })).toThrow(/"Missing"/);
  });

  it("leaves references outside $defs as written", () => {
    expect(rewrite({ $ref: "https://example.com/schema.json" })).toEqual({ $ref: "https://example.com/schema.json" });
  });
});

describe("allocateComponentNames", () => {
  it("keeps valid names, sanitises the rest, and gives our own names way", () => {
    const names = allocateComponentNames(["BentocError", "Page<User>", "Page_User_", "BentocError_2"]);
    expect([...names.defs]).toEqual([
      ["BentocError", "BentocError"],
      ["Page<User>", "Page_User__2"],
      ["Page_User_", "Page_User_"],
      ["BentocError_2", "BentocError_2"],
    ]);
    expect(names.own.error).toBe("BentocError_3");
    expect(names.own.taskStatus).toBe("BentocTaskStatus");
  });
});

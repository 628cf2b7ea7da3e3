// The client types a template-literal string from the compiler's `x-bentoc-template` annotation,
// which becomes code: only one template literal type of built-in placeholders is let through.
import { describe, expect, it } from "vitest";
import { templateTypeOfSchema } from "../../generators/client/types/template.js";

describe("template literal types in generated clients", () => {
  it("takes the annotation the compiler wrote beside the pattern", () => {
    expect(templateTypeOfSchema({ type: "string", pattern: "^user-(?:\\s*[0-9]+)$", "x-bentoc-template": "`user-${number}`" })).toBe("`user-${number}`");
    expect(templateTypeOfSchema({ type: "string", "x-bentoc-template": "`${Uppercase<string>}-${bigint}`" })).toBe("`${Uppercase<string>}-${bigint}`");
    expect(templateTypeOfSchema({ type: "string", "x-bentoc-template": "`cost: $${number}`" })).toBe("`cost: $${number}`");
  });

  it("refuses an annotation that is not one template of built-in placeholders, falling back to the pattern", () => {
    for (const hostile of ["`a`; export const x = 1; `", "`${Secret}`", "`${string & {}}`", "string", "`open"]) {
      expect(templateTypeOfSchema({ type: "string", "x-bentoc-template": hostile }), hostile).toBeUndefined();
    }
    expect(templateTypeOfSchema({ type: "string", pattern: "^user-[\\s\\S]*$", "x-bentoc-template": "`${Secret}`" })).toBe("`user-${string}`");
  });
});

import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { generateOpenApi, openApiDocument } from "../../generators/openapi/index.js";
import { validateManifest } from "../../manifest/index.js";
import { collidingManifest, irisManifest, minimalManifest } from "./manifests.js";
import { openApiProblems } from "./validate-openapi.js";

const cases = [
  ["every kind of API", irisManifest],
  ["$defs that take our names", collidingManifest],
  ["the smallest bento", minimalManifest],
] as const;

describe("generated OpenAPI documents validate", () => {
  for (const [name, build] of cases) {
    it(`${name}: JSON has no problems`, async () => {
      expect(await openApiProblems(openApiDocument(build()))).toEqual([]);
    });

    it(`${name}: YAML has no problems`, async () => {
      const yaml = generateOpenApi(build(), { format: "yaml" }).get("openapi.yaml")!;
      expect(await openApiProblems(parse(yaml) as object)).toEqual([]);
    });
  }

  it("each service's own document has no problems", async () => {
    const manifest = irisManifest();
    for (const { name } of manifest.services) {
      expect(await openApiProblems(openApiDocument(manifest, { service: name })), name).toEqual([]);
    }
  });

  it("starts from manifests the manifest validator accepts", () => {
    for (const [name, build] of cases) expect(validateManifest(build()), name).toEqual(expect.objectContaining({ ok: true }));
  });

  it("the validators do report a broken document", async () => {
    const doc = structuredClone(openApiDocument(minimalManifest())) as unknown as {
      info: { title?: string };
      paths: Record<string, Record<string, { requestBody: { content: Record<string, { schema: unknown }> } }>>;
    };
    delete doc.info.title;
    doc.paths["/hello"]!.post!.requestBody.content["application/json"]!.schema = { $ref: "#/$defs/Missing" };
    const problems = await openApiProblems(doc);
    expect(problems.some((problem) => problem.startsWith("readme error"))).toBe(true);
    expect(problems.some((problem) => problem.startsWith("redocly error struct"))).toBe(true);
    expect(problems.some((problem) => problem.startsWith("redocly error no-unresolved-refs"))).toBe(true);
  });
});

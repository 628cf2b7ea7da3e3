import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { generateOpenApi, openApiDocument } from "../../generators/openapi/index.js";
import { irisManifest } from "./manifests.js";

describe("generateOpenApi", () => {
  it("writes openapi.json by default, pretty-printed with a final newline", () => {
    const files = generateOpenApi(irisManifest());
    expect([...files.keys()]).toEqual(["openapi.json"]);
    const json = files.get("openapi.json")!;
    expect(json).toBe(JSON.stringify(openApiDocument(irisManifest()), null, 2) + "\n");
    expect(JSON.parse(json)).toEqual(openApiDocument(irisManifest()));
  });

  it("is deterministic: the same manifest gives byte-identical files", () => {
    for (const format of ["json", "yaml"] as const) {
      const first = generateOpenApi(irisManifest(), { format });
      const second = generateOpenApi(structuredClone(irisManifest()), { format });
      expect([...second.entries()]).toEqual([...first.entries()]);
    }
  });

  it("writes openapi.yaml that parses back to the same document, without anchors", () => {
    const files = generateOpenApi(irisManifest(), { format: "yaml" });
    expect([...files.keys()]).toEqual(["openapi.yaml"]);
    const yaml = files.get("openapi.yaml")!;
    expect(parse(yaml)).toEqual(JSON.parse(JSON.stringify(openApiDocument(irisManifest()))));
    expect(yaml).not.toMatch(/(^|\s)[&*]a\d+/);
    expect(yaml.startsWith("openapi: 3.1.0\n")).toBe(true);
  });

  it("does not modify the manifest it reads", () => {
    const manifest = irisManifest();
    generateOpenApi(manifest);
    expect(manifest).toEqual(irisManifest());
  });
});

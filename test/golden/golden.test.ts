import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { formatDiagnostics } from "../../cli/code-frame.js";
import { compileService, DIAGNOSTICS } from "../../compiler/index.js";
import { generateOpenApi } from "../../generators/openapi/index.js";
import { writeBentoYaml } from "../../manifest/bento-yaml.js";
import { validateManifest } from "../../manifest/validate.js";
import { openApiProblems } from "../openapi/validate-openapi.js";
import { metaschemaProblems } from "../support/json-schema.js";
import { goldenText, GOLDEN_CREATION_TIME, listFixtures, type Fixture } from "../support/fixtures.js";
import { checkSamples } from "./samples.js";

const fixtures = listFixtures();
const compiled = (fixture: Fixture) => compileService(fixture.serviceFile, { creationTime: GOLDEN_CREATION_TIME });

describe.each(fixtures.filter((fixture) => !fixture.expectedCode))("fixture $name", (fixture) => {
  const result = compiled(fixture);

  it("compiles without errors", () => {
    expect(formatDiagnostics(result.diagnostics, { color: false, cwd: fixture.dir })).toBe("");
    expect(result.manifest).toBeDefined();
  });

  it("writes the expected bento.yaml, which reads back as a valid manifest", () => {
    const validation = validateManifest(result.manifest);
    expect(validation.ok ? [] : validation.problems).toEqual([]);
    const text = writeBentoYaml(result.manifest!);
    expect(text).toBe(goldenText(fixture, "bento.yaml", text));
  });

  it("writes only schemas that are valid under the JSON Schema 2020-12 metaschema", () => {
    expect(metaschemaProblems(result.manifest!)).toEqual([]);
  });

  it("writes the expected openapi.json, valid under two OpenAPI 3.1 validators", async () => {
    const text = generateOpenApi(result.manifest!).get("openapi.json")!;
    expect(text).toBe(goldenText(fixture, "openapi.json", text));
    expect(await openApiProblems(JSON.parse(text))).toEqual([]);
  });

  it("accepts the valid samples and rejects the invalid ones", () => {
    checkSamples(fixture, result.manifest!);
  });
});

describe.each(fixtures.filter((fixture) => fixture.expectedCode))("diagnostic fixture $name", (fixture) => {
  const result = compiled(fixture);

  it(`reports ${fixture.expectedCode} with the expected messages`, () => {
    // An error stops the compile; a warning's fixture still compiles.
    if (DIAGNOSTICS[fixture.expectedCode as keyof typeof DIAGNOSTICS]?.category === "error") expect(result.manifest).toBeUndefined();
    expect(result.diagnostics.map((d) => d.code)).toContain(fixture.expectedCode);
    const text = formatDiagnostics(result.diagnostics, { color: false, cwd: fixture.dir });
    expect(text).toBe(goldenText(fixture, "diagnostics.txt", text));
  });
});

describe("fixture coverage", () => {
  it("has a diagnostic fixture for every code in the table", () => {
    const covered = new Set(fixtures.map((fixture) => fixture.expectedCode).filter(Boolean));
    expect(Object.keys(DIAGNOSTICS).filter((code) => !covered.has(code))).toEqual([]);
  });

  it("has at least 30 type-mapping fixtures, each with samples", () => {
    const typeFixtures = fixtures.filter((fixture) => !fixture.expectedCode);
    expect(typeFixtures.length).toBeGreaterThanOrEqual(30);
    const withoutSamples = typeFixtures.filter((fixture) => !fs.existsSync(path.join(fixture.dir, "samples.json")));
    expect(withoutSamples.map((fixture) => fixture.name)).toEqual([]);
  });
});

import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import YAML from "yaml";
import { readBentoYaml } from "../../manifest/bento-yaml.js";
import { openApiProblems } from "../openapi/validate-openapi.js";
import { REPO_ROOT, runCli, tempDir } from "../support/run-cli.js";

const EXAMPLE = path.join(REPO_ROOT, "examples/quickstart/service.ts");
const BROKEN = path.join(REPO_ROOT, "fixtures/diag-btc1001-no-service/service.ts");
const work = tempDir("cli");
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe("bentoc compile", () => {
  it("writes a valid manifest and OpenAPI document for the example", async () => {
    const out = path.join(work, "example");
    const run = runCli(["compile", EXAMPLE, "-o", out]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Compiled Quickstart \(quickstart:[a-z2-7]{16}\)/);
    const manifest = readBentoYaml(fs.readFileSync(path.join(out, "bento.yaml"), "utf8"));
    expect(manifest.services[0]!.apis.map((api) => [api.name, api.kind])).toEqual([["sentiment", "unary"], ["echo", "stream"], ["digest", "unary"]]);
    const openapi = JSON.parse(fs.readFileSync(path.join(out, "openapi.json"), "utf8"));
    expect(await openApiProblems(openapi)).toEqual([]);
  });

  it("writes byte-identical files when compiling unchanged sources twice", () => {
    const first = path.join(work, "first");
    const second = path.join(work, "second");
    expect(runCli(["compile", EXAMPLE, "-o", first]).status).toBe(0);
    expect(runCli(["compile", EXAMPLE, "-o", second]).status).toBe(0);
    for (const file of ["bento.yaml", "openapi.json", "client/client.ts"]) {
      expect(fs.readFileSync(path.join(second, file))).toEqual(fs.readFileSync(path.join(first, file)));
    }
  });

  it("prints tsc-style diagnostics, exits 1 and writes nothing when the service has errors", () => {
    const out = path.join(work, "broken");
    const run = runCli(["compile", BROKEN, "-o", out]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/service\.ts:1:1 - error BTC1001: No exported class decorated with @service\(\)/);
    expect(run.stderr).toMatch(/Found 1 error\./);
    expect(fs.existsSync(out)).toBe(false);
  });

  it("leaves earlier output untouched when a later compile fails", () => {
    const out = path.join(work, "kept");
    expect(runCli(["compile", EXAMPLE, "-o", out]).status).toBe(0);
    const before = fs.readFileSync(path.join(out, "bento.yaml"), "utf8");
    expect(runCli(["compile", BROKEN, "-o", out]).status).toBe(1);
    expect(fs.readFileSync(path.join(out, "bento.yaml"), "utf8")).toBe(before);
    expect(fs.readdirSync(out).sort()).toEqual(["bento.yaml", "client", "openapi.json"]);
  });

  it("prints diagnostics as JSON objects with --json", () => {
    const run = runCli(["compile", BROKEN, "-o", path.join(work, "json"), "--json"]);
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as { ok: boolean; diagnostics: { code: string; line: number; column: number; file: string }[] };
    expect(report.ok).toBe(false);
    expect(report.diagnostics).toEqual([expect.objectContaining({ code: "BTC1001", category: "error", line: 1, column: 1, file: BROKEN })]);
  });

  it("answers a missing file with one line and no stack trace", () => {
    const run = runCli(["compile", "does-not-exist.ts"]);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe("bentoc: error: cannot find service file 'does-not-exist.ts'\n");
  });

  it("answers an unknown flag with usage guidance and exit code 2", () => {
    const run = runCli(["compile", EXAMPLE, "--outt", "x"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^bentoc: error: Unknown argument: outt/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it("shows examples in --help", () => {
    const run = runCli(["compile", "--help"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Examples:/);
    expect(run.stdout).toMatch(/bentoc compile service\.ts/);
  });
});

describe("bentoc openapi", () => {
  it("prints the document as JSON by default", async () => {
    const run = runCli(["openapi", EXAMPLE]);
    expect(run.status).toBe(0);
    const document = JSON.parse(run.stdout);
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(["/sentiment", "/echo", "/digest"]));
    expect(await openApiProblems(document)).toEqual([]);
  });

  it("writes YAML that parses back to the JSON document", () => {
    const file = path.join(work, "api.yaml");
    const run = runCli(["openapi", EXAMPLE, "-o", file, "--format", "yaml"]);
    expect(run.status).toBe(0);
    const json = JSON.parse(runCli(["openapi", EXAMPLE]).stdout);
    expect(YAML.parse(fs.readFileSync(file, "utf8"))).toEqual(json);
  });

  it("rejects an unknown format", () => {
    const run = runCli(["openapi", EXAMPLE, "--format", "xml"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/Invalid values/);
  });
});

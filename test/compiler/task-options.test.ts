// Per-task options (#20): read from `@task()` as literals, checked against their range, and
// carried to the manifest only when written, so manifests of tasks without them stay as they were.
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compileService } from "../../compiler/index.js";
import { REPO_ROOT } from "../support/run-cli.js";

const work = fs.mkdtempSync(path.join(REPO_ROOT, ".bentoc-tmp-"));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function compileWith(name: string, members: string, declarations = "") {
  const file = path.join(work, `${name}.ts`);
  fs.writeFileSync(file, `import { api, service, task } from "bentoc";\n${declarations}\n@service()\nexport class Jobs {\n${members}\n}\n`);
  return compileService(file);
}

const codesOf = (result: ReturnType<typeof compileService>) => result.diagnostics.map((diagnostic) => diagnostic.code);

describe("@task() options retriesOnLoss and retentionS", () => {
  it("carries them to the task's manifest, and only where written", () => {
    const result = compileWith("good", [
      "  @task({ retriesOnLoss: 2, retentionS: 60 }) async train(): Promise<number> { return 1; }",
      "  @task({ retriesOnLoss: 0 }) async once(): Promise<void> {}",
      "  @task({ retentionS: RETENTION }) async kept(): Promise<void> {}",
      "  @task() async plain(): Promise<void> {}",
    ].join("\n"), "const RETENTION = 7 * 24 * 3600;");
    expect(result.diagnostics).toEqual([]);
    const apis = result.manifest!.services[0]!.apis;
    expect(apis.map((api) => [api.name, api.task])).toEqual([
      ["train", { retriesOnLoss: 2, retentionS: 60 }],
      ["once", { retriesOnLoss: 0 }],
      ["kept", { retentionS: 604_800 }],
      ["plain", undefined],
    ]);
    expect(Object.hasOwn(apis[3]!, "task")).toBe(false);
  });

  it("refuses a value out of range or not whole with BTC1005 at the option", () => {
    const result = compileWith("bad", [
      "  @task({ retriesOnLoss: 11 }) async a(): Promise<void> {}",
      "  @task({ retriesOnLoss: -1 }) async b(): Promise<void> {}",
      "  @task({ retentionS: 0 }) async c(): Promise<void> {}",
      "  @task({ retentionS: 1.5 }) async d(): Promise<void> {}",
      "  @task({ retentionS: 315360001 }) async e(): Promise<void> {}",
    ].join("\n"));
    expect(result.manifest).toBeUndefined();
    expect(codesOf(result)).toEqual(["BTC1005", "BTC1005", "BTC1005", "BTC1005", "BTC1005"]);
    expect(result.diagnostics.map((diagnostic) => diagnostic.line)).toEqual([5, 6, 7, 8, 9]);
    expect(result.diagnostics[0]!.message).toContain("retriesOnLoss");
    expect(result.diagnostics[0]!.message).toContain("from 0 to 10");
    expect(result.diagnostics[4]!.message).toContain("from 1 to 315360000");
  });

  it("refuses a value it cannot read at compile time with BTC1003", () => {
    const result = compileWith("dynamic", "  @task({ retriesOnLoss: Number(process.env.RETRIES) }) async a(): Promise<void> {}", "declare const process: { env: Record<string, string | undefined> };");
    expect(codesOf(result)).toEqual(["BTC1003"]);
  });

  it("is not an @api() option", () => {
    const result = compileWith("on-api", "  // @ts-expect-error -- not an ApiOptions key\n  @api({ retriesOnLoss: 1 }) async a(): Promise<number> { return 1; }");
    expect(codesOf(result)).toEqual(["BTC1004"]);
  });
});

import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT, runCli, tempDir } from "../support/run-cli.js";

const EXAMPLE = path.join(REPO_ROOT, "examples/quickstart/service.ts");
const BROKEN = path.join(REPO_ROOT, "fixtures/diag-btc1001-no-service/service.ts");
const work = tempDir("client-cli");
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe("bentoc client", () => {
  it("writes client.ts and the runtime beside it", () => {
    const out = path.join(work, "api");
    const run = runCli(["client", EXAMPLE, "-o", out]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Generated the client of Quickstart → .*client\.ts \(and \d+ runtime files beside it\)\n$/);
    expect(fs.readFileSync(path.join(out, "client.ts"), "utf8")).toMatch(/export class QuickstartClient \{/);
    expect(fs.readdirSync(path.join(out, "runtime"))).toContain("transport.ts");
  });

  it("prints diagnostics, exits 1 and writes nothing when the service has errors", () => {
    const out = path.join(work, "broken");
    const run = runCli(["client", BROKEN, "-o", out]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/error BTC1001/);
    expect(fs.existsSync(out)).toBe(false);
  });

  it("is also written by `bentoc compile`, under client/", () => {
    const out = path.join(work, "compiled");
    expect(runCli(["compile", EXAMPLE, "-o", out]).status).toBe(0);
    expect(fs.readFileSync(path.join(out, "client", "client.ts"), "utf8")).toBe(fs.readFileSync(path.join(work, "api", "client.ts"), "utf8"));
  });
});

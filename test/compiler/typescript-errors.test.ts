import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compileService } from "../../compiler/index.js";
import { REPO_ROOT } from "../support/run-cli.js";

// Inside the repo so "bentoc" resolves to this package, as it does for an installed one.
const work = fs.mkdtempSync(path.join(REPO_ROOT, ".bentoc-tmp-"));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const SERVICE = `import { api, service } from "bentoc";

@service()
export class Calc {
  @api()
  async twice(x: number): Promise<number> {
    const label: string = x * 2;
    return helper(x);
  }
}

function helper(value) {
  return value * 2;
}
`;

function project(name: string, compilerOptions: object): string {
  const dir = path.join(work, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "service.ts"), SERVICE);
  fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { target: "ES2022", module: "ESNext", moduleResolution: "Bundler", skipLibCheck: true, noEmit: true, ...compilerOptions }, include: ["service.ts"] }));
  return dir;
}

/** `file(line,col): error TSnnnn` lines of the real tsc, as code@line:col. */
function tscErrors(dir: string): string[] {
  const tsc = path.join(REPO_ROOT, "node_modules/typescript/bin/tsc");
  const run = spawnSync(process.execPath, [tsc, "-p", path.join(dir, "tsconfig.json"), "--pretty", "false"], { encoding: "utf8", cwd: dir });
  return [...run.stdout.matchAll(/\((\d+),(\d+)\): error (TS\d+)/g)].map((m) => `${m[3]}@${m[1]}:${m[2]}`);
}

describe("TypeScript errors of the service", () => {
  it("are reported with the same codes and positions as tsc, and stop the compile", () => {
    const dir = project("strict", { strict: true });
    const result = compileService(path.join(dir, "service.ts"));
    const ours = result.diagnostics.filter((d) => d.code.startsWith("TS")).map((d) => `${d.code}@${d.line}:${d.column}`);
    expect(ours).toEqual(tscErrors(dir));
    expect(ours).toEqual(expect.arrayContaining(["TS2322@7:11", "TS7006@12:17"]));
    expect(result.manifest).toBeUndefined();
  });

  it("follow the nearby tsconfig.json: without noImplicitAny the untyped helper is fine", () => {
    const dir = project("loose", { strict: false, strictNullChecks: true });
    const result = compileService(path.join(dir, "service.ts"));
    const ours = result.diagnostics.map((d) => `${d.code}@${d.line}:${d.column}`);
    expect(ours).toEqual(tscErrors(dir));
    expect(ours).toEqual(["TS2322@7:11"]);
  });
});

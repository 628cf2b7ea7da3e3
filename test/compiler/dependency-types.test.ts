// The declaration bentoc writes beside a service file whose services depend on each other
// (service.bentoc.d.ts): with it, a depends() call's named arguments are type-checked in the
// user's project; without it they are Record<string, unknown>, checked at run time only.
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT, runCli } from "../support/run-cli.js";

const work = fs.mkdtempSync(path.join(REPO_ROOT, ".bentoc-tmp-"));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const EMBEDDER = `import { api, service } from "bentoc";

@service()
export class Embedder {
  @api()
  async embed(texts: string[], normalize?: boolean): Promise<number[][]> {
    return texts.map((text) => [text.length, normalize ? 1 : 0]);
  }
}
`;

const gateway = (call: string) => `import { api, depends, service } from "bentoc";
import { Embedder } from "./embedder.js";

@service()
export class Gateway {
  private readonly embedder = depends(Embedder);

  @api()
  async query(text: string): Promise<number> {
    const vectors: number[][] = await ${call};
    return vectors.length;
  }
}
`;

/** The project's own type check of the service file (and the declaration beside it, when there is one). */
function typeErrors(dir: string): string[] {
  const files = ["service.ts", "service.bentoc.d.ts"].map((file) => path.join(dir, file)).filter((file) => fs.existsSync(file));
  const program = ts.createProgram(files, {
    strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler,
    experimentalDecorators: false, useDefineForClassFields: true, skipLibCheck: true, noEmit: true, types: [],
  });
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));
}

function project(name: string, call: string): string {
  const dir = path.join(work, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "embedder.ts"), EMBEDDER);
  fs.writeFileSync(path.join(dir, "service.ts"), gateway(call));
  return dir;
}

describe("service.bentoc.d.ts: the named arguments of depends() handles", () => {
  it("is written by bentoc compile, and makes a call with the right arguments type-check", () => {
    const dir = project("right", "this.embedder.embed({ texts: [text], normalize: true })");
    const run = runCli(["compile", path.join(dir, "service.ts"), "-o", path.join(dir, "out")]);
    expect(run.status, run.stderr).toBe(0);
    const declaration = fs.readFileSync(path.join(dir, "service.bentoc.d.ts"), "utf8");
    expect(declaration).toContain(`"embed": { "texts": Parameters<EmbedderClass["embed"]>[0]; "normalize"?: Parameters<EmbedderClass["embed"]>[1] };`);
    expect(typeErrors(dir)).toEqual([]);
  });

  it("makes a call with a wrong or misnamed argument a type error, which without it would pass", () => {
    for (const [name, call] of [["wrong-type", "this.embedder.embed({ texts: [1, 2] })"], ["misnamed", "this.embedder.embed({ text: [text] })"]] as const) {
      const dir = project(name, call);
      expect(typeErrors(dir), `${name} without the declaration`).toEqual([]);
      expect(runCli(["compile", path.join(dir, "service.ts"), "-o", path.join(dir, "out")]).status).toBe(0); // bentoc checks arguments at run time
      expect(typeErrors(dir).length, `${name} with the declaration`).toBeGreaterThan(0);
    }
  });

  it("is removed when the services no longer depend on each other", () => {
    const dir = project("removed", "this.embedder.embed({ texts: [text] })");
    expect(runCli(["compile", path.join(dir, "service.ts"), "-o", path.join(dir, "out")]).status).toBe(0);
    expect(fs.existsSync(path.join(dir, "service.bentoc.d.ts"))).toBe(true);
    fs.writeFileSync(path.join(dir, "service.ts"), `import { api, service } from "bentoc";\n\n@service()\nexport class Gateway {\n  @api()\n  async query(text: string): Promise<number> {\n    return text.length;\n  }\n}\n`);
    expect(runCli(["compile", path.join(dir, "service.ts"), "-o", path.join(dir, "out")]).status).toBe(0);
    expect(fs.existsSync(path.join(dir, "service.bentoc.d.ts"))).toBe(false);
  });
});

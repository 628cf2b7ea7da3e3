// Guards against hangs, not a timing assert: each type below once made the compiler run for
// minutes or crash (an exponential schema, or one BTC2011 per branch). Each must now end in
// one coded diagnostic; the generous timeout only turns a regression into a failure.
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compileService } from "../../compiler/index.js";
import { REPO_ROOT } from "../support/run-cli.js";

const work = fs.mkdtempSync(path.join(REPO_ROOT, ".bentoc-tmp-"));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function compileWith(name: string, declarations: string, signature: string) {
  const file = path.join(work, `${name}.ts`);
  fs.writeFileSync(file, `import { api, service } from "bentoc";\n${declarations}\n@service()\nexport class Unbounded {\n  @api()\n  async ${signature} { throw new Error("not called"); }\n}\n`);
  return compileService(file);
}

// Ten levels of four anonymous copies each: about a million schemas if written out.
const WIDE = ["const l0 = { x: 1 };", ...Array.from({ length: 10 }, (_, level) => `const l${level + 1} = { a: l${level}, b: l${level}, c: l${level}, d: l${level} };`)].join("\n");

const CASES: { name: string; declarations: string; signature: string; reason: RegExp }[] = [
  { name: "tuple-nesting", declarations: "export interface Grow<X> { value: X; next: Grow<[X]> }", signature: "grow(g: Grow<number>): Promise<number>", reason: /keeps expanding into new generic instances/ },
  { name: "branching-generic", declarations: "export interface Grow<X> { value: X; left: Grow<{ l: X }>; right: Grow<{ r: X }> }", signature: "grow(g: Grow<number>): Promise<number>", reason: /keeps expanding into new generic instances/ },
  { name: "wide-anonymous", declarations: WIDE, signature: "big(): Promise<typeof l10>", reason: /more than 250000 schemas/ },
];

describe("types that never end, or end only after millions of schemas", () => {
  it.each(CASES)("$name is refused with one BTC2011", ({ name, declarations, signature, reason }) => {
    const result = compileWith(name, declarations, signature);
    expect(result.manifest).toBeUndefined();
    expect(result.diagnostics.map((diagnostic) => diagnostic.code)).toEqual(["BTC2011"]);
    expect(result.diagnostics[0]!.message).toMatch(reason);
  }, 60_000);
});

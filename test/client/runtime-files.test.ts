import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { RUNTIME_FILES } from "../../generators/client/runtime-files.js";
import { UPDATE_GOLDEN } from "../support/fixtures.js";
import { REPO_ROOT } from "../support/run-cli.js";

// sdk/client/ is the client runtime's source; generated clients carry a copy of these files,
// which the generator (a pure function, so no file reads) holds as text in runtime-files.ts.
const SOURCE_DIR = path.join(REPO_ROOT, "sdk", "client");
const MIRROR = path.join(REPO_ROOT, "generators", "client", "runtime-files.ts");
/** sdk/client files a generated client does not need: the dynamic client and its OpenAPI reader. */
const DYNAMIC_ONLY = new Set(["index.ts", "openapi.ts"]);

function runtimeSources(): Map<string, string> {
  const names = fs.readdirSync(SOURCE_DIR).filter((name) => name.endsWith(".ts") && !DYNAMIC_ONLY.has(name)).sort();
  return new Map(names.map((name) => [name, fs.readFileSync(path.join(SOURCE_DIR, name), "utf8")]));
}

function mirrorModule(files: Map<string, string>): string {
  const entries = [...files].map(([name, text]) => `  [${JSON.stringify(name)}, ${JSON.stringify(text)}],`).join("\n");
  return `// The client runtime that generated clients carry, as text: a copy of sdk/client/ (its source),
// kept in step by test/client/runtime-files.test.ts; \`UPDATE_GOLDEN=1\` rewrites it. Do not edit.
export const RUNTIME_FILES: ReadonlyMap<string, string> = new Map([
${entries}
]);
`;
}

describe("client runtime copy", () => {
  it("is sdk/client/ as it is now (UPDATE_GOLDEN=1 rewrites it)", () => {
    const expected = mirrorModule(runtimeSources());
    if (UPDATE_GOLDEN) fs.writeFileSync(MIRROR, expected);
    expect(fs.readFileSync(MIRROR, "utf8")).toBe(expected);
    expect([...RUNTIME_FILES.keys()]).toEqual([...runtimeSources().keys()]);
  });

  it("imports nothing but its own files, so a generated client needs no package", () => {
    for (const [name, text] of runtimeSources()) {
      const specifiers = [...text.matchAll(/\bfrom\s+"([^"]+)"/g)].map((match) => match[1]!);
      expect(specifiers.filter((specifier) => !/^\.\/[a-z-]+\.js$/.test(specifier) || DYNAMIC_ONLY.has(specifier.slice(2).replace(/\.js$/, ".ts"))), name).toEqual([]);
    }
  });
});

import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { collectIncludedFiles } from "../../cli/build/include-files.js";
import { tempDir } from "../support/run-cli.js";

let dir: string;
let outside: string;
beforeEach(() => {
  dir = tempDir("include");
  outside = tempDir("outside");
  for (const [name, text] of Object.entries({ "service.ts": "s", "data/a.txt": "a", "data/b.key": "b", "node_modules/x/index.js": "x", ".bentoc/build/main.ts": "m", ".env": "E=1" })) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  fs.writeFileSync(path.join(outside, "secret"), "secret");
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(outside, { recursive: true, force: true });
});

const names = (files: Map<string, Uint8Array>) => [...files.keys()];

describe("files a bento includes", () => {
  it("matches include minus exclude, never node_modules or .bentoc, in sorted order", () => {
    expect(names(collectIncludedFiles(dir, ["**/*"], []))).toEqual([".env", "data/a.txt", "data/b.key", "service.ts"]);
    expect(names(collectIncludedFiles(dir, ["**/*"], ["**/*.key", ".env"]))).toEqual(["data/a.txt", "service.ts"]);
    expect(names(collectIncludedFiles(dir, ["data/**"], []))).toEqual(["data/a.txt", "data/b.key"]);
  });

  it("copies a link to a file inside the project as that file", () => {
    fs.symlinkSync(path.join(dir, "data/a.txt"), path.join(dir, "alias.txt"));
    const files = collectIncludedFiles(dir, ["*.txt"], []);
    expect(names(files)).toEqual(["alias.txt"]);
    expect(Buffer.from(files.get("alias.txt")!).toString()).toBe("a");
  });

  it.each([
    ["a file", (target: string) => path.join(target, "secret")],
    ["a folder", (target: string) => target],
  ])("refuses a link to %s outside the project, even in a subfolder", (_what, target) => {
    fs.symlinkSync(target(outside), path.join(dir, "data", "leak"));
    expect(() => collectIncludedFiles(dir, ["**/*"], [])).toThrow(/^data\/leak is a link to .*, outside .*; a bento only carries files from its project/);
  });
});

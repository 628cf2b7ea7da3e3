import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isNativePackage, packageOfFile } from "../../cli/build/packages.js";
import { runtimePackageFiles } from "../../cli/build/runtime-lockfile.js";
import { CliError } from "../../cli/errors.js";
import { REPO_ROOT, tempDir } from "../support/run-cli.js";

let project: string;
beforeEach(() => {
  project = tempDir("lock");
});
afterEach(() => fs.rmSync(project, { recursive: true, force: true }));

/** Writes a package folder under the project (`node_modules/a`, `node_modules/a/node_modules/b`, …). */
function installed(key: string, version: string, files: Record<string, string> = {}): { name: string; version: string; dir: string } {
  const dir = path.join(project, key);
  const name = key.slice(key.lastIndexOf("node_modules/") + "node_modules/".length);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name, version }));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return { name, version, dir };
}

function writeLock(packages: Record<string, object>): string {
  const file = path.join(project, "package-lock.json");
  fs.writeFileSync(file, JSON.stringify({ name: "app", lockfileVersion: 3, requires: true, packages: { "": { name: "app" }, ...packages } }));
  return file;
}

const entry = (version: string, extra: object = {}) => ({ version, integrity: `sha512-${version}`, ...extra });

describe("native packages", () => {
  it.each([
    ["a binding.gyp", { "binding.gyp": "{}" }, true],
    ["a prebuilds folder", { "prebuilds/linux-x64/x.node": "" }, true],
    ["a .node addon deep inside", { "bin/napi-v6/linux/x64/addon.node": "" }, true],
    ["only JavaScript", { "index.js": "", "lib/a.js": "" }, false],
    ["an addon only in its own node_modules", { "node_modules/dep/x.node": "" }, false],
  ])("a package with %s is native: %s", (_what, files, native) => {
    expect(isNativePackage(installed(`node_modules/p${Object.keys(files).join("").length}`, "1.0.0", files).dir)).toBe(native);
  });

  it("finds the real ones in this repository", () => {
    expect(isNativePackage(path.join(REPO_ROOT, "node_modules/lmdb"))).toBe(true);
    expect(isNativePackage(path.join(REPO_ROOT, "node_modules/onnxruntime-node"))).toBe(true);
    expect(isNativePackage(path.join(REPO_ROOT, "node_modules/fastify"))).toBe(false);
  });

  it("names the package a file belongs to, scoped or not", () => {
    expect(packageOfFile(path.join(REPO_ROOT, "node_modules/@fastify/cors/index.js"))?.name).toBe("@fastify/cors");
    expect(packageOfFile(path.join(REPO_ROOT, "node_modules/fastify/lib/route.js"))?.name).toBe("fastify");
    expect(packageOfFile(path.join(REPO_ROOT, "runtime/server.ts"))).toBeUndefined();
  });
});

describe("the bento's lockfile, cut from the project's", () => {
  it("locks the runtime packages and their dependencies, drops dev flags, marks optional-only entries", () => {
    const native = installed("node_modules/native", "2.0.0");
    const lock = writeLock({
      "node_modules/native": entry("2.0.0", { dev: true, dependencies: { helper: "^1" }, optionalDependencies: { "native-linux": "2.0.0" } }),
      "node_modules/helper": entry("1.2.0", { dev: true }),
      "node_modules/native-linux": entry("2.0.0", { optional: true, os: ["linux"] }),
      "node_modules/unrelated": entry("9.9.9"),
    });
    const files = runtimePackageFiles("svc", [native], lock);
    const packageJson = JSON.parse(files["package.json"]);
    const cut = JSON.parse(files["package-lock.json"]);
    expect(packageJson).toEqual({ name: "svc", version: "0.0.0", private: true, dependencies: { native: "2.0.0" } });
    expect(cut.packages).toEqual({
      "": { name: "svc", version: "0.0.0", dependencies: { native: "2.0.0" } },
      "node_modules/helper": entry("1.2.0"),
      "node_modules/native": entry("2.0.0", { dependencies: { helper: "^1" }, optionalDependencies: { "native-linux": "2.0.0" } }),
      "node_modules/native-linux": entry("2.0.0", { optional: true, os: ["linux"] }),
    });
  });

  it("moves a runtime package nested under a bundled one to the top, with what was nested under it", () => {
    const pino = installed("node_modules/fastify/node_modules/pino", "10.0.0");
    const lock = writeLock({
      "node_modules/fastify": entry("5.0.0", { dependencies: { pino: "^10" } }),
      "node_modules/fastify/node_modules/pino": entry("10.0.0", { dependencies: { "sonic-boom": "^4", "thread-stream": "^4" } }),
      "node_modules/fastify/node_modules/pino/node_modules/sonic-boom": entry("4.1.0"),
      "node_modules/fastify/node_modules/thread-stream": entry("4.0.0"),
      "node_modules/thread-stream": entry("3.0.0"),
    });
    const cut = JSON.parse(runtimePackageFiles("svc", [pino], lock)["package-lock.json"]);
    expect(Object.keys(cut.packages).sort()).toEqual(["", "node_modules/pino", "node_modules/pino/node_modules/sonic-boom", "node_modules/thread-stream"]);
    // pino resolved thread-stream 4 (beside it under fastify), not the top-level 3: so must the bento.
    expect(cut.packages["node_modules/thread-stream"].version).toBe("4.0.0");
  });

  it("refuses a lockfile that lacks a dependency or a runtime package, saying what to run", () => {
    const native = installed("node_modules/native", "2.0.0");
    expect(() => runtimePackageFiles("svc", [native], writeLock({ "node_modules/native": entry("2.0.0", { dependencies: { gone: "^1" } }) })))
      .toThrow(new CliError("the lockfile has no entry for gone, which node_modules/native needs; run `npm install` to repair it"));
    expect(() => runtimePackageFiles("svc", [native], writeLock({})))
      .toThrow(/native \(.*\) is not an installed package in .*package-lock\.json; run `npm install`/);
  });

  it("finds packages installed in a linked folder (a file: dependency) in that folder's lockfile, or npm's record of its install", () => {
    // The project links ../tool (as `"tool": "file:../tool"` does); npm left tool's own packages in tool/node_modules.
    const tool = path.join(project, "tool");
    const app = path.join(project, "app");
    const native = installed("tool/node_modules/native", "2.0.0");
    const own = installed("app/node_modules/own", "1.0.0");
    fs.mkdirSync(app, { recursive: true });
    const appLock = path.join(app, "package-lock.json");
    const lockfile = (packages: object) => JSON.stringify({ lockfileVersion: 3, packages });
    fs.writeFileSync(appLock, lockfile({ "": { name: "app" }, "node_modules/tool": { resolved: "../tool", link: true }, "../tool": { name: "tool" }, "node_modules/own": entry("1.0.0") }));
    fs.writeFileSync(path.join(tool, "package-lock.json"), lockfile({ "": { name: "tool" }, "node_modules/native": entry("2.0.0", { dependencies: { helper: "^1" } }), "node_modules/helper": entry("1.1.0", { dev: true }) }));
    const cut = (packages: object[]) => JSON.parse(runtimePackageFiles("svc", packages as never, appLock)["package-lock.json"]).packages;
    expect(cut([native, own])).toEqual({
      "": { name: "svc", version: "0.0.0", dependencies: { native: "2.0.0", own: "1.0.0" } },
      "node_modules/helper": entry("1.1.0"),
      "node_modules/native": entry("2.0.0", { dependencies: { helper: "^1" } }),
      "node_modules/own": entry("1.0.0"),
    });

    // No package-lock.json in the linked folder: npm's hidden lockfile of that install says the same.
    fs.renameSync(path.join(tool, "package-lock.json"), path.join(tool, "node_modules", ".package-lock.json"));
    expect(cut([native])["node_modules/native"]).toEqual(entry("2.0.0", { dependencies: { helper: "^1" } }));

    fs.rmSync(path.join(tool, "node_modules", ".package-lock.json"));
    expect(() => cut([native])).toThrow(new CliError(`native (${native.dir}) is listed neither in ${appLock} nor in a lockfile of ${tool}, where it was installed; run \`npm install\` in ${tool}`));
  });

  it("takes a package two lockfiles both bring once, and refuses two different ones in one place", () => {
    const tool = path.join(project, "tool");
    const native = installed("tool/node_modules/native", "2.0.0");
    const own = installed("node_modules/own", "1.0.0");
    const lock = writeLock({ "node_modules/own": entry("1.0.0", { dependencies: { helper: "^1" } }), "node_modules/helper": entry("1.1.0") });
    const toolLock = (helper: string) =>
      fs.writeFileSync(path.join(tool, "package-lock.json"), JSON.stringify({ lockfileVersion: 3, packages: { "node_modules/native": entry("2.0.0", { dependencies: { helper: "^1" } }), "node_modules/helper": entry(helper) } }));
    toolLock("1.1.0");
    expect(Object.keys(JSON.parse(runtimePackageFiles("svc", [native, own], lock)["package-lock.json"]).packages)).toEqual(["", "node_modules/helper", "node_modules/native", "node_modules/own"]);
    toolLock("1.2.0");
    expect(() => runtimePackageFiles("svc", [native, own], lock)).toThrow(/two versions of helper would need the same place/);
  });

  it("refuses a layout where two versions would need the same place", () => {
    const a = installed("node_modules/a", "1.0.0");
    const b = installed("node_modules/x/node_modules/b", "1.0.0");
    const lock = writeLock({
      "node_modules/a": entry("1.0.0", { dependencies: { c: "^1" } }),
      "node_modules/c": entry("1.0.0"),
      "node_modules/x": entry("1.0.0"),
      "node_modules/x/node_modules/b": entry("1.0.0", { dependencies: { c: "^2" } }),
      "node_modules/x/node_modules/c": entry("2.0.0"),
    });
    expect(() => runtimePackageFiles("svc", [a, b], lock)).toThrow(/two versions of c would need the same place; run `npm dedupe`/);
  });
});

import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ModelStore, StoreError } from "../../store/model-store.js";
import { tempDir } from "../support/run-cli.js";
import { treeOf } from "./store-fixtures.js";
import { rawTarGz } from "./tar-bytes.js";

let root: string;
let home: string;
let source: string;
let clock: number;
let store: ModelStore;

beforeEach(() => {
  root = tempDir("model-store");
  home = path.join(root, "home");
  source = path.join(root, "iris-model");
  fs.mkdirSync(path.join(source, "tokenizer"), { recursive: true });
  fs.writeFileSync(path.join(source, "model.onnx"), Buffer.from([1, 2, 3, 4]));
  fs.writeFileSync(path.join(source, "tokenizer", "vocab.txt"), "setosa\nversicolor\nvirginica\n");
  fs.writeFileSync(path.join(source, "model.yaml"), "a user file that happens to share the name\n");
  clock = Date.parse("2025-05-01T00:00:00Z");
  store = new ModelStore(home, () => new Date((clock += 1000)));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const sha256 = (file: string) => createHash("sha256").update(fs.readFileSync(file)).digest("hex");
const described = (relative: string) => {
  const file = path.join(source, ...relative.split("/"));
  return { path: relative, sizeBytes: fs.statSync(file).size, sha256: sha256(file) };
};

describe("ModelStore", () => {
  it("imports a directory with model.yaml listing each file's size and sha256", () => {
    const model = store.importDirectory(source, { name: "iris", labels: { stage: "dev" }, metadata: { framework: "onnx" } });
    expect(model.tag).toMatch(/^iris:[a-z2-7]{16}$/);
    expect(model.info.files).toEqual([described("model.onnx"), described("model.yaml"), described("tokenizer/vocab.txt")]);
    expect(model.info).toMatchObject({ name: "iris", sizeBytes: 4 + 43 + 28, labels: { stage: "dev" }, metadata: { framework: "onnx" }, creationTime: "2025-05-01T00:00:01.000Z" });
    expect(fs.readFileSync(path.join(model.path, "tokenizer", "vocab.txt"), "utf8")).toContain("versicolor");
    expect(fs.readFileSync(path.join(model.dir, "model.yaml"), "utf8")).toContain("sha256:");
  });

  it("gives identical files the same version, so importing twice is a no-op", () => {
    const first = store.importDirectory(source, { name: "iris" });
    const second = store.importDirectory(source, { name: "iris" });
    expect(second.tag).toBe(first.tag);
    expect(second.creationTime).toBe(first.creationTime);
    expect(store.list()).toHaveLength(1);
    fs.writeFileSync(path.join(source, "model.onnx"), Buffer.from([9]));
    const changed = store.importDirectory(source, { name: "iris" });
    expect(changed.version).not.toBe(first.version);
    expect(store.get("iris:latest").version).toBe(changed.version);
  });

  it("takes an explicit version and a single file", () => {
    const model = store.importDirectory(path.join(source, "model.onnx"), { name: "iris", version: "v1" });
    expect(model.tag).toBe("iris:v1");
    expect(model.info.files.map((f) => f.path)).toEqual(["model.onnx"]);
  });

  it("round-trips through export, delete and import with identical sha256s", async () => {
    const imported = store.importDirectory(source, { name: "iris", labels: { team: "ml" } });
    const archive = path.join(root, "iris.tar.gz");
    store.exportTo("iris:latest", archive);
    store.delete(imported.tag);
    expect(store.list()).toEqual([]);
    const back = await store.importFrom(archive);
    expect(back.tag).toBe(imported.tag);
    expect(back.info).toEqual(imported.info);
    for (const file of back.info.files) expect(sha256(path.join(back.path, file.path))).toBe(file.sha256);
  });

  it("refuses an archive whose files do not match model.yaml, leaving no entry", async () => {
    const imported = store.importDirectory(source, { name: "iris" });
    fs.writeFileSync(path.join(imported.path, "model.onnx"), Buffer.from([6, 6, 6, 6]));
    const archive = path.join(root, "tampered.tar.gz");
    store.exportTo(imported.tag, archive);
    store.delete(imported.tag);
    await expect(store.importFrom(archive)).rejects.toThrow(/model\.onnx does not match the sha256/);
    expect(store.list()).toEqual([]);
    expect(treeOf(path.join(home, "models")).filter((p) => !p.startsWith(".staging"))).toEqual([]);
  });

  it("refuses a model archive with an escaping path before writing anything", async () => {
    const archive = path.join(root, "evil.tar.gz");
    fs.writeFileSync(archive, rawTarGz([{ path: "model.yaml", data: "name: x\n" }, { path: "files/../../../evil", data: "owned" }]));
    const before = treeOf(root);
    await expect(store.importFrom(archive)).rejects.toThrow(/contains "\.\."; nothing was written/);
    expect(treeOf(root)).toEqual(before);
  });

  it("follows a link to a file inside the model directory", () => {
    fs.symlinkSync("model.onnx", path.join(source, "alias.onnx"));
    const model = store.importDirectory(source, { name: "iris" });
    const alias = model.info.files.find((f) => f.path === "alias.onnx");
    expect(alias?.sha256).toBe(sha256(path.join(source, "model.onnx")));
    expect(fs.lstatSync(path.join(model.path, "alias.onnx")).isSymbolicLink()).toBe(false);
  });

  it.each([
    ["a file outside", (outside: string) => path.join(outside, "secret.txt"), /symbolic link out of the model directory/],
    ["a directory outside", (outside: string) => outside, /symbolic link out of the model directory/],
    ["a directory inside", () => ".", /symbolic link to a directory/],
  ])("refuses a link to %s and leaves no partial entry", (_what, target, message) => {
    const outside = path.join(root, "outside");
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(outside, "secret.txt"), "secret");
    fs.symlinkSync(target(outside), path.join(source, "tokenizer", "link"));
    expect(() => store.importDirectory(source, { name: "iris" })).toThrow(message);
    expect(store.list()).toEqual([]);
    expect(treeOf(path.join(home, "models")).filter((p) => !p.startsWith(".staging"))).toEqual([]);
    expect(treeOf(path.join(home, "models", ".staging"))).toEqual([]);
  });

  it("refuses bad names and versions before building a path", () => {
    expect(() => store.importDirectory(source, { name: "../evil" })).toThrow(StoreError);
    expect(() => store.importDirectory(source, { name: "iris", version: "../../x" })).toThrow(StoreError);
    expect(() => store.importDirectory(source, { name: "iris", version: "latest" })).toThrow(/"latest" cannot be a version/);
    expect(() => store.importDirectory(path.join(root, "missing"), { name: "iris" })).toThrow(/does not exist/);
    expect(fs.existsSync(home)).toBe(false);
  });

  it("says which command lists models when one is missing", () => {
    expect(() => store.resolve("iris:latest")).toThrow(/No model iris:latest .*bentoc models list/);
  });
});

import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeBentoYaml } from "../../manifest/bento-yaml.js";
import { BentoStore, StoreError } from "../../store/bento-store.js";
import { tempDir } from "../support/run-cli.js";
import { bentoManifest, stageBento, treeOf } from "./store-fixtures.js";
import { rawTarGz, type RawEntry } from "./tar-bytes.js";

// Layout of each test: <root>/home is the store, <root>/sibling a directory an attack
// would like to write into, <root>/in the archives. Every refusal must leave all three
// exactly as they were.
let root: string;
let home: string;
let sibling: string;
let store: BentoStore;

beforeEach(() => {
  root = tempDir("archive-attacks");
  home = path.join(root, "home");
  sibling = path.join(root, "sibling");
  fs.mkdirSync(sibling);
  fs.writeFileSync(path.join(sibling, "precious.txt"), "keep me");
  fs.mkdirSync(path.join(root, "in"));
  store = new BentoStore(home);
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const bentoYaml = (): RawEntry => ({ path: "bento.yaml", data: writeBentoYaml(bentoManifest("shop", "v1")) });

function archive(entries: RawEntry[], trailingZeros = 0): string {
  const file = path.join(root, "in", "bento.tar.gz");
  fs.writeFileSync(file, rawTarGz(entries, trailingZeros));
  return file;
}

async function expectRefused(file: string, reason: RegExp, limits?: { maxBytes: number; maxEntries: number }): Promise<void> {
  const before = treeOf(root);
  const error = await store.importFrom(file, limits).then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(StoreError);
  expect((error as Error).message).toMatch(reason);
  expect((error as Error).message).toMatch(/nothing was written/);
  expect(treeOf(root)).toEqual(before);
  expect(fs.existsSync(home)).toBe(false);
  expect(fs.readFileSync(path.join(sibling, "precious.txt"), "utf8")).toBe("keep me");
}

describe("importing a hostile bento archive writes nothing", () => {
  it("refuses an absolute path", async () => {
    await expectRefused(archive([bentoYaml(), { path: path.join(sibling, "evil.txt"), data: "owned" }]), /is an absolute path/);
  });

  it("refuses a Windows drive path", async () => {
    await expectRefused(archive([bentoYaml(), { path: "C:/evil.txt", data: "owned" }]), /is an absolute path/);
  });

  it("refuses a leading ..", async () => {
    await expectRefused(archive([bentoYaml(), { path: "../sibling/evil.txt", data: "owned" }]), /contains "\.\."/);
  });

  it("refuses a .. in the middle", async () => {
    await expectRefused(archive([bentoYaml(), { path: "a/../../sibling/evil.txt", data: "owned" }]), /contains "\.\."/);
  });

  it("refuses a backslash path (.. on Windows)", async () => {
    await expectRefused(archive([bentoYaml(), { path: "..\\sibling\\evil.txt", data: "owned" }]), /backslash/);
  });

  it("refuses a .. hidden in a pax extended header", async () => {
    await expectRefused(archive([bentoYaml(), { path: "harmless.txt", paxPath: "../sibling/evil.txt", data: "owned" }]), /contains "\.\."/);
  });

  it("refuses a symlink out of the target followed by a file through it", async () => {
    await expectRefused(archive([
      bentoYaml(),
      { path: "escape", type: "SymbolicLink", linkpath: "../sibling" },
      { path: "escape/evil.txt", data: "owned" },
    ]), /"escape" is a symbolic link/);
  });

  it("refuses an absolute symlink", async () => {
    await expectRefused(archive([bentoYaml(), { path: "passwd", type: "SymbolicLink", linkpath: "/etc/passwd" }]), /symbolic link/);
  });

  it("refuses a symlink even when it points inside (links are never unpacked)", async () => {
    await expectRefused(archive([bentoYaml(), { path: "alias.yaml", type: "SymbolicLink", linkpath: "bento.yaml" }]), /symbolic link/);
  });

  it("refuses a hard link to a file outside", async () => {
    await expectRefused(archive([bentoYaml(), { path: "precious", type: "Link", linkpath: "../sibling/precious.txt" }]), /hard link/);
  });

  it("refuses device and FIFO entries", async () => {
    await expectRefused(archive([bentoYaml(), { path: "null", type: "CharacterDevice" }]), /is a device/);
    await expectRefused(archive([bentoYaml(), { path: "disk", type: "BlockDevice" }]), /is a device/);
    await expectRefused(archive([bentoYaml(), { path: "pipe", type: "FIFO" }]), /is a FIFO/);
  });

  it("refuses set-id mode bits", async () => {
    await expectRefused(archive([bentoYaml(), { path: "run.sh", data: "#!/bin/sh\n", mode: 0o4755 }]), /set-id/);
  });

  it("caps the number of entries", async () => {
    const many = Array.from({ length: 20 }, (_, i): RawEntry => ({ path: `f${i}.txt`, data: "x" }));
    await expectRefused(archive([bentoYaml(), ...many]), /more than 10 entries/, { maxBytes: 1_000_000, maxEntries: 10 });
  });

  it("caps the total size of the files", async () => {
    await expectRefused(archive([bentoYaml(), { path: "weights.bin", data: Buffer.alloc(200_000) }]), /add up to more than 100000 bytes/, { maxBytes: 100_000, maxEntries: 10 });
  });

  it("stops a small file that inflates far past the limits", async () => {
    const file = archive([bentoYaml()], 50 * 1024 * 1024);
    expect(fs.statSync(file).size).toBeLessThan(200_000);
    await expectRefused(file, /inflates to more than/, { maxBytes: 100_000, maxEntries: 10 });
  });

  it("refuses a file that is not a tar.gz with a clear message", async () => {
    const file = path.join(root, "in", "notes.tar.gz");
    fs.writeFileSync(file, "just text");
    const before = treeOf(root);
    await expect(store.importFrom(file)).rejects.toThrow(/Cannot read notes\.tar\.gz as a \.tar\.gz archive/);
    expect(treeOf(root)).toEqual(before);
  });
});

describe("bento export and import", () => {
  it("round-trips a bento into another store byte for byte", async () => {
    const entry = store.add(stageBento(store, bentoManifest("shop", "v1"), { "server.mjs": "export {};\n", "client/index.ts": "// client\n" }));
    const file = path.join(root, "in", "shop.tar.gz");
    store.exportTo("shop:v1", file);
    const other = new BentoStore(path.join(root, "other-home"));
    const imported = await other.importFrom(file);
    expect(imported.tag).toBe("shop:v1");
    expect(treeOf(imported.dir)).toEqual(treeOf(entry.dir));
    for (const relative of ["bento.yaml", "server.mjs", "client/index.ts"]) {
      expect(fs.readFileSync(path.join(imported.dir, relative))).toEqual(fs.readFileSync(path.join(entry.dir, relative)));
    }
    // Importing the same version again changes nothing.
    expect((await other.importFrom(file)).dir).toBe(imported.dir);
    expect(other.list().map((b) => b.tag)).toEqual(["shop:v1"]);
  });

  it("refuses a safe archive without bento.yaml and leaves no entry", async () => {
    const file = archive([{ path: "server.mjs", data: "export {};\n" }]);
    await expect(store.importFrom(file)).rejects.toThrow(/bento\.yaml is missing/);
    expect(store.list()).toEqual([]);
    expect(treeOf(path.join(home, "bentos")).filter((p) => !p.startsWith(".staging"))).toEqual([]);
    expect(treeOf(path.join(home, "bentos", ".staging"))).toEqual([]);
  });
});

import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BentoStore, StoreError } from "../../store/bento-store.js";
import { bentocHome } from "../../store/home.js";
import { parseTag } from "../../store/tag.js";
import { tempDir } from "../support/run-cli.js";
import { bentoManifest, stageBento, treeOf } from "./store-fixtures.js";

let home: string;
let store: BentoStore;

beforeEach(() => {
  home = tempDir("bento-store");
  store = new BentoStore(home);
});
afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

describe("bentocHome", () => {
  it("is $BENTOC_HOME when set, else ~/.bentoc", () => {
    expect(bentocHome({ BENTOC_HOME: "/srv/bentoc" })).toBe("/srv/bentoc");
    expect(bentocHome({ HOME: "/home/ada" })).toMatch(/\.bentoc$/);
  });
});

describe("parseTag", () => {
  it("reads name, name:latest and name:version", () => {
    expect(parseTag("iris")).toEqual({ name: "iris", version: "latest" });
    expect(parseTag("iris:latest")).toEqual({ name: "iris", version: "latest" });
    expect(parseTag("iris.v2:Abc_1.0-x")).toEqual({ name: "iris.v2", version: "Abc_1.0-x" });
  });

  it.each(["", "Iris", "../etc", "iris:../x", "iris:.hidden", "iris/x:1", "iris:", "-iris", "iris:a/b", `${"a".repeat(65)}`])(
    "refuses %j before any path is built", (text) => {
      expect(() => parseTag(text)).toThrow(StoreError);
    },
  );
});

describe("BentoStore", () => {
  it("adds a staged bento with one rename and reads it back", () => {
    const staging = stageBento(store, bentoManifest("shop", "v1"));
    const added = store.add(staging);
    expect(added).toMatchObject({ name: "shop", version: "v1", tag: "shop:v1", dir: path.join(home, "bentos", "shop", "v1") });
    expect(added.sizeBytes).toBe(fs.statSync(path.join(added.dir, "bento.yaml")).size + "export {};\n".length);
    expect(fs.existsSync(staging)).toBe(false);
    expect(store.get("shop:v1").manifest.name).toBe("shop");
    expect(fs.readFileSync(path.join(added.dir, "server.mjs"), "utf8")).toBe("export {};\n");
  });

  it("returns the existing entry and drops the staging dir when the version exists", () => {
    store.add(stageBento(store, bentoManifest("shop", "v1"), { "server.mjs": "first" }));
    const again = stageBento(store, bentoManifest("shop", "v1"), { "server.mjs": "second" });
    const entry = store.add(again);
    expect(fs.readFileSync(path.join(entry.dir, "server.mjs"), "utf8")).toBe("first");
    expect(fs.existsSync(again)).toBe(false);
  });

  it("resolves name and name:latest to the newest by creation time", () => {
    store.add(stageBento(store, bentoManifest("shop", "zzz", "2025-01-01T00:00:00.000Z")));
    store.add(stageBento(store, bentoManifest("shop", "aaa", "2025-06-01T00:00:00.000Z")));
    store.add(stageBento(store, bentoManifest("cart", "c1")));
    expect(store.get("shop").version).toBe("aaa");
    expect(store.get("shop:latest").version).toBe("aaa");
    expect(store.list().map((b) => b.tag)).toEqual(["cart:c1", "shop:zzz", "shop:aaa"]);
    expect(store.list("shop").map((b) => b.version)).toEqual(["zzz", "aaa"]);
  });

  it("says clearly when a bento is missing", () => {
    expect(() => store.get("shop")).toThrow(/No bento shop:latest in the store .*bentoc list/);
    store.add(stageBento(store, bentoManifest("shop", "v1")));
    expect(() => store.get("shop:v2")).toThrow(/No bento shop:v2/);
    expect(store.list("nothing")).toEqual([]);
  });

  it("deletes an entry and the name's folder once it is empty", () => {
    store.add(stageBento(store, bentoManifest("shop", "v1", "2025-01-01T00:00:00.000Z")));
    store.add(stageBento(store, bentoManifest("shop", "v2", "2025-02-01T00:00:00.000Z")));
    expect(store.delete("shop").version).toBe("v2");
    expect(store.list().map((b) => b.tag)).toEqual(["shop:v1"]);
    store.delete("shop:v1");
    expect(store.list()).toEqual([]);
    expect(fs.existsSync(path.join(home, "bentos", "shop"))).toBe(false);
    expect(() => store.delete("shop:v1")).toThrow(StoreError);
  });

  it("refuses a staging dir without a valid bento.yaml and removes it", () => {
    const missing = store.stagingDir();
    expect(() => store.add(missing)).toThrow(/bento\.yaml is missing/);
    expect(fs.existsSync(missing)).toBe(false);

    const invalid = stageBento(store, { ...bentoManifest("shop", "v1"), name: "../escape" });
    expect(() => store.add(invalid)).toThrow(StoreError);
    expect(fs.existsSync(invalid)).toBe(false);
    expect(store.list()).toEqual([]);
    expect(treeOf(path.join(home, "bentos")).filter((p) => !p.startsWith(".staging"))).toEqual([]);
  });

  it("reports a damaged entry whose bento.yaml names another bento", () => {
    const entry = store.add(stageBento(store, bentoManifest("shop", "v1")));
    fs.cpSync(entry.dir, path.join(home, "bentos", "shop", "v9"), { recursive: true });
    expect(() => store.get("shop:v9")).toThrow(/holds shop:v1, not shop:v9/);
  });
});

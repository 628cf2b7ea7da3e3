import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ensureModelsStored } from "../../store/ensure-models.js";
import { referenceOf } from "../../store/model-refs.js";
import { ModelStore } from "../../store/model-store.js";
import { tempDir } from "../support/run-cli.js";
import { startFakeHub, type FakeHub } from "./fake-hub.js";

let home: string;
let store: ModelStore;
let hub: FakeHub;

beforeEach(async () => {
  home = tempDir("ensure-models");
  store = new ModelStore(home);
  hub = await startFakeHub({ models: { "acme/tiny": { v2: { sha: "e".repeat(40), files: { "a.json": "{}", "b.bin": "bb" } } } } });
});
afterEach(async () => {
  await hub.close();
  fs.rmSync(home, { recursive: true, force: true });
});

describe("ensureModelsStored (what `bentoc build` calls for the manifest's models)", () => {
  const refs = [
    referenceOf({ tag: "acme/tiny", source: "huggingface", revision: "v2", include: ["*.bin"] }),
    referenceOf({ tag: "iris:latest", source: "store" }),
  ];

  it("names the import command for a missing store model, before pulling anything", async () => {
    await expect(ensureModelsStored(store, refs, { endpoint: hub.endpoint })).rejects.toThrow(/bentoc models import <path> --name iris/);
    expect(hub.requests).toEqual([]);
  });

  it("pulls a missing Hub model with the ref's revision and globs, once", async () => {
    const source = path.join(home, "iris");
    fs.mkdirSync(source);
    fs.writeFileSync(path.join(source, "w"), "1");
    const iris = store.importDirectory(source, { name: "iris" });
    const [second, first] = await ensureModelsStored(store, refs, { endpoint: hub.endpoint });
    expect(first!.tag).toBe(iris.tag);
    expect(second!.tag).toBe(`acme--tiny:${"e".repeat(40)}`);
    expect(second!.info.files.map((f) => f.path)).toEqual(["b.bin"]);
    const requests = hub.requests.length;
    await ensureModelsStored(store, refs, { endpoint: hub.endpoint });
    expect(hub.requests.length).toBe(requests);
  });
});

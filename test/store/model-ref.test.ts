import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { MODEL_RESOLVER_SLOT, huggingface, model } from "../../sdk/model.js";
import { ModelStore } from "../../store/model-store.js";
import { tempDir } from "../support/run-cli.js";

const slot = globalThis as Record<symbol, unknown>;
afterEach(() => {
  delete slot[MODEL_RESOLVER_SLOT];
});

describe("ModelRef.resolve() and .path", () => {
  it("say where they work when no runtime is loaded", () => {
    delete slot[MODEL_RESOLVER_SLOT];
    expect(() => model("iris").path).toThrow(/model\("iris:latest"\) can only be resolved where the bentoc runtime is loaded/);
    expect(() => huggingface("acme/tiny").resolve()).toThrow(/huggingface\("acme\/tiny"\) can only be resolved/);
  });

  it("keep the ref a plain, frozen record of its data", () => {
    const ref = model("iris");
    expect(ref).toEqual({ kind: "store", tag: "iris:latest" });
    expect(JSON.parse(JSON.stringify(ref))).toEqual({ kind: "store", tag: "iris:latest" });
    expect(Object.isFrozen(ref)).toBe(true);
  });

  it("resolve through the runtime's resolver, once per process", async () => {
    const home = tempDir("model-ref");
    try {
      const { createModelResolver, registerModelResolver } = await import("../../runtime/models.js");
      registerModelResolver(createModelResolver(() => home));
      const source = path.join(home, "src");
      fs.mkdirSync(source);
      fs.writeFileSync(path.join(source, "w.bin"), "1");
      const stored = new ModelStore(home).importDirectory(source, { name: "iris", labels: { team: "ml" } });
      const ref = model("iris");
      expect(ref.resolve()).toEqual({ tag: stored.tag, path: stored.path, files: ["w.bin"], labels: { team: "ml" }, metadata: {} });
      expect(ref.path).toBe(stored.path);
      fs.writeFileSync(path.join(source, "w.bin"), "2");
      new ModelStore(home).importDirectory(source, { name: "iris" });
      expect(model("iris:latest").resolve().tag).toBe(stored.tag);
      expect(() => model("other").path).toThrow(/Model other:latest is not in the model store .*bentoc models import <path> --name other/);
      expect(() => huggingface("acme/tiny", { revision: "v2" }).path).toThrow(/Model acme\/tiny@v2 is not in the model store .*acme--tiny; run `bentoc models pull acme\/tiny --revision v2`/);
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});

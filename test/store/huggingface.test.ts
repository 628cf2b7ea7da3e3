import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pullHuggingFace, type PullProgress } from "../../store/huggingface.js";
import { findPulledModel, huggingFaceModelName } from "../../store/huggingface-ref.js";
import { ModelStore, StoreError } from "../../store/model-store.js";
import { tempDir } from "../support/run-cli.js";
import { startFakeHub, type FakeHub, type FakeHubOptions } from "./fake-hub.js";
import { treeOf } from "./store-fixtures.js";

const MAIN_SHA = "a".repeat(40);
const V1_SHA = "b".repeat(40);

const MODELS: FakeHubOptions["models"] = {
  "Acme/Tiny-BERT": {
    main: {
      sha: MAIN_SHA,
      files: {
        "config.json": '{"hidden": 8}',
        "tokenizer.json": '{"vocab": ["a", "b"]}',
        "model.safetensors": Buffer.alloc(300_000, 7),
        "onnx/model.onnx": Buffer.from([8, 1, 2]),
        ".gitattributes": "*.bin filter=lfs",
        "README.md": "# Tiny",
      },
    },
    v1: { sha: V1_SHA, files: { "config.json": '{"hidden": 4}', "pytorch_model.bin": Buffer.from([1]) } },
  },
};

let home: string;
let store: ModelStore;
let hub: FakeHub | undefined;

beforeEach(() => {
  home = tempDir("hf");
  store = new ModelStore(home);
});
afterEach(async () => {
  await hub?.close();
  hub = undefined;
  fs.rmSync(home, { recursive: true, force: true });
});

async function pull(options: Partial<FakeHubOptions>, pullOptions: Partial<Parameters<typeof pullHuggingFace>[1]> = {}, env: NodeJS.ProcessEnv = {}) {
  hub = await startFakeHub({ models: MODELS, ...options });
  return pullHuggingFace(store, { modelId: "Acme/Tiny-BERT", ...pullOptions }, { HF_ENDPOINT: hub.endpoint, ...env });
}

const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");

function expectNothingStored(): void {
  expect(store.list()).toEqual([]);
  expect(treeOf(path.join(home, "models")).filter((p) => !p.startsWith(".staging"))).toEqual([]);
  expect(treeOf(path.join(home, "models", ".staging"))).toEqual([]);
}

describe("pulling from a Hugging Face endpoint", () => {
  it("stores every file of main under org--name, versioned by the commit sha", async () => {
    const events: PullProgress[] = [];
    const model = await pull({}, { onProgress: (event) => events.push(event) });
    expect(model.tag).toBe(`acme--tiny-bert:${MAIN_SHA}`);
    expect(model.info.metadata).toEqual({ source: "huggingface", modelId: "Acme/Tiny-BERT", revision: "main", commit: MAIN_SHA, endpoint: hub!.endpoint });
    const files = MODELS["Acme/Tiny-BERT"]!.main!.files;
    expect(model.info.files.map((f) => f.path)).toEqual(Object.keys(files).sort());
    for (const file of model.info.files) {
      expect(file.sha256).toBe(sha256(files[file.path]!));
      expect(fs.readFileSync(path.join(model.path, file.path))).toEqual(Buffer.from(files[file.path]!));
    }
    // Files are fetched at the resolved commit, so a branch moving mid-pull cannot mix revisions.
    expect(hub!.requests.filter((url) => url.includes("/resolve/")).every((url) => url.includes(`/resolve/${MAIN_SHA}/`))).toBe(true);
    const big = events.filter((e) => e.file === "model.safetensors");
    expect(big[0]).toMatchObject({ received: 0, size: 300_000 });
    expect(big.at(-1)).toMatchObject({ received: 300_000, size: 300_000, files: 6 });
  });

  it("pulls the named revision", async () => {
    const model = await pull({}, { revision: "v1" });
    expect(model.version).toBe(V1_SHA);
    expect(model.info.files.map((f) => f.path)).toEqual(["config.json", "pytorch_model.bin"]);
    expect(fs.readFileSync(path.join(model.path, "config.json"), "utf8")).toBe('{"hidden": 4}');
    expect(findPulledModel(store, "Acme/Tiny-BERT", "v1")?.tag).toBe(model.tag);
    expect(findPulledModel(store, "Acme/Tiny-BERT", "main")).toBeUndefined();
  });

  it("downloads only what include keeps and exclude does not drop", async () => {
    const model = await pull({}, { include: ["*.json", "onnx/**"], exclude: ["tokenizer*"] });
    expect(model.info.files.map((f) => f.path)).toEqual(["config.json", "onnx/model.onnx"]);
    const downloaded = hub!.requests.filter((url) => url.includes("/resolve/")).map((url) => url.split(`${MAIN_SHA}/`)[1]);
    expect(downloaded.sort()).toEqual(["config.json", "onnx/model.onnx"]);
  });

  it("does not download again when that commit is stored", async () => {
    const first = await pull({});
    const requestsBefore = hub!.requests.length;
    const again = await pullHuggingFace(store, { modelId: "Acme/Tiny-BERT" }, { HF_ENDPOINT: hub!.endpoint });
    expect(again.tag).toBe(first.tag);
    expect(hub!.requests.slice(requestsBefore)).toEqual([`/api/models/Acme/Tiny-BERT/revision/main`]);
  });

  it("leaves nothing when a download fails", async () => {
    await expect(pull({ failing: ["tokenizer.json"] })).rejects.toThrow(/HTTP 500/);
    expectNothingStored();
  });

  it("leaves nothing when a download stops halfway", async () => {
    await expect(pull({ truncated: ["model.safetensors"] })).rejects.toThrow(StoreError);
    expectNothingStored();
  });

  it("refuses a listing with a path that would leave the model directory", async () => {
    await expect(pull({ extraSiblings: ["../../escape.txt"] })).rejects.toThrow(/unsafe .*contains "\.\."/);
    expect(fs.existsSync(path.join(home, "models"))).toBe(false);
  });

  it("says which revision is missing", async () => {
    await expect(pull({}, { revision: "nope" })).rejects.toThrow(/The Hub has no Acme\/Tiny-BERT@nope \(HTTP 404/);
    expect(fs.existsSync(path.join(home, "models"))).toBe(false);
  });

  it("sends HF_TOKEN as a bearer token and names it when refused", async () => {
    await expect(pull({ token: "hf_secret" })).rejects.toThrow(/set HF_TOKEN/);
    await hub!.close();
    const model = await pull({ token: "hf_secret" }, {}, { HF_TOKEN: "hf_secret" });
    expect(model.version).toBe(MAIN_SHA);
  });

  it("says when no file matches the globs", async () => {
    await expect(pull({}, { include: ["*.gguf"] })).rejects.toThrow(/No file of Acme\/Tiny-BERT@main matches/);
  });

  it("says when the endpoint cannot be reached", async () => {
    await expect(pullHuggingFace(store, { modelId: "acme/x" }, { HF_ENDPOINT: "http://127.0.0.1:9" })).rejects.toThrow(/Cannot reach the Hub at http:\/\/127\.0\.0\.1:9/);
  });

  it("names models org--name in lower case", () => {
    expect(huggingFaceModelName("Qwen/Qwen2.5-0.5B")).toBe("qwen--qwen2.5-0.5b");
    expect(huggingFaceModelName("gpt2")).toBe("gpt2");
  });
});

import fs from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { pullHuggingFace } from "../../store/huggingface.js";
import { ModelStore } from "../../store/model-store.js";
import { buildBento, postJson, type BuiltBento, type SpawnedBento } from "../support/bento-server.js";
import { tempDir } from "../support/run-cli.js";
import { startFakeHub } from "./fake-hub.js";

const SERVICE = `
import fs from "node:fs";
import path from "node:path";
import { api, huggingface, model, onStartup, service } from "bentoc";

@service()
export class Iris {
  iris = model("iris:latest");
  tiny = huggingface("acme/tiny", { revision: "v1" });
  labels = "";

  @onStartup
  async load(): Promise<void> {
    this.labels = fs.readFileSync(path.join(this.iris.path, "labels.txt"), "utf8");
  }

  @api()
  async describe(): Promise<{ tag: string; files: string[]; labels: string; hubTag: string; hubConfig: string }> {
    const resolved = this.iris.resolve();
    const hub = this.tiny.resolve();
    return {
      tag: resolved.tag,
      files: [...resolved.files],
      labels: this.labels,
      hubTag: hub.tag,
      hubConfig: fs.readFileSync(path.join(this.tiny.path, "config.json"), "utf8"),
    };
  }
}
`;

let built: BuiltBento;
let home: string;
let bento: SpawnedBento | undefined;

beforeAll(async () => {
  built = await buildBento(SERVICE);
});
afterAll(() => built?.remove());
beforeEach(() => {
  home = tempDir("model-resolution");
});
afterEach(async () => {
  await bento?.close();
  bento = undefined;
  fs.rmSync(home, { recursive: true, force: true });
});

function importIris(labels: string): string {
  const source = path.join(home, `src-${labels.length}`);
  fs.mkdirSync(source);
  fs.writeFileSync(path.join(source, "labels.txt"), labels);
  fs.writeFileSync(path.join(source, "model.onnx"), "weights");
  return new ModelStore(home).importDirectory(source, { name: "iris" }).tag;
}

describe("model refs resolve at run time to the model store under BENTOC_HOME", () => {
  it("gives the service the stored files of name:latest and of a pulled Hub revision", async () => {
    const irisTag = importIris("setosa\nversicolor\n");
    const hub = await startFakeHub({ models: { "acme/tiny": {
      main: { sha: "1".repeat(40), files: { "config.json": '{"rev": "main"}' } },
      v1: { sha: "2".repeat(40), files: { "config.json": '{"rev": "v1"}' } },
    } } });
    try {
      await pullHuggingFace(new ModelStore(home), { modelId: "acme/tiny", revision: "main" }, { HF_ENDPOINT: hub.endpoint });
      await pullHuggingFace(new ModelStore(home), { modelId: "acme/tiny", revision: "v1" }, { HF_ENDPOINT: hub.endpoint });
    } finally {
      await hub.close();
    }

    bento = await built.spawn({ env: { BENTOC_HOME: home } });
    const first = await postJson(`${bento.url}/describe`, {});
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      tag: irisTag,
      files: ["labels.txt", "model.onnx"],
      labels: "setosa\nversicolor\n",
      hubTag: `acme--tiny:${"2".repeat(40)}`,
      hubConfig: '{"rev": "v1"}',
    });

    // A newer version imported while the server runs does not change what it already resolved.
    const newer = importIris("setosa\nversicolor\nvirginica\n");
    expect(newer).not.toBe(irisTag);
    expect((await postJson(`${bento.url}/describe`, {})).body.tag).toBe(irisTag);
  });

  it("fails to start with the command that fixes it when the model is missing", async () => {
    const failure = await built.spawn({ env: { BENTOC_HOME: home } }).then(() => undefined, (error: unknown) => error as Error);
    expect(failure?.message).toMatch(/exited \(\d+\) before it was ready/);
    expect(failure?.message).toContain(`Model iris:latest is not in the model store (${path.join(home, "models")}); run \`bentoc models import <path> --name iris\``);
  });
});

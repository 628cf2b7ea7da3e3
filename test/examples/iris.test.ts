import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildIrisModel, irisModelPath, type IrisModel } from "../../examples/iris/model/build-model.js";
import { readIris } from "../../examples/iris/model/iris-data.js";
import { argmax, predict } from "../../examples/iris/model/train.js";
import { irisModelFile, MODEL_ENV } from "../../examples/iris/model-file.js";
import { OnnxClassifier } from "../../examples/iris/onnx-classifier.js";
import { SPECIES } from "../../examples/iris/species.js";
import { postJson, REPO_ROOT, spawnBento, type SpawnedBento } from "../support/bento-server.js";
import { tempDir } from "../support/run-cli.js";

const SERVICE = path.join(REPO_ROOT, "examples/iris/service.ts");
const iris = readIris();
let built: IrisModel;
let classifier: OnnxClassifier;
/** onnxruntime's probabilities for every row, computed in this process: what the server must answer. */
let expected: number[][];

beforeAll(async () => {
  built = buildIrisModel();
  classifier = await OnnxClassifier.load(irisModelPath(), 1);
  expected = await classifier.probabilities(iris.features);
});
afterAll(async () => {
  await classifier?.release();
});

describe("the Iris model", () => {
  it("the committed iris.onnx is exactly what build-model.ts builds from data/iris.csv", () => {
    expect(iris.features).toHaveLength(150);
    expect(Buffer.from(built.onnx).equals(fs.readFileSync(irisModelPath()))).toBe(true);
    expect(built.trainingAccuracy).toBeGreaterThanOrEqual(0.9);
  });

  it("onnxruntime loads it (input float[N,4], output float[N,3]) and classifies at least 90% of the data set correctly", () => {
    expect(classifier.features).toBe(4);
    expect(expected.every((p) => p.length === 3 && Math.abs(p[0]! + p[1]! + p[2]! - 1) < 1e-5)).toBe(true);
    const correct = expected.filter((p, index) => argmax(p) === iris.labels[index]).length;
    expect(correct / 150).toBeGreaterThanOrEqual(0.9);
    // The ONNX graph computes what the trained weights compute in JavaScript.
    for (const [index, row] of iris.features.entries()) {
      const reference = predict(built.layers, row);
      for (let k = 0; k < 3; k++) expect(expected[index]![k]).toBeCloseTo(reference[k]!, 5);
    }
  });

  it("is found beside the service from the bundle `bentoc serve` writes, or where IRIS_MODEL says; a missing model is a clear error", () => {
    const serviceDir = path.join(REPO_ROOT, "examples/iris");
    const bundled = pathToFileURL(path.join(serviceDir, ".bentoc", "serve", "server.mjs")).href;
    expect(irisModelFile({}, bundled)).toBe(path.join(serviceDir, "model", "iris.onnx"));
    expect(irisModelFile({}, pathToFileURL(SERVICE).href)).toBe(path.join(serviceDir, "model", "iris.onnx"));
    expect(irisModelFile({ [MODEL_ENV]: irisModelPath() }, "file:///nowhere/server.mjs")).toBe(irisModelPath());

    const empty = tempDir("iris-model");
    try {
      expect(() => irisModelFile({}, pathToFileURL(path.join(empty, "server.mjs")).href)).toThrow(/set IRIS_MODEL to its path, or build it/);
      expect(() => irisModelFile({ [MODEL_ENV]: path.join(empty, "missing.onnx") })).toThrow(/IRIS_MODEL=.*missing\.onnx: no such file/);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe("examples/iris served by the generated server", () => {
  let bento: SpawnedBento;
  beforeAll(async () => {
    bento = await spawnBento({ file: SERVICE }, { env: { [MODEL_ENV]: irisModelPath() } });
  }, 60_000);
  afterAll(async () => {
    await bento?.close();
  });

  async function batchSizes(): Promise<{ count: number; sum: number; single: number; shed: number }> {
    const text = await (await fetch(`${bento.url}/metrics`)).text();
    const read = (pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? 0);
    return {
      count: read(/^bentoc_batch_size_count\{api="classify"\} (\d+)$/m),
      sum: read(/^bentoc_batch_size_sum\{api="classify"\} (\d+)$/m),
      single: read(/^bentoc_batch_size_bucket\{le="1",api="classify"\} (\d+)$/m) || read(/^bentoc_batch_size_bucket\{api="classify",le="1"\} (\d+)$/m),
      shed: read(/^bentoc_batch_shed_total\{api="classify"\} (\d+)$/m),
    };
  }

  it("classifies known flowers: the first of each species in the data set", async () => {
    const known = [0, 50, 100].map((row) => iris.features[row]!);
    const response = await postJson(`${bento.url}/classify`, { flowers: known });
    expect(response.status).toBe(200);
    expect(response.body.map((p: { species: string }) => p.species)).toEqual(["setosa", "versicolor", "virginica"]);
  });

  it("batches 150 concurrent one-flower calls, and every caller gets its own flower's prediction", async () => {
    const before = await batchSizes();
    // Bursts of calls with small random gaps (seeded), so calls queue behind a running batch.
    let seed = 150;
    const gap = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % 4);
    let shed = 0;
    const responses = await Promise.all(iris.features.map(async (row, index) => {
      await new Promise((resolve) => setTimeout(resolve, index % 10 === 0 ? gap() : 0));
      // A burst of 150 calls can take longer to parse than the 10 ms budget on a busy machine, and
      // the dispatcher then sheds some: a caller retries after Retry-After, as a client should.
      for (let attempt = 1; ; attempt++) {
        const response = await postJson(`${bento.url}/classify`, { flowers: [row] });
        if (response.status !== 503 || attempt === 5) return response;
        shed++;
        await new Promise((resolve) => setTimeout(resolve, Number(response.headers.get("retry-after")) * 1000));
      }
    }));
    let correct = 0;
    for (const [index, response] of responses.entries()) {
      expect(response.status, `row ${index + 1}`).toBe(200);
      const [prediction] = response.body as { species: string; probabilities: number[] }[];
      expect(prediction!.species, `row ${index + 1}`).toBe(SPECIES[argmax(expected[index]!)]);
      for (let k = 0; k < 3; k++) expect(prediction!.probabilities[k]).toBeCloseTo(expected[index]![k]!, 5);
      if (prediction!.species === SPECIES[iris.labels[index]!]) correct++;
    }
    expect(correct / 150).toBeGreaterThanOrEqual(0.9);

    const after = await batchSizes();
    expect(after.sum - before.sum).toBe(150);
    expect(after.shed - before.shed).toBe(shed);
    // Fewer batches than calls: some batches held more than one flower.
    expect(after.count - before.count).toBeLessThan(150);
    expect(after.count - before.count - (after.single - before.single)).toBeGreaterThan(0);
  });

  it("refuses a flower without four measurements with 400 naming the field", async () => {
    const response = await postJson(`${bento.url}/classify`, { flowers: [[5.1, 3.5, 1.4]] });
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body)).toContain("flowers");
  });
});

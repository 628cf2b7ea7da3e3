import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildBento, postJson, REPO_ROOT, until, type BuiltBento, type SpawnedBento } from "../support/bento-server.js";
import { logLines } from "../support/log-lines.js";

// examples/iris-pipeline: a preprocessing service in front of the ONNX classifier, served as one
// process and split in two (as two Kubernetes Deployments run it), with the same answers.
const SERVICE = path.join(REPO_ROOT, "examples/iris-pipeline/service.ts");
const IRIS_MODEL = path.join(REPO_ROOT, "examples/iris/model/iris.onnx");

let bento: BuiltBento;
const running: SpawnedBento[] = [];
beforeAll(async () => {
  bento = await buildBento({ file: SERVICE });
}, 60_000);
afterAll(async () => {
  for (const process of running) await process.close();
  bento?.remove();
});

async function spawn(env: NodeJS.ProcessEnv): Promise<SpawnedBento> {
  const started = await bento.spawn({ env: { IRIS_MODEL, ...env }, timeoutMs: 30_000 });
  running.push(started);
  return started;
}

const MODES: { name: string; start(): Promise<{ url: string; processes: SpawnedBento[] }> }[] = [
  { name: "in one process", start: async () => {
    const all = await spawn({});
    return { url: all.url, processes: [all] };
  } },
  { name: "split in two", start: async () => {
    const model = await spawn({ BENTOC_SERVICE: "IrisClassifier" });
    const identifier = await spawn({ BENTOC_SERVICE: "IrisIdentifier", BENTOC_DEPENDENCY_IRISCLASSIFIER_URL: model.url });
    return { url: identifier.url, processes: [identifier, model] };
  } },
];

describe.each(MODES)("the Iris pipeline $name", (mode) => {
  let url: string;
  let processes: SpawnedBento[];
  beforeAll(async () => {
    ({ url, processes } = await mode.start());
  }, 60_000);

  it("identifies flowers reported in mm and in inches, as the model classifies them in cm", async () => {
    const answer = await postJson(`${url}/identify`, { reports: [
      { sepalLength: 51, sepalWidth: 35, petalLength: 14, petalWidth: 2, unit: "mm" }, // data set row 1: setosa
      { sepalLength: 6.7 / 2.54, sepalWidth: 3.0 / 2.54, petalLength: 5.2 / 2.54, petalWidth: 2.3 / 2.54, unit: "in" }, // row 125: virginica
    ] }, { "x-request-id": "field-app-42" });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body.map((identification: { species: string }) => identification.species)).toEqual(["setosa", "virginica"]);
    expect(answer.body[0].centimetres).toEqual([5.1, 3.5, 1.4, 0.2]);
    expect(answer.body[1].centimetres).toEqual([6.7, 3, 5.2, 2.3]);
    for (const identification of answer.body) expect(identification.confidence).toBeGreaterThan(0.5);
    // Split, the model's process logged the call with the field app's request id (its access lines are written within a second).
    if (processes.length === 2) {
      await until(() => logLines(processes[1]!.output()).some((line) => line.route === "/classify" && line.reqId === "field-app-42") || undefined, "the model's access line", 5_000);
    }
  });

  it("refuses a report in an unknown unit with 400 naming it", async () => {
    const answer = await postJson(`${url}/identify`, { reports: [{ sepalLength: 5, sepalWidth: 3, petalLength: 1, petalWidth: 0.2, unit: "ft" }] });
    expect([answer.status, answer.body.path]).toEqual([400, "/reports/0/unit"]);
  });
});

// Builds examples/iris/model/iris.onnx from data/iris.csv: trains the classifier (train.ts) and
// writes it with the ONNX protobuf schema (onnx-mlp.ts). Deterministic: the same data and
// options give the same bytes, so the committed iris.onnx can be checked against this script.
//   npm run build && node dist/examples/iris/model/build-model.js [out.onnx]
import { renameSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { SPECIES } from "../species.js";
import { irisExampleDir, readIris } from "./iris-data.js";
import { mlpToOnnx, type DenseLayer } from "./onnx-mlp.js";
import { argmax, predict, trainMlp } from "./train.js";

export interface IrisModel {
  onnx: Uint8Array;
  layers: DenseLayer[];
  /** Share of the 150 rows the trained weights classify correctly (computed in JavaScript). */
  trainingAccuracy: number;
}

/** Where the example service looks for the model by default. */
export function irisModelPath(): string {
  return join(irisExampleDir(), "model", "iris.onnx");
}

export function buildIrisModel(): IrisModel {
  const { features, labels } = readIris();
  const layers = trainMlp(features, labels, SPECIES.length);
  const correct = features.filter((row, index) => argmax(predict(layers, row)) === labels[index]).length;
  const onnx = mlpToOnnx({
    name: "iris",
    doc: `Iris species classifier (${SPECIES.join(", ")}): an MLP trained by examples/iris/model/build-model.ts on the 150-row Iris data set.`,
    layers,
  });
  return { onnx, layers, trainingAccuracy: correct / features.length };
}

/** Writes to a temp name and renames, so a reader never sees half a model. */
export function writeModel(file: string, bytes: Uint8Array): void {
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, bytes);
  renameSync(temp, file);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = resolve(process.argv[2] ?? irisModelPath());
  const model = buildIrisModel();
  writeModel(out, model.onnx);
  console.log(`wrote ${out} (${model.onnx.length} bytes); training accuracy ${(model.trainingAccuracy * 100).toFixed(1)}%`);
}

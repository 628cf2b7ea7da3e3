// The two models `npm run bench:batch` serves: the Iris example's classifier (tiny: the HTTP
// request costs far more than the model) and a heavy generated MLP (the model dominates).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { irisModelPath } from "../examples/iris/model/build-model.js";
import { readIris } from "../examples/iris/model/iris-data.js";
import { seededRandom } from "../examples/iris/model/seeded-random.js";
import { HEAVY_MODEL, heavyModelOnnx, multiplyAddsPerRow } from "./heavy-model.js";

export interface BenchModel {
  name: "iris" | "heavy";
  label: string;
  /** Writes (or finds) the .onnx file; returns its path. */
  prepare(scratch: string): string;
  /** The rows callers send, one per request, in turn (every caller's answer is checked against its own row). */
  rows: number[][];
  maxBatchSize: number;
  maxLatencyMs: number;
  /** Model sessions in the server (each with its share of the threads); batches that may run at once. */
  sessions: number;
  /** Why this latency budget, for the report. */
  budgetNote: string;
}

export function benchModels(): BenchModel[] {
  const random = seededRandom(7);
  const macs = multiplyAddsPerRow(HEAVY_MODEL);
  return [
    {
      name: "iris",
      label: "Iris example (4→8→3 MLP)",
      prepare: () => irisModelPath(),
      rows: readIris().features,
      // The example's own options.
      maxBatchSize: 64,
      maxLatencyMs: 10,
      sessions: 1,
      budgetNote: "examples/iris/service.ts's own options",
    },
    {
      name: "heavy",
      label: `heavy MLP (${HEAVY_MODEL.features}→${HEAVY_MODEL.hidden}×${HEAVY_MODEL.depth}→${HEAVY_MODEL.classes}, ${(macs / 1e6).toFixed(1)}M multiply-adds/row)`,
      prepare: (scratch) => {
        const file = join(scratch, "heavy.onnx");
        writeFileSync(file, heavyModelOnnx(HEAVY_MODEL));
        return file;
      },
      rows: Array.from({ length: 256 }, () => Array.from({ length: HEAVY_MODEL.features }, () => random() * 2 - 1)),
      // One session with every thread: a batch of 64 reads the 80 MB of weights once, and the
      // HTTP work fits between batches. Two one-thread sessions with batches of 32
      // (maxConcurrentBatches: 2) served fewer rows here: docs/batching.md has both.
      maxBatchSize: 64,
      sessions: 1,
      // A budget has to hold a full batch's own run time (> 10 ms here): a few of them.
      maxLatencyMs: 50,
      budgetNote: "a few times one full batch's run time (a budget below it cannot be met)",
    },
  ];
}

// The ceiling: the model called directly in this process (no HTTP, no batching machinery),
// one batch after another, at each batch size and thread count, through the same
// OnnxClassifier the server uses. Bounded in time and in runs per point.
import { OnnxClassifier } from "../examples/iris/onnx-classifier.js";

export interface CeilingPoint {
  threads: number;
  batchSize: number;
  itemsPerSecond: number;
  /** Median wall time of one run of a batch of this size. */
  msPerBatch: number;
  /** CPU time (user + system, all threads of this process) per item, µs: less sensitive than items/s to other load on the machine. */
  cpuUsPerItem: number;
  runs: number;
}

export interface CeilingOptions {
  batchSizes: readonly number[];
  threadCounts: readonly number[];
  secondsPerPoint: number;
  maxRunsPerPoint: number;
}

export async function measureCeiling(modelFile: string, rows: readonly number[][], options: CeilingOptions): Promise<CeilingPoint[]> {
  const points: CeilingPoint[] = [];
  for (const threads of options.threadCounts) {
    const classifier = await OnnxClassifier.load(modelFile, threads);
    try {
      for (const batchSize of options.batchSizes) {
        const batches = Array.from({ length: 8 }, (_, offset) => Array.from({ length: batchSize }, (_, i) => rows[(offset * batchSize + i) % rows.length]!));
        for (let warm = 0; warm < 3; warm++) await classifier.probabilities(batches[warm]!);
        const times: number[] = [];
        const cpuBefore = process.cpuUsage();
        const start = performance.now();
        const stopAt = start + options.secondsPerPoint * 1000;
        while (times.length < options.maxRunsPerPoint && performance.now() < stopAt) {
          const before = performance.now();
          await classifier.probabilities(batches[times.length % batches.length]!);
          times.push(performance.now() - before);
        }
        const elapsedS = (performance.now() - start) / 1000;
        const cpu = process.cpuUsage(cpuBefore);
        const items = times.length * batchSize;
        times.sort((a, b) => a - b);
        points.push({ threads, batchSize, itemsPerSecond: items / elapsedS, msPerBatch: times[Math.floor(times.length / 2)]!, cpuUsPerItem: (cpu.user + cpu.system) / items, runs: times.length });
      }
    } finally {
      await classifier.release();
    }
  }
  return points;
}

/** The model's own outputs for each row, one row per run: what every caller must get back. */
export async function expectedOutputs(modelFile: string, rows: readonly number[][], threads: number): Promise<number[][]> {
  const classifier = await OnnxClassifier.load(modelFile, threads);
  try {
    const outputs: number[][] = [];
    for (const row of rows) outputs.push((await classifier.probabilities([row]))[0]!);
    return outputs;
  } finally {
    await classifier.release();
  }
}

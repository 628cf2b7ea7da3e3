// The service `npm run bench:batch` compiles for each model: the same method behind two APIs,
// one batchable (adaptive batching) and one not, so the only difference between the two
// measurements is batching. Both run the model through the Iris example's OnnxClassifierPool:
// `sessions` sessions of the model, as many as batches may run at once.
import { relative } from "node:path";

export const BATCHED_ROUTE = "/batched";
export const UNBATCHED_ROUTE = "/unbatched";

export interface BatchServiceOptions {
  /** Folder the service file is written to (its imports are relative to it). */
  serviceDir: string;
  /** The example's onnx-pool.ts. */
  poolModule: string;
  modelFile: string;
  maxBatchSize: number;
  maxLatencyMs: number;
  /** Model sessions, each in its own thread; the batched API runs that many batches at once. */
  sessions: number;
}

export function batchServiceSource(options: BatchServiceOptions): string {
  let pool = relative(options.serviceDir, options.poolModule).split("\\").join("/").replace(/\.ts$/, ".js");
  if (!pool.startsWith(".")) pool = `./${pool}`;
  return `import { api, onShutdown, onStartup, service } from "bentoc";
import { OnnxClassifierPool } from ${JSON.stringify(pool)};

/** The batching benchmark's service: one model, with and without adaptive batching. */
@service({ traffic: { timeout: 30 } })
export class BatchBench {
  private model: OnnxClassifierPool | undefined;

  @onStartup
  async load(): Promise<void> {
    this.model = await OnnxClassifierPool.load(${JSON.stringify(options.modelFile)}, ${options.sessions});
  }

  @onShutdown
  async unload(): Promise<void> {
    await this.model?.release();
  }

  /** Concurrent calls merged into one run of the model. */
  @api({ batchable: true, maxBatchSize: ${options.maxBatchSize}, maxLatencyMs: ${options.maxLatencyMs}, maxConcurrentBatches: ${options.sessions} })
  async batched(rows: number[][]): Promise<number[][]> {
    return this.model!.probabilities(rows);
  }

  /** One run of the model per call. */
  @api()
  async unbatched(rows: number[][]): Promise<number[][]> {
    return this.model!.probabilities(rows);
  }
}
`;
}

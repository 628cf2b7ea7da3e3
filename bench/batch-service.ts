// The service `npm run bench:batch` compiles for each model: the same method behind two APIs,
// one batchable (adaptive batching) and one not, so the only difference between the two
// measurements is batching. Both run the model through the Iris example's OnnxClassifier.
import { relative } from "node:path";

export const BATCHED_ROUTE = "/batched";
export const UNBATCHED_ROUTE = "/unbatched";

export interface BatchServiceOptions {
  /** Folder the service file is written to (its imports are relative to it). */
  serviceDir: string;
  /** The example's onnx-classifier.ts. */
  classifierModule: string;
  modelFile: string;
  maxBatchSize: number;
  maxLatencyMs: number;
}

export function batchServiceSource(options: BatchServiceOptions): string {
  let classifier = relative(options.serviceDir, options.classifierModule).split("\\").join("/").replace(/\.ts$/, ".js");
  if (!classifier.startsWith(".")) classifier = `./${classifier}`;
  return `import { api, onShutdown, onStartup, service } from "bentoc";
import { OnnxClassifier } from ${JSON.stringify(classifier)};

/** The batching benchmark's service: one model, with and without adaptive batching. */
@service({ traffic: { timeout: 30 } })
export class BatchBench {
  private model: OnnxClassifier | undefined;

  @onStartup
  async load(): Promise<void> {
    this.model = await OnnxClassifier.load(${JSON.stringify(options.modelFile)});
  }

  @onShutdown
  async unload(): Promise<void> {
    await this.model?.release();
  }

  /** Concurrent calls merged into one run of the model. */
  @api({ batchable: true, maxBatchSize: ${options.maxBatchSize}, maxLatencyMs: ${options.maxLatencyMs} })
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

// An ONNX classifier run with onnxruntime-node: rows of numbers in, one probability vector
// per row out, in one session.run for the whole batch. Shared by the example service and
// the batching benchmark (bench/batch-*.ts), which serves a heavier model through it.
import ort from "onnxruntime-node";

/**
 * Intra-op threads for onnxruntime: the user's OMP_NUM_THREADS, else the allocator's share for
 * this worker (BENTOC_THREADS), else undefined (onnxruntime's own default, one per core).
 */
export function threadsFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  for (const name of ["OMP_NUM_THREADS", "BENTOC_THREADS"]) {
    const threads = Number(env[name]);
    if (Number.isInteger(threads) && threads >= 1) return threads;
  }
  return undefined;
}

export class OnnxClassifier {
  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly inputName: string,
    private readonly outputName: string,
    /** Numbers per input row: the model input's second dimension. */
    readonly features: number,
  ) {}

  /** Loads a model whose input is float[N, features] and whose first output is float[N, classes]. */
  static async load(file: string, threads = threadsFromEnv()): Promise<OnnxClassifier> {
    const session = await ort.InferenceSession.create(file, {
      ...(threads === undefined ? {} : { intraOpNumThreads: threads }),
      // The HTTP server shares the cores: idle onnxruntime threads sleep instead of spinning.
      extra: { session: { intra_op: { allow_spinning: "0" } } },
    });
    const input = session.inputMetadata[0];
    const width = input?.isTensor ? input.shape[1] : undefined;
    if (!input || typeof width !== "number" || session.outputNames.length === 0) {
      throw new Error(`${file}: expected a model with a float[N, features] input and a float[N, classes] output`);
    }
    return new OnnxClassifier(session, input.name, session.outputNames[0]!, width);
  }

  /** Class probabilities of every row, in one run of the model. */
  async probabilities(rows: readonly (readonly number[])[]): Promise<number[][]> {
    const data = new Float32Array(rows.length * this.features);
    rows.forEach((row, index) => {
      if (row.length !== this.features) throw new Error(`row ${index} has ${row.length} numbers; the model takes ${this.features}`);
      data.set(row, index * this.features);
    });
    const outputs = await this.session.run({ [this.inputName]: new ort.Tensor("float32", data, [rows.length, this.features]) });
    const output = outputs[this.outputName]!;
    const classes = Number(output.dims[1]);
    const values = output.data as Float32Array;
    return rows.map((_, index) => Array.from(values.subarray(index * classes, (index + 1) * classes)));
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

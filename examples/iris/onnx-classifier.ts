// An ONNX classifier run with onnxruntime-node: rows of numbers in, one probability vector
// per row out, in one session.run for the whole batch. Shared by the example service and
// the batching benchmark (bench/batch-*.ts), which serves a heavier model through it.
//
// onnxruntime-node runs inference synchronously on the thread that calls it. On the server's
// event loop that would stall every HTTP request for as long as a batch runs, so the session
// lives in a worker thread: the event loop parses and answers requests while the model computes.
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

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

interface WorkerData {
  runtime: string;
  file: string;
  threads: number | undefined;
}

type FromWorker =
  | { type: "ready"; inputName: string; outputName: string; features: number }
  | { type: "failed"; message: string }
  | { id: number; values: Float32Array; classes: number }
  | { id: number; error: string };

// The worker's code, as text: it works the same from source and from the bundle `bentoc serve`
// writes, which has no file of its own for the worker. It requires onnxruntime-node by the path
// this module resolved.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const ort = require(workerData.runtime);
const fail = (error) => (error && error.message) || String(error);
ort.InferenceSession.create(workerData.file, {
  ...(workerData.threads === undefined ? {} : { intraOpNumThreads: workerData.threads }),
  // The HTTP server shares the cores: idle onnxruntime threads sleep instead of spinning.
  extra: { session: { intra_op: { allow_spinning: "0" } } },
}).then((session) => {
  const input = session.inputMetadata[0];
  const features = input && input.isTensor ? input.shape[1] : undefined;
  if (!input || typeof features !== "number" || session.outputNames.length === 0) {
    parentPort.postMessage({ type: "failed", message: workerData.file + ": expected a model with a float[N, features] input and a float[N, classes] output" });
    return;
  }
  const outputName = session.outputNames[0];
  parentPort.on("message", (request) => {
    if (request.type === "release") {
      // Ending the thread with a session alive, or mid-run, aborts the process (a native error
      // during teardown): free the session, then let the thread end by itself.
      session.release().finally(() => parentPort.close());
      return;
    }
    session.run({ [input.name]: new ort.Tensor("float32", request.data, [request.rows, features]) }).then((outputs) => {
      const output = outputs[outputName];
      const values = new Float32Array(output.data);
      parentPort.postMessage({ id: request.id, values, classes: Number(output.dims[1]) }, [values.buffer]);
    }, (error) => parentPort.postMessage({ id: request.id, error: fail(error) }));
  });
  parentPort.postMessage({ type: "ready", inputName: input.name, outputName, features });
}, (error) => parentPort.postMessage({ type: "failed", message: fail(error) }));
`;

export class OnnxClassifier {
  private readonly pending = new Map<number, { resolve(values: { values: Float32Array; classes: number }): void; reject(error: Error): void }>();
  private nextId = 0;
  private failure: Error | undefined;
  private workerExited = false;

  private constructor(
    private readonly worker: Worker,
    /** Numbers per input row: the model input's second dimension. */
    readonly features: number,
  ) {
    worker.on("message", (message: FromWorker) => {
      if (!("id" in message)) return;
      const call = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (this.pending.size === 0) worker.unref();
      if ("error" in message) call?.reject(new Error(message.error));
      else call?.resolve(message);
    });
    const stop = (error: Error) => {
      this.failure ??= error;
      for (const call of this.pending.values()) call.reject(error);
      this.pending.clear();
    };
    worker.on("error", stop);
    worker.on("exit", (code) => {
      this.workerExited = true;
      stop(new Error(`the onnxruntime worker thread exited (${code})`));
    });
    worker.unref();
  }

  /** Loads a model whose input is float[N, features] and whose first output is float[N, classes]. */
  static async load(file: string, threads = threadsFromEnv()): Promise<OnnxClassifier> {
    const workerData: WorkerData = { runtime: createRequire(import.meta.url).resolve("onnxruntime-node"), file, threads };
    // The worker's source is CommonJS: a parent started with --input-type=module would make it ESM.
    const execArgv = process.execArgv.filter((flag) => !flag.startsWith("--input-type"));
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData, execArgv });
    const ready = await new Promise<FromWorker>((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
    }).catch(async (error: unknown) => {
      await worker.terminate();
      throw error;
    });
    if (!("type" in ready) || ready.type !== "ready") {
      await worker.terminate();
      throw new Error("type" in ready && ready.type === "failed" ? ready.message : `${file}: the onnxruntime worker did not start`);
    }
    return new OnnxClassifier(worker, ready.features);
  }

  /** Runs sent to the thread and not yet answered. */
  get runsInFlight(): number {
    return this.pending.size;
  }

  /** Class probabilities of every row, in one run of the model. */
  async probabilities(rows: readonly (readonly number[])[]): Promise<number[][]> {
    if (this.failure) throw this.failure;
    const data = new Float32Array(rows.length * this.features);
    rows.forEach((row, index) => {
      if (row.length !== this.features) throw new Error(`row ${index} has ${row.length} numbers; the model takes ${this.features}`);
      data.set(row, index * this.features);
    });
    const id = ++this.nextId;
    const { values, classes } = await new Promise<{ values: Float32Array; classes: number }>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // A request in flight keeps the process alive; an idle model does not.
      this.worker.ref();
      this.worker.postMessage({ id, data, rows: rows.length }, [data.buffer]);
    });
    return rows.map((_, index) => Array.from(values.subarray(index * classes, (index + 1) * classes)));
  }

  /**
   * Frees the model: new calls are refused, runs in flight finish (up to `timeoutMs`), then the
   * session is released and the thread ends. Terminating a thread whose session is still running
   * aborts the whole process, so the thread is only terminated when it does not end by itself.
   */
  async release(timeoutMs = 10_000): Promise<void> {
    this.failure ??= new Error("the model was released");
    if (this.workerExited) return;
    const deadline = Date.now() + timeoutMs;
    while (this.pending.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    const exited = new Promise((resolve) => this.worker.once("exit", resolve));
    this.worker.ref();
    this.worker.postMessage({ type: "release" });
    const timer = setTimeout(() => void this.worker.terminate(), Math.max(0, deadline - Date.now()));
    await exited;
    clearTimeout(timer);
  }
}

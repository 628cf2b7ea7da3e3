// Several sessions of one ONNX model, each in a thread of its own, for an API with
// `maxConcurrentBatches` > 1: batches that run at once go to different sessions, so they compute
// in parallel instead of queueing in one thread. Give each session its share of the cores.
import { OnnxClassifier, threadsFromEnv } from "./onnx-classifier.js";

export class OnnxClassifierPool {
  private constructor(private readonly sessions: readonly OnnxClassifier[]) {}

  /** Loads `size` sessions of the model, each with `threads` intra-op threads. */
  static async load(file: string, size: number, threads = threadsFromEnv()): Promise<OnnxClassifierPool> {
    if (!(Number.isInteger(size) && size >= 1)) throw new Error(`a pool needs a positive whole number of sessions, got ${size}`);
    const sessions: OnnxClassifier[] = [];
    try {
      for (let index = 0; index < size; index++) sessions.push(await OnnxClassifier.load(file, threads));
    } catch (error) {
      await Promise.all(sessions.map((session) => session.release()));
      throw error;
    }
    return new OnnxClassifierPool(sessions);
  }

  /** Runs in flight, per session. */
  get runsInFlight(): number[] {
    return this.sessions.map((session) => session.runsInFlight);
  }

  /** Class probabilities of every row, in one run of the least busy session. */
  probabilities(rows: readonly (readonly number[])[]): Promise<number[][]> {
    const idlest = this.sessions.reduce((best, session) => (session.runsInFlight < best.runsInFlight ? session : best));
    return idlest.probabilities(rows);
  }

  /** Releases every session (each waits for its runs in flight). */
  async release(timeoutMs?: number): Promise<void> {
    await Promise.all(this.sessions.map((session) => session.release(timeoutMs)));
  }
}

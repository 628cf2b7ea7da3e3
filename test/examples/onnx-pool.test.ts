import { describe, expect, it } from "vitest";
import { irisModelPath } from "../../examples/iris/model/build-model.js";
import { readIris } from "../../examples/iris/model/iris-data.js";
import { OnnxClassifier } from "../../examples/iris/onnx-classifier.js";
import { OnnxClassifierPool } from "../../examples/iris/onnx-pool.js";

describe("OnnxClassifierPool (examples/iris/onnx-pool.ts)", () => {
  it("runs concurrent batches on different sessions and answers exactly as one session does", async () => {
    const rows = readIris().features;
    const single = await OnnxClassifier.load(irisModelPath(), 1);
    const pool = await OnnxClassifierPool.load(irisModelPath(), 2, 1);
    try {
      const expected = await single.probabilities(rows);
      // Two batches at once: the second goes to the idle session, not behind the first.
      const halves = [rows.slice(0, 75), rows.slice(75)];
      const answers = await Promise.all(halves.map((half) => pool.probabilities(half)));
      expect(answers.flat()).toEqual(expected);
      const running = [pool.probabilities(halves[0]!), pool.probabilities(halves[1]!)];
      expect(pool.runsInFlight).toEqual([1, 1]);
      await Promise.all(running);
      expect(pool.runsInFlight).toEqual([0, 0]);
    } finally {
      await Promise.all([single.release(), pool.release()]);
    }
  });

  it("refuses a pool without sessions", async () => {
    await expect(OnnxClassifierPool.load(irisModelPath(), 0)).rejects.toThrow(/positive whole number of sessions/);
  });
});

// The batching benchmark's heavy model: a deterministic multilayer perceptron with random
// (seeded) weights, generated at bench time and written with the same ONNX writer as the Iris
// example. Sized so that one batch of 64 costs well over 10 ms on a small machine, and one row
// alone costs more than 0.5 ms (reading every weight once), which is what batching amortises.
import { mlpToOnnx, type DenseLayer } from "../examples/iris/model/onnx-mlp.js";
import { seededRandom } from "../examples/iris/model/seeded-random.js";

export interface HeavyModelSpec {
  features: number;
  hidden: number;
  /** Hidden layers of `hidden` units. */
  depth: number;
  classes: number;
  seed: number;
}

export const HEAVY_MODEL: HeavyModelSpec = { features: 32, hidden: 2560, depth: 4, classes: 8, seed: 64 };

export function heavyModelOnnx(spec: HeavyModelSpec = HEAVY_MODEL): Uint8Array {
  const random = seededRandom(spec.seed);
  const widths = [spec.features, ...Array<number>(spec.depth).fill(spec.hidden), spec.classes];
  const layers: DenseLayer[] = widths.slice(1).map((outputs, index) => {
    const inputs = widths[index]!;
    // He-uniform weights keep the activations' scale steady through the ReLU layers.
    const limit = Math.sqrt(6 / inputs);
    const weights = new Float32Array(inputs * outputs);
    for (let i = 0; i < weights.length; i++) weights[i] = (random() * 2 - 1) * limit;
    const bias = new Float32Array(outputs);
    for (let i = 0; i < bias.length; i++) bias[i] = (random() * 2 - 1) * 0.1;
    return { inputs, outputs, weights, bias };
  });
  const shape = widths.join("→");
  return mlpToOnnx({ name: "heavy-mlp", doc: `Benchmark MLP ${shape} with seeded random weights (bench/heavy-model.ts, seed ${spec.seed}).`, layers });
}

/** Multiply-adds per row: what one inference costs, whatever the batch size. */
export function multiplyAddsPerRow(spec: HeavyModelSpec = HEAVY_MODEL): number {
  const widths = [spec.features, ...Array<number>(spec.depth).fill(spec.hidden), spec.classes];
  return widths.slice(1).reduce((sum, outputs, index) => sum + widths[index]! * outputs, 0);
}

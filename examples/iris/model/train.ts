// Trains the Iris classifier in plain JavaScript: a multilayer perceptron 4 → hidden → 3
// (ReLU, softmax), full-batch Adam on the cross-entropy, weights initialised from a fixed seed,
// so the same data always gives the same model. Inputs are standardised for training and the
// standardisation is folded into the first layer, so the model takes raw centimetres.
import type { DenseLayer } from "./onnx-mlp.js";
import { seededRandom } from "./seeded-random.js";

export interface TrainOptions {
  seed: number;
  hidden: number;
  epochs: number;
  learningRate: number;
}

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = { seed: 1936, hidden: 8, epochs: 1500, learningRate: 0.02 };

/** Weights as float64 row-major matrices during training. */
interface Layer {
  inputs: number;
  outputs: number;
  w: Float64Array;
  b: Float64Array;
}

export function trainMlp(features: readonly number[][], labels: readonly number[], classes: number, options: TrainOptions = DEFAULT_TRAIN_OPTIONS): DenseLayer[] {
  const rows = features.length;
  const width = features[0]!.length;
  const { mean, std } = moments(features);
  const x = features.map((row) => row.map((value, j) => (value - mean[j]!) / std[j]!));
  const random = seededRandom(options.seed);
  const layers = [initLayer(width, options.hidden, random), initLayer(options.hidden, classes, random)];
  const adam = new Adam(layers, options.learningRate);

  for (let epoch = 0; epoch < options.epochs; epoch++) {
    const grads = layers.map((layer) => ({ w: new Float64Array(layer.w.length), b: new Float64Array(layer.b.length) }));
    for (let r = 0; r < rows; r++) {
      const hiddenIn = affine(x[r]!, layers[0]!);
      const hidden = hiddenIn.map((v) => Math.max(0, v));
      const probabilities = softmax(affine(hidden, layers[1]!));
      // d(cross-entropy)/d(logits) = p - onehot(label), averaged over the rows.
      const dLogits = probabilities.map((p, k) => (p - (k === labels[r] ? 1 : 0)) / rows);
      const dHidden = accumulate(grads[1]!, layers[1]!, hidden, dLogits);
      accumulate(grads[0]!, layers[0]!, x[r]!, dHidden.map((g, j) => (hiddenIn[j]! > 0 ? g : 0)));
    }
    adam.step(grads);
  }
  return [foldStandardisation(layers[0]!, mean, std), toDense(layers[1]!)];
}

/** Class probabilities of one row, computed in JavaScript (to check the ONNX model against). */
export function predict(layers: readonly DenseLayer[], row: readonly number[]): number[] {
  let values = [...row];
  layers.forEach((layer, index) => {
    const out = affine(values, { inputs: layer.inputs, outputs: layer.outputs, w: layer.weights, b: layer.bias });
    values = index === layers.length - 1 ? softmax(out) : out.map((v) => Math.max(0, v));
  });
  return values;
}

export function argmax(values: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

function moments(features: readonly number[][]): { mean: number[]; std: number[] } {
  const width = features[0]!.length;
  const mean = Array.from({ length: width }, (_, j) => features.reduce((sum, row) => sum + row[j]!, 0) / features.length);
  const std = mean.map((m, j) => Math.sqrt(features.reduce((sum, row) => sum + (row[j]! - m) ** 2, 0) / features.length) || 1);
  return { mean, std };
}

/** He-uniform weights, zero biases. */
function initLayer(inputs: number, outputs: number, random: () => number): Layer {
  const limit = Math.sqrt(6 / inputs);
  return { inputs, outputs, w: Float64Array.from({ length: inputs * outputs }, () => (random() * 2 - 1) * limit), b: new Float64Array(outputs) };
}

function affine(x: readonly number[], layer: { inputs: number; outputs: number; w: ArrayLike<number>; b: ArrayLike<number> }): number[] {
  const out = Array.from(layer.b as ArrayLike<number>);
  for (let i = 0; i < layer.inputs; i++) {
    const xi = x[i]!;
    for (let j = 0; j < layer.outputs; j++) out[j]! += xi * layer.w[i * layer.outputs + j]!;
  }
  return out;
}

function softmax(logits: readonly number[]): number[] {
  const max = Math.max(...logits);
  const exps = logits.map((z) => Math.exp(z - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

/** Adds one row's weight and bias gradients; returns the gradient with respect to the layer's input. */
function accumulate(grad: { w: Float64Array; b: Float64Array }, layer: Layer, input: readonly number[], dOut: readonly number[]): number[] {
  const dIn = new Array<number>(layer.inputs).fill(0);
  for (let i = 0; i < layer.inputs; i++) {
    for (let j = 0; j < layer.outputs; j++) {
      grad.w[i * layer.outputs + j]! += input[i]! * dOut[j]!;
      dIn[i]! += layer.w[i * layer.outputs + j]! * dOut[j]!;
    }
  }
  for (let j = 0; j < layer.outputs; j++) grad.b[j]! += dOut[j]!;
  return dIn;
}

class Adam {
  private t = 0;
  private readonly moments: { m: Float64Array; v: Float64Array }[];

  constructor(private readonly layers: Layer[], private readonly rate: number, private readonly beta1 = 0.9, private readonly beta2 = 0.999) {
    this.moments = layers.flatMap((layer) => [layer.w, layer.b]).map((p) => ({ m: new Float64Array(p.length), v: new Float64Array(p.length) }));
  }

  step(grads: { w: Float64Array; b: Float64Array }[]): void {
    this.t++;
    const params = this.layers.flatMap((layer) => [layer.w, layer.b]);
    const gradients = grads.flatMap((g) => [g.w, g.b]);
    const correction1 = 1 - this.beta1 ** this.t;
    const correction2 = 1 - this.beta2 ** this.t;
    params.forEach((p, index) => {
      const g = gradients[index]!;
      const { m, v } = this.moments[index]!;
      for (let i = 0; i < p.length; i++) {
        m[i] = this.beta1 * m[i]! + (1 - this.beta1) * g[i]!;
        v[i] = this.beta2 * v[i]! + (1 - this.beta2) * g[i]! * g[i]!;
        p[i]! -= (this.rate * (m[i]! / correction1)) / (Math.sqrt(v[i]! / correction2) + 1e-8);
      }
    });
  }
}

/** (x - mean) / std · W + b  =  x · (W / std) + (b - Σ mean/std · W). */
function foldStandardisation(layer: Layer, mean: readonly number[], std: readonly number[]): DenseLayer {
  const w = new Float64Array(layer.w.length);
  const b = Float64Array.from(layer.b);
  for (let i = 0; i < layer.inputs; i++) {
    for (let j = 0; j < layer.outputs; j++) {
      const scaled = layer.w[i * layer.outputs + j]! / std[i]!;
      w[i * layer.outputs + j] = scaled;
      b[j]! -= mean[i]! * scaled;
    }
  }
  return toDense({ ...layer, w, b });
}

function toDense(layer: Layer): DenseLayer {
  return { inputs: layer.inputs, outputs: layer.outputs, weights: Float32Array.from(layer.w), bias: Float32Array.from(layer.b) };
}

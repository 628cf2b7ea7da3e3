import type { OnnxClassifier } from "./onnx-classifier.js";
import { SPECIES, type Species } from "./species.js";

/** One flower: sepal length, sepal width, petal length and petal width, in cm. */
export type IrisFeatures = [sepalLength: number, sepalWidth: number, petalLength: number, petalWidth: number];

/** The predicted species of one flower, with the model's probability for each species. */
export interface IrisPrediction {
  species: Species;
  /** Probabilities of setosa, versicolor and virginica, in that order. */
  probabilities: number[];
}

/** Runs the model on the flowers: each one's most probable species, and all three probabilities. */
export async function predictSpecies(model: OnnxClassifier, flowers: IrisFeatures[]): Promise<IrisPrediction[]> {
  const probabilities = await model.probabilities(flowers);
  return probabilities.map((p) => ({ species: SPECIES[p.indexOf(Math.max(...p))]!, probabilities: p }));
}

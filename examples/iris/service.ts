import { api, onShutdown, onStartup, service } from "bentoc";
import { irisModelFile } from "./model-file.js";
import { OnnxClassifier } from "./onnx-classifier.js";
import { SPECIES, type Species } from "./species.js";

/** One flower: sepal length, sepal width, petal length and petal width, in cm. */
export type IrisFeatures = [sepalLength: number, sepalWidth: number, petalLength: number, petalWidth: number];

/** The predicted species of one flower, with the model's probability for each species. */
export interface IrisPrediction {
  species: Species;
  /** Probabilities of setosa, versicolor and virginica, in that order. */
  probabilities: number[];
}

/** Classifies Iris flowers with a small neural network (model/iris.onnx) run by onnxruntime. */
@service({ traffic: { timeout: 30 } })
export class IrisClassifier {
  private model: OnnxClassifier | undefined;

  @onStartup
  async load(): Promise<void> {
    this.model = await OnnxClassifier.load(irisModelFile());
  }

  @onShutdown
  async unload(): Promise<void> {
    await this.model?.release();
  }

  /**
   * Classifies flowers. Concurrent calls are merged into one run of the model (up to 64 flowers,
   * waiting at most 10 ms for company) and each caller gets its own flowers' predictions.
   * @param flowers The flowers to classify.
   */
  @api({ batchable: true, maxBatchSize: 64, maxLatencyMs: 10 })
  async classify(/** @minItems 1 */ flowers: IrisFeatures[]): Promise<IrisPrediction[]> {
    const probabilities = await this.model!.probabilities(flowers);
    return probabilities.map((p) => ({ species: SPECIES[p.indexOf(Math.max(...p))]!, probabilities: p }));
  }
}

import { api, onShutdown, onStartup, service } from "bentoc";
import { irisModelFile } from "./model-file.js";
import { OnnxClassifier } from "./onnx-classifier.js";
import { predictSpecies, type IrisFeatures, type IrisPrediction } from "./predict.js";

export type { IrisFeatures, IrisPrediction } from "./predict.js";

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
    return predictSpecies(this.model!, flowers);
  }
}

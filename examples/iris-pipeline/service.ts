import { api, depends, onShutdown, onStartup, service, type Context } from "bentoc";
import { irisModelFile } from "../iris/model-file.js";
import { OnnxClassifier } from "../iris/onnx-classifier.js";
import { predictSpecies, type IrisFeatures, type IrisPrediction } from "../iris/predict.js";
import type { Species } from "../iris/species.js";
import { toCentimetres, type FieldReport } from "./units.js";

/** What the identifier answers for one report. */
export interface Identification {
  species: Species;
  /** The model's probability for that species. */
  confidence: number;
  /** Sepal length, sepal width, petal length and petal width in cm: what the model was given. */
  centimetres: number[];
}

/**
 * The service in front: takes flowers as a field app reports them (named measurements, in cm, mm
 * or inches), turns them into the model's features, and asks the model service, which it
 * depends on. Served together in one process, the call stays in-process; with `--split` (or as
 * two Kubernetes Deployments) it goes over HTTP, and the model service scales on its own.
 */
@service()
export class IrisIdentifier {
  private readonly model = depends(IrisModel);

  /**
   * Identifies the species of each reported flower.
   * @param reports The flowers, each measured in one unit.
   */
  @api()
  async identify(/** @minItems 1 @maxItems 64 */ reports: FieldReport[], ctx: Context): Promise<Identification[]> {
    const flowers = reports.map(toCentimetres);
    const predictions = await this.model.classify({ flowers }, { context: ctx });
    return predictions.map((prediction, index) => ({
      species: prediction.species,
      confidence: Math.max(...prediction.probabilities),
      centimetres: flowers[index]!,
    }));
  }
}

/** The Iris model (examples/iris/model/iris.onnx, run by onnxruntime) behind a batchable API. */
@service({ traffic: { timeout: 30 } })
export class IrisModel {
  private model: OnnxClassifier | undefined;

  @onStartup
  async load(): Promise<void> {
    this.model = await OnnxClassifier.load(irisModelFile());
  }

  @onShutdown
  async unload(): Promise<void> {
    await this.model?.release();
  }

  /** Classifies flowers; concurrent calls, from the identifier or from anyone, share runs of the model. */
  @api({ batchable: true, maxBatchSize: 64, maxLatencyMs: 10 })
  async classify(/** @minItems 1 */ flowers: IrisFeatures[]): Promise<IrisPrediction[]> {
    return predictSpecies(this.model!, flowers);
  }
}

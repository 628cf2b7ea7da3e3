import { api, depends, service, type Context } from "bentoc";
import { IrisClassifier } from "../iris/service.js";
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
 * or inches), turns them into the model's features, and asks the Iris classifier (the service of
 * examples/iris, imported from there), which it depends on. Served together in one process, the
 * call stays in-process; with `--split` (or as two Kubernetes Deployments) it goes over HTTP, and
 * the classifier scales on its own.
 */
@service()
export class IrisIdentifier {
  private readonly classifier = depends(IrisClassifier);

  /**
   * Identifies the species of each reported flower.
   * @param reports The flowers, each measured in one unit.
   */
  @api()
  async identify(/** @minItems 1 @maxItems 64 */ reports: FieldReport[], ctx: Context): Promise<Identification[]> {
    const flowers = reports.map(toCentimetres);
    const predictions = await this.classifier.classify({ flowers }, { context: ctx });
    return predictions.map((prediction, index) => ({
      species: prediction.species,
      confidence: Math.max(...prediction.probabilities),
      centimetres: flowers[index]!,
    }));
  }
}

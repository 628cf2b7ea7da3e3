/** The units a field app measures in. */
export type Unit = "cm" | "mm" | "in";

/** One flower as a field app reports it. */
export interface FieldReport {
  /** @exclusiveMinimum 0 */
  sepalLength: number;
  /** @exclusiveMinimum 0 */
  sepalWidth: number;
  /** @exclusiveMinimum 0 */
  petalLength: number;
  /** @exclusiveMinimum 0 */
  petalWidth: number;
  unit: Unit;
}

const CENTIMETRES_PER: Record<Unit, number> = { cm: 1, mm: 0.1, in: 2.54 };

/** The model's features: the four measurements in cm, in the model's order. */
export function toCentimetres(report: FieldReport): [number, number, number, number] {
  const factor = CENTIMETRES_PER[report.unit];
  const round = (value: number) => Math.round(value * factor * 1000) / 1000;
  return [round(report.sepalLength), round(report.sepalWidth), round(report.petalLength), round(report.petalWidth)];
}

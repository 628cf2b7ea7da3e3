import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { SPECIES } from "../species.js";

/**
 * The example's source folder, `examples/iris`, found by walking up from this module: the
 * same from the TypeScript source and from its compiled copy under dist/.
 */
export function irisExampleDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, "examples", "iris");
    if (existsSync(join(candidate, "data", "iris.csv"))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find examples/iris/data/iris.csv above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

/** The 150-row Iris data set committed beside the example (see data/README.md for its source). */
export function irisCsvPath(): string {
  return join(irisExampleDir(), "data", "iris.csv");
}

export interface IrisData {
  /** [sepal length, sepal width, petal length, petal width] in cm, one row per flower. */
  features: number[][];
  /** Index into SPECIES, one per row. */
  labels: number[];
}

/** Reads `sepal_length,sepal_width,petal_length,petal_width,species` rows; throws naming the bad line. */
export function readIris(file = irisCsvPath()): IrisData {
  const lines = readFileSync(file, "utf8").trim().split(/\r?\n/);
  const features: number[][] = [];
  const labels: number[] = [];
  for (const [index, line] of lines.slice(1).entries()) {
    const cells = line.split(",");
    const values = cells.slice(0, 4).map(Number);
    const label = SPECIES.indexOf(cells[4] as (typeof SPECIES)[number]);
    if (cells.length !== 5 || values.some((value) => !Number.isFinite(value)) || label < 0) {
      throw new Error(`${file}:${index + 2}: expected 4 numbers and a species, got ${JSON.stringify(line)}`);
    }
    features.push(values);
    labels.push(label);
  }
  return { features, labels };
}

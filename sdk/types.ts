/** Any JSON value. Use it where a value really has no fixed shape. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Element types a tensor may hold. */
export type DType = "float32" | "float64" | "int32" | "int64" | "uint8" | "bool";

/** A dense n-dimensional array in row-major order, as it travels over JSON. */
export interface Tensor<D extends DType = "float32"> {
  dtype: D;
  /** @minItems 1 */
  shape: number[];
  data: D extends "bool" ? boolean[] : number[];
}

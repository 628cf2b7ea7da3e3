import type ts from "typescript";
import type { BatchingManifest } from "../manifest/types.js";
import type { EndpointDeclaration } from "./api.js";
import type { CompileContext } from "./compile-context.js";
import type { ParameterTypes } from "./input.js";
import type { OutputShape } from "./output.js";

// BentoML's defaults, so a service moved between the two batches alike.
export const DEFAULT_MAX_BATCH_SIZE = 100;
export const DEFAULT_MAX_LATENCY_MS = 60_000;

export interface BatchingOptions {
  batchable?: boolean;
  batchDim?: number;
  maxBatchSize?: number;
  maxLatencyMs?: number;
  maxConcurrentBatches?: number;
}

/**
 * A batchable API takes one array (the batch) and returns an array of the same length,
 * so concurrent calls can be concatenated along `batchDim` and the results split back.
 */
export function batchingOf(endpoint: EndpointDeclaration, parameters: ParameterTypes, output: OutputShape, context: CompileContext): BatchingManifest {
  const { method, methodName, options } = endpoint;
  const { checker, sink } = context;
  const batchDim = options.batchDim ?? 0;
  const batching: BatchingManifest = { maxBatchSize: options.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE, maxLatencyMs: options.maxLatencyMs ?? DEFAULT_MAX_LATENCY_MS, batchDim };
  // Only when given: manifests written before the option existed stay as they were.
  if (options.maxConcurrentBatches !== undefined) batching.maxConcurrentBatches = options.maxConcurrentBatches;
  if (output.streaming) {
    sink.report("BTC3004", method.name, methodName, "batchable", "a stream (a batch returns all its results at once)");
    return batching;
  }
  const batch = parameters[0];
  if (parameters.length !== 1 || !batch) {
    sink.report("BTC3001", method.name, methodName, `it takes ${parameters.length} parameters`);
    return batching;
  }
  const inputDepth = arrayDepth(batch.type, checker);
  if (inputDepth === 0) {
    sink.report("BTC3001", batch.node, methodName, `its parameter '${batch.name}' is '${checker.typeToString(batch.type)}', not an array`);
    return batching;
  }
  const batchDimNode = endpoint.optionLocations.get("batchDim") ?? batch.node;
  if (batchDim >= inputDepth) sink.report("BTC3003", batchDimNode, batchDim, methodName, `parameter '${batch.name}'`, inputDepth, inputDepth - 1);
  const outputDepth = output.type ? arrayDepth(output.type, checker) : 0;
  if (outputDepth === 0) {
    sink.report("BTC3002", method.type ?? method.name, methodName, output.type ? checker.typeToString(output.type) : "unknown");
  } else if (batchDim >= outputDepth && batchDim < inputDepth) {
    sink.report("BTC3003", batchDimNode, batchDim, methodName, "result", outputDepth, outputDepth - 1);
  }
  return batching;
}

/** How many array dimensions a type has: `number[][]` → 2. */
function arrayDepth(type: ts.Type, checker: ts.TypeChecker): number {
  let depth = 0;
  let current: ts.Type | undefined = type;
  while (current && checker.isArrayType(current)) {
    depth++;
    current = checker.getTypeArguments(current as ts.TypeReference)[0];
  }
  return depth;
}

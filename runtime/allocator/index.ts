// Resource allocator: detect what the machine offers, then plan what each worker gets.
export { detectResources, type DetectResourcesDeps } from "./detect-resources.js";
export { planWorkers } from "./worker-plan.js";
export { DISABLE_GPU_ALLOCATION } from "./gpu-assignment.js";
export { parseNvidiaSmiCsv, type RunCommand } from "./nvidia-smi.js";
export { parseCpuQuantity } from "./cpu-quantity.js";
export type { ReadTextFile } from "./cpu-count.js";
export type {
  CpuSource,
  DetectedResources,
  Environment,
  GpuAllocationMode,
  GpuDevice,
  ResourceRequest,
  WorkerAllocation,
  WorkerPlan,
  WorkerPlanConfig,
} from "./types.js";

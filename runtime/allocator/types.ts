// Shapes passed between the allocator's stages: detection → plan.

/** One device as `nvidia-smi` lists it. */
export interface GpuDevice {
  /** nvidia-smi's index (PCI bus order); what goes into CUDA_VISIBLE_DEVICES. */
  index: number;
  name: string;
  /** Total memory in MiB; absent when nvidia-smi reports "[N/A]". */
  memoryMiB?: number;
}

/** Where the CPU count came from. */
export type CpuSource = "cgroup-v2" | "cgroup-v1" | "os";

/** What this machine (or container) offers. */
export interface DetectedResources {
  cpuCount: number;
  cpuSource: CpuSource;
  gpus: readonly GpuDevice[];
}

/** Resources one worker asks for (the service's `resources` option). */
export interface ResourceRequest {
  /** CPU cores: a number, or a Kubernetes quantity such as "500m" or "2". */
  cpu?: number | string;
  /** GPUs: whole numbers get distinct devices, fractions below 1 share one. */
  gpu?: number;
}

export interface WorkerPlanConfig {
  /** Worker processes: a count, or "cpu" for one per CPU. Default 1. */
  workers?: number | "cpu";
  resources?: ResourceRequest;
}

/** Whether the plan sets CUDA_VISIBLE_DEVICES, and if not, why. */
export type GpuAllocationMode =
  | "assigned" // we set CUDA_VISIBLE_DEVICES per worker
  | "not-requested" // resources.gpu is absent or 0
  | "disabled" // BENTOC_DISABLE_GPU_ALLOCATION is set
  | "preset" // CUDA_VISIBLE_DEVICES was already in the environment
  | "no-gpus"; // requested, but nvidia-smi found none

export interface WorkerAllocation {
  /** 0-based worker number. */
  index: number;
  threads: number;
  /** nvidia-smi indexes of the devices this worker sees; absent unless mode is "assigned". */
  gpus?: readonly number[];
  /** Variables to add to the worker's environment (only the ones the allocator sets). */
  env: Readonly<Record<string, string>>;
}

export interface WorkerPlan {
  threadsPerWorker: number;
  gpuAllocation: GpuAllocationMode;
  workers: readonly WorkerAllocation[];
  /** Messages for the operator: what is wrong and how to fix it. */
  warnings: readonly string[];
}

/** The process environment as the allocator reads it. */
export type Environment = Readonly<Record<string, string | undefined>>;

import { parseCpuQuantity } from "./cpu-quantity.js";
import { assignGpus } from "./gpu-assignment.js";
import type { DetectedResources, Environment, WorkerAllocation, WorkerPlan, WorkerPlanConfig } from "./types.js";

/**
 * What each of N workers gets: threads (an even share of the CPUs, or resources.cpu) and,
 * when GPUs are requested and allocation is not left to the user, CUDA_VISIBLE_DEVICES.
 * Never throws for a request the machine cannot meet: it plans what it can and warns.
 */
export function planWorkers(machine: DetectedResources, config: WorkerPlanConfig, env: Environment): WorkerPlan {
  const workerCount = resolveWorkerCount(config.workers, machine.cpuCount);
  const warnings: string[] = [];
  const threads = threadsPerWorker(machine, workerCount, config.resources?.cpu, warnings);
  const gpu = assignGpus(machine.gpus, workerCount, config.resources?.gpu, env);
  warnings.push(...gpu.warnings);

  const workers: WorkerAllocation[] = [];
  for (let index = 0; index < workerCount; index++) {
    const workerEnv: Record<string, string> = { BENTOC_THREADS: String(threads) };
    // A user's own OMP_NUM_THREADS wins, as a preset CUDA_VISIBLE_DEVICES does.
    if (env.OMP_NUM_THREADS === undefined) workerEnv.OMP_NUM_THREADS = String(threads);
    const devices = gpu.devicesPerWorker?.[index];
    if (devices !== undefined) {
      workerEnv.CUDA_VISIBLE_DEVICES = devices.join(",");
      // nvidia-smi numbers devices in PCI bus order; CUDA's default order may differ.
      workerEnv.CUDA_DEVICE_ORDER = "PCI_BUS_ID";
    }
    workers.push(devices === undefined ? { index, threads, env: workerEnv } : { index, threads, gpus: devices, env: workerEnv });
  }
  return { threadsPerWorker: threads, gpuAllocation: gpu.mode, workers, warnings };
}

function resolveWorkerCount(workers: number | "cpu" | undefined, cpuCount: number): number {
  if (workers === undefined) return 1;
  if (workers === "cpu") return cpuCount;
  if (!Number.isInteger(workers) || workers < 1) {
    throw new RangeError(`workers must be a positive whole number or "cpu", got ${String(workers)}`);
  }
  return workers;
}

function threadsPerWorker(
  machine: DetectedResources,
  workerCount: number,
  requested: number | string | undefined,
  warnings: string[],
): number {
  const share = Math.max(1, Math.floor(machine.cpuCount / workerCount));
  if (requested === undefined) return share;
  const cores = parseCpuQuantity(requested);
  if (cores === undefined) {
    warnings.push(`resources.cpu ${JSON.stringify(requested)} is not a CPU quantity (e.g. 2 or "500m"); each worker uses ${share} thread(s) instead`);
    return share;
  }
  const wanted = Math.max(1, Math.ceil(cores));
  if (workerCount * wanted > machine.cpuCount) {
    warnings.push(
      `${workerCount === 1 ? "1 worker" : `${workerCount} workers`} × ${cores} CPU need ${workerCount * wanted} threads but ` +
        `${machine.cpuCount} CPU(s) are available (${machine.cpuSource}): lower workers or resources.cpu`,
    );
  }
  // More threads than CPUs only adds contention.
  return Math.min(wanted, machine.cpuCount);
}

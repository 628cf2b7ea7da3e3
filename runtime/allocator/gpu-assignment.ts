import type { Environment, GpuAllocationMode, GpuDevice } from "./types.js";

export const DISABLE_GPU_ALLOCATION = "BENTOC_DISABLE_GPU_ALLOCATION";

export interface GpuAssignment {
  mode: GpuAllocationMode;
  /** nvidia-smi indexes per worker; present only when mode is "assigned". */
  devicesPerWorker?: number[][];
  warnings: string[];
}

/** "1", "true", "yes" and the like turn the switch on; unset, "", "0", "false", "no", "off" leave it off. */
export function isSwitchOn(value: string | undefined): boolean {
  return value !== undefined && !/^\s*(0|false|no|off)?\s*$/i.test(value);
}

const MANAGE_YOURSELF = `set ${DISABLE_GPU_ALLOCATION}=1 to manage CUDA_VISIBLE_DEVICES yourself`;

/**
 * Devices for each worker. Whole requests give each worker distinct devices (gpu: 2 on 4 GPUs
 * with 2 workers → [0,1] and [2,3]); a fraction below 1 packs floor(1 / gpu) workers on one
 * device. When there are too few devices the plan wraps around and warns; a worker never
 * gets the same device twice.
 */
export function assignGpus(
  gpus: readonly GpuDevice[],
  workerCount: number,
  gpuPerWorker: number | undefined,
  env: Environment,
): GpuAssignment {
  if (gpuPerWorker === undefined || gpuPerWorker === 0) return { mode: "not-requested", warnings: [] };
  if (!Number.isFinite(gpuPerWorker) || gpuPerWorker < 0) {
    return { mode: "not-requested", warnings: [`resources.gpu must be a positive number, got ${gpuPerWorker}; no GPUs are assigned`] };
  }
  if (isSwitchOn(env[DISABLE_GPU_ALLOCATION])) return { mode: "disabled", warnings: [] };
  if (env.CUDA_VISIBLE_DEVICES !== undefined) return { mode: "preset", warnings: [] };
  if (gpus.length === 0) {
    return {
      mode: "no-gpus",
      warnings: [
        `resources.gpu is ${gpuPerWorker} per worker but no GPU was found (nvidia-smi is absent or failed): ` +
          `workers start without CUDA_VISIBLE_DEVICES; install the NVIDIA driver so nvidia-smi works, drop resources.gpu, or ${MANAGE_YOURSELF}`,
      ],
    };
  }
  return gpuPerWorker < 1 ? shareDevices(gpus, workerCount, gpuPerWorker) : wholeDevices(gpus, workerCount, gpuPerWorker);
}

function wholeDevices(gpus: readonly GpuDevice[], workerCount: number, gpuPerWorker: number): GpuAssignment {
  const warnings: string[] = [];
  const perWorker = Math.ceil(gpuPerWorker);
  if (perWorker !== gpuPerWorker) {
    warnings.push(`resources.gpu is ${gpuPerWorker}: only fractions below 1 can share a device, so each worker gets ${perWorker} whole GPUs`);
  }
  const needed = workerCount * perWorker;
  if (needed > gpus.length) warnings.push(overRequest(workerCount, perWorker, needed, gpus.length));
  const devicesPerWorker: number[][] = [];
  for (let worker = 0; worker < workerCount; worker++) {
    const devices: number[] = [];
    for (let k = 0; k < Math.min(perWorker, gpus.length); k++) devices.push(gpus[(worker * perWorker + k) % gpus.length]!.index);
    devicesPerWorker.push(devices);
  }
  return { mode: "assigned", devicesPerWorker, warnings };
}

function shareDevices(gpus: readonly GpuDevice[], workerCount: number, gpuPerWorker: number): GpuAssignment {
  const warnings: string[] = [];
  // The epsilon keeps 1 / 0.2 from landing just under 5.
  const workersPerDevice = Math.floor(1 / gpuPerWorker + 1e-9);
  const needed = Math.ceil(workerCount / workersPerDevice);
  if (needed > gpus.length) warnings.push(overRequest(workerCount, gpuPerWorker, needed, gpus.length));
  const devicesPerWorker: number[][] = [];
  for (let worker = 0; worker < workerCount; worker++) {
    devicesPerWorker.push([gpus[Math.floor(worker / workersPerDevice) % gpus.length]!.index]);
  }
  return { mode: "assigned", devicesPerWorker, warnings };
}

function overRequest(workerCount: number, gpuPerWorker: number, needed: number, found: number): string {
  const workers = workerCount === 1 ? "1 worker" : `${workerCount} workers`;
  const perWorker = gpuPerWorker > 1 ? `${gpuPerWorker} GPUs` : `${gpuPerWorker} GPU`;
  const need = workerCount === 1 ? "needs" : "need";
  const wasFound = found === 1 ? "1 was found" : `${found} were found`;
  return (
    `${workers} × ${perWorker} ${need} ${needed} GPU${needed === 1 ? "" : "s"} but ${wasFound} (nvidia-smi): ` +
    `lower workers or resources.gpu, or ${MANAGE_YOURSELF}; until then workers share devices`
  );
}

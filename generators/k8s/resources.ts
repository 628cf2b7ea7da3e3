import type { ResourcesManifest } from "../../manifest/types.js";

/** What a container asks for when the service says nothing: the HPA needs a CPU request to scale on. */
export const DEFAULT_REQUESTS = { cpu: "500m", memory: "512Mi" } as const;

export interface ContainerResources {
  requests: Record<string, string>;
  limits: Record<string, string>;
}

/**
 * Requests and limits from the service's `resources`: CPU and memory are requested; memory is
 * also the limit (a process past it is killed rather than starving its neighbours), CPU has no
 * limit (throttling hurts latency more than it protects). GPUs are whole devices in Kubernetes,
 * so a fraction asks for one.
 */
export function containerResources(resources: ResourcesManifest): ContainerResources {
  const cpu = resources.cpu === undefined ? DEFAULT_REQUESTS.cpu : cpuQuantity(resources.cpu);
  const memory = resources.memory ?? DEFAULT_REQUESTS.memory;
  const limits: Record<string, string> = { memory };
  const gpu = resources.gpu ?? 0;
  if (gpu > 0) limits["nvidia.com/gpu"] = String(Math.ceil(gpu));
  return { requests: { cpu, memory }, limits };
}

/** `2` → "2", `0.5` → "500m"; a quantity string is kept as written. */
function cpuQuantity(cpu: number | string): string {
  if (typeof cpu === "string") return cpu;
  return Number.isInteger(cpu) ? String(cpu) : `${Math.ceil(cpu * 1000)}m`;
}

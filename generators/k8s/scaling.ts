import type { ServiceManifest, TaskStoreManifest } from "../../manifest/types.js";

const MAX_REPLICAS = 10;
const CPU_UTILIZATION = 70;

/** How far a service may scale out: 1 to 10 replicas, or exactly 1 while its tasks live in the pod. */
export interface ReplicaBounds {
  minReplicas: number;
  maxReplicas: number;
}

/**
 * Without a shared task store, a task's status and result live in its pod's own store (an
 * emptyDir), so a second replica would answer 404 for tasks submitted to the first: a service
 * with task APIs then runs as one replica.
 */
export function replicaBounds(service: ServiceManifest, taskStore: TaskStoreManifest | undefined): ReplicaBounds {
  const podLocalTasks = taskApiNames(service).length > 0 && taskStore === undefined;
  return { minReplicas: 1, maxReplicas: podLocalTasks ? 1 : MAX_REPLICAS };
}

/** The service's task APIs, by name. */
export function taskApiNames(service: ServiceManifest): string[] {
  return service.apis.filter((api) => api.kind === "task").map((api) => api.name);
}

/** autoscaling/v2 HorizontalPodAutoscaler spec on CPU utilisation, within the service's replica bounds. */
export function autoscalerSpec(service: ServiceManifest, deploymentName: string, taskStore: TaskStoreManifest | undefined): Record<string, unknown> {
  return {
    scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: deploymentName },
    ...replicaBounds(service, taskStore),
    metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: CPU_UTILIZATION } } }],
  };
}

/**
 * policy/v1 PodDisruptionBudget spec: voluntary evictions (a node drain, a cluster upgrade)
 * take one pod at a time. `maxUnavailable: 1` never blocks a drain, also at one replica,
 * where `minAvailable: 1` would block it for good; a pod that is not ready may always be evicted,
 * so a crash-looping pod does not hold a node either.
 */
export function disruptionBudgetSpec(selector: Record<string, string>): Record<string, unknown> {
  return { maxUnavailable: 1, selector: { matchLabels: selector }, unhealthyPodEvictionPolicy: "AlwaysAllow" };
}

// What the primary and its workers say to each other over the cluster's IPC channel. Every
// message carries a `bentoc` tag, so it is never confused with prom-client's or the user's own.

/** A worker's progress: its server exists (metrics can be read), it is ready, or it is draining. */
export type WorkerState = "serving" | "ready" | "draining";

/** How many workers are ready out of how many the plan runs. */
export interface ClusterReadiness {
  ready: number;
  expected: number;
}

/** A registry's `getMetricsAsJSON()`: what prom-client's `AggregatorRegistry.aggregate` takes. */
export type MetricsJson = unknown[];

export type WorkerMessage =
  | { bentoc: "state"; state: WorkerState }
  /** A worker was asked for /metrics: it wants the cluster's. */
  | { bentoc: "metrics-request"; id: number }
  /** A worker's own metrics, answering the primary's `metrics-gather`. */
  | { bentoc: "metrics-report"; id: number; metrics: MetricsJson };

export type PrimaryMessage =
  | ({ bentoc: "readiness" } & ClusterReadiness)
  | { bentoc: "metrics-gather"; id: number }
  | { bentoc: "metrics-result"; id: number; contentType: string; text: string }
  | { bentoc: "metrics-failed"; id: number; error: string };

export function isWorkerMessage(message: unknown): message is WorkerMessage {
  return isTagged(message);
}

export function isPrimaryMessage(message: unknown): message is PrimaryMessage {
  return isTagged(message);
}

function isTagged(message: unknown): boolean {
  return typeof message === "object" && message !== null && typeof (message as { bentoc?: unknown }).bentoc === "string";
}

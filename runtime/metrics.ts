import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** The Prometheus metrics of one server: requests by route and status, latency, in-flight. */
export class ServerMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<"route" | "method" | "status">;
  private readonly latency: Histogram<"route" | "method">;
  private readonly inFlight: Gauge<"route">;
  // Adaptive batching (runtime/batching): batch sizes, queue waits and shed calls per API.
  private readonly batchSize: Histogram<"api">;
  private readonly batchQueueWait: Histogram<"api">;
  private readonly batchShed: Counter<"api">;

  constructor(options: { defaultMetrics?: boolean } = {}) {
    this.requests = new Counter({ name: "bentoc_requests_total", help: "HTTP requests by route, method and status", labelNames: ["route", "method", "status"], registers: [this.registry] });
    this.latency = new Histogram({
      name: "bentoc_request_duration_seconds",
      help: "Request latency in seconds, from arrival to the end of the response",
      labelNames: ["route", "method"],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [this.registry],
    });
    this.inFlight = new Gauge({ name: "bentoc_requests_in_flight", help: "Requests being served", labelNames: ["route"], registers: [this.registry] });
    this.batchSize = new Histogram({ name: "bentoc_batch_size", help: "Items per dispatched batch", labelNames: ["api"], buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512], registers: [this.registry] });
    this.batchQueueWait = new Histogram({
      name: "bentoc_batch_queue_wait_seconds",
      help: "Time a batched call waited in the queue before its batch ran",
      labelNames: ["api"],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [this.registry],
    });
    this.batchShed = new Counter({ name: "bentoc_batch_shed_total", help: "Batched calls refused with 503 because the queue could not meet maxLatencyMs", labelNames: ["api"], registers: [this.registry] });
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: "bentoc_process_" });
  }

  started(route: string): void {
    cached(this.inFlightByRoute, route, () => this.inFlight.labels({ route })).inc();
  }

  /** `wasStarted`: the request was counted in flight (API routes), so it leaves the count now. */
  finished(route: string, method: string, status: number, seconds: number, wasStarted = true): void {
    if (wasStarted) cached(this.inFlightByRoute, route, () => this.inFlight.labels({ route })).dec();
    cached(this.requestsByKey, `${route} ${method} ${status}`, () => this.requests.labels({ route, method, status: String(status) })).inc();
    cached(this.latencyByKey, `${route} ${method}`, () => this.latency.labels({ route, method })).observe(seconds);
  }

  /** Hooks for one API's batch dispatcher. */
  batching(api: string): { onBatch(size: number, waitsMs: number[]): void; onShed(): void } {
    const size = this.batchSize.labels({ api });
    const wait = this.batchQueueWait.labels({ api });
    const shed = this.batchShed.labels({ api });
    return {
      onBatch: (items, waitsMs) => {
        size.observe(items);
        for (const ms of waitsMs) wait.observe(ms / 1000);
      },
      onShed: () => shed.inc(),
    };
  }

  // prom-client hashes the label object on every call; a child per label set does that once.
  private readonly inFlightByRoute = new Map<string, ReturnType<Gauge["labels"]>>();
  private readonly requestsByKey = new Map<string, ReturnType<Counter["labels"]>>();
  private readonly latencyByKey = new Map<string, ReturnType<Histogram["labels"]>>();

  async text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

function cached<T>(children: Map<string, T>, key: string, make: () => T): T {
  let child = children.get(key);
  if (child === undefined) {
    child = make();
    children.set(key, child);
  }
  return child;
}

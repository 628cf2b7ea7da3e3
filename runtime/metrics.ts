import type { IncomingMessage } from "node:http";
import { performance } from "node:perf_hooks";
import { Counter, Histogram, Registry, collectDefaultMetrics, type Metric } from "prom-client";
import type { Context as TraceContext } from "@opentelemetry/api";

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * What the server notes on a request as it goes: when it arrived, the API route that admitted it
 * (it counts as in flight there until its response is counted), and whether its response was
 * counted. Kept on the raw request, made when Fastify asks for the request id: Fastify's
 * `reply.elapsedTime` is 0 unless a logger or an onResponse hook is set, and a property declared
 * with `decorateRequest` costs every request a generic store in Fastify's Request constructor.
 */
export class RequestMarks {
  admitted: RouteStats | null = null;
  counted = false;
  /** Its access line is written, or will be when the response ends. */
  logged = false;
  /** The body bytes of a streamed response so far (the access line's `bytes`; others have a content-length). */
  bodyBytes = 0;
  /** The request's span, while it is open, when the server traces. */
  trace: TraceContext | undefined = undefined;
  constructor(readonly arrivedAt: number) {}

  /** Seconds since the request arrived. */
  secondsSinceArrival(): number {
    return (performance.now() - this.arrivedAt) / 1000;
  }
}

const MARKS = Symbol("bentoc.marks");
type Marked = IncomingMessage & { [MARKS]?: RequestMarks };

/** Marks the request's arrival; the server calls it first thing (from Fastify's `genReqId`). */
export function markArrival(request: IncomingMessage): void {
  (request as Marked)[MARKS] = new RequestMarks(performance.now());
}

/** The marks `markArrival` made (undefined for a request Fastify never routed). */
export function marksOf(request: IncomingMessage): RequestMarks | undefined {
  return (request as Marked)[MARKS];
}

/**
 * One route and method's request figures. The request path only adds to plain numbers here
 * (prom-client hashes its labels on every `inc`/`observe`, a cost per request that showed in
 * the HTTP benchmark); `/metrics` turns them into Prometheus samples when it is scraped.
 */
export class RouteStats {
  inFlight = 0;
  /** Responses by status code (Node sends codes 100 to 999): an index is cheaper than a Map lookup per response. */
  readonly statuses = new Float64Array(1000);
  /** Latency observations per bucket of LATENCY_BUCKETS, not cumulative; the last is +Inf. */
  readonly buckets = new Array<number>(LATENCY_BUCKETS.length + 1).fill(0);
  sum = 0;
  count = 0;

  /** `isApi`: an API route, whose calls are counted in flight. */
  constructor(readonly route: string, readonly method: string, readonly isApi: boolean) {}

  /** A finished response; `wasStarted`: it was counted in flight, so it leaves that count now. */
  finished(status: number, seconds: number, wasStarted: boolean): void {
    if (wasStarted) this.inFlight--;
    this.statuses[status]++;
    let bucket = 0;
    while (bucket < LATENCY_BUCKETS.length && seconds > LATENCY_BUCKETS[bucket]!) bucket++;
    this.buckets[bucket]!++;
    this.sum += seconds;
    this.count++;
  }
}

interface Sample {
  metricName?: string;
  labels: Record<string, string | number>;
  value: number;
}

/** The Prometheus metrics of one server: requests by route and status, latency, in-flight, batching. */
export class ServerMetrics {
  readonly registry = new Registry();
  private readonly routes = new Map<string, RouteStats>();
  // Adaptive batching (runtime/batching): batch sizes, queue waits and shed calls per API; per batch, not per request.
  private readonly batchSize: Histogram<"api">;
  private readonly batchQueueWait: Histogram<"api">;
  private readonly batchShed: Counter<"api">;

  constructor(options: { defaultMetrics?: boolean } = {}) {
    this.register("bentoc_requests_total", "HTTP requests by route, method and status", "counter", () =>
      this.allRoutes().flatMap((stats) => statusSamples(stats).map(([status, value]) => ({ labels: { route: stats.route, method: stats.method, status }, value }))));
    this.register("bentoc_request_duration_seconds", "Request latency in seconds, from arrival until the response is sent (a stream: until it ends)", "histogram", () =>
      this.allRoutes().flatMap(histogramSamples("bentoc_request_duration_seconds")));
    this.register("bentoc_requests_in_flight", "Requests being served", "gauge", () => {
      const byRoute = new Map<string, number>();
      for (const stats of this.allRoutes()) if (stats.isApi) byRoute.set(stats.route, (byRoute.get(stats.route) ?? 0) + stats.inFlight);
      return [...byRoute].map(([route, value]) => ({ labels: { route }, value }));
    });
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

  /** The figures of one route and method, made on first use; an API route keeps its object for the hot path. */
  route(route: string, method: string, isApi = false): RouteStats {
    const key = `${method} ${route}`;
    let stats = this.routes.get(key);
    if (stats === undefined) {
      stats = new RouteStats(route, method, isApi);
      this.routes.set(key, stats);
    }
    return stats;
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

  async text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private allRoutes(): RouteStats[] {
    return [...this.routes.values()];
  }

  /**
   * A metric whose samples are computed when scraped. prom-client's registry (and its cluster
   * aggregator, which sums worker samples by name and labels) only needs `get()`.
   */
  private register(name: string, help: string, type: "counter" | "gauge" | "histogram", samples: () => Sample[]): void {
    const metric = { name, help, type, aggregator: "sum" as const };
    this.registry.registerMetric({ ...metric, get: async () => ({ ...metric, values: samples() }) } as unknown as Metric);
  }
}

/** The status codes a route has answered with, and how often. */
function statusSamples(stats: RouteStats): Array<[number, number]> {
  const samples: Array<[number, number]> = [];
  stats.statuses.forEach((count, status) => {
    if (count > 0) samples.push([status, count]);
  });
  return samples;
}

/** Prometheus histogram samples of one route: cumulative buckets, then sum and count. */
function histogramSamples(name: string): (stats: RouteStats) => Sample[] {
  return (stats) => {
    const labels = { route: stats.route, method: stats.method };
    let cumulative = 0;
    const buckets = stats.buckets.map((count, index) => {
      cumulative += count;
      return { metricName: `${name}_bucket`, labels: { ...labels, le: LATENCY_BUCKETS[index] ?? "+Inf" }, value: cumulative };
    });
    return [...buckets, { metricName: `${name}_sum`, labels, value: stats.sum }, { metricName: `${name}_count`, labels, value: stats.count }];
  };
}

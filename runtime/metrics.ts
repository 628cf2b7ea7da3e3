import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** The Prometheus metrics of one server: requests by route and status, latency, in-flight. */
export class ServerMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<"route" | "method" | "status">;
  private readonly latency: Histogram<"route" | "method">;
  private readonly inFlight: Gauge<"route">;

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
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: "bentoc_process_" });
  }

  started(route: string): void {
    this.inFlight.inc({ route });
  }

  finished(route: string, method: string, status: number, seconds: number): void {
    this.inFlight.dec({ route });
    this.requests.inc({ route, method, status: String(status) });
    this.latency.observe({ route, method }, seconds);
  }

  async text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

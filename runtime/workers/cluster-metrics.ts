import type { Worker } from "node:cluster";
import { AggregatorRegistry, Counter, Gauge, Registry } from "prom-client";
import type { MetricsJson, PrimaryMessage } from "./messages.js";
import { sendTo } from "./send.js";

interface Gather {
  waiting: Set<number>;
  reports: MetricsJson[];
  finish(): void;
}

/**
 * The primary's side of `/metrics`: it asks every worker that has a server for its registry as
 * JSON and sums them with prom-client's `AggregatorRegistry.aggregate`, with the primary's own
 * supervision metrics beside them. A worker that does not answer in time is left out.
 */
export class ClusterMetrics {
  private readonly registry = new Registry();
  private readonly restarts = new Counter({ name: "bentoc_worker_restarts_total", help: "Workers restarted after an unexpected exit", registers: [this.registry] });
  private readonly readyWorkers = new Gauge({ name: "bentoc_workers_ready", help: "Worker processes ready to serve", registers: [this.registry] });
  private readonly expectedWorkers = new Gauge({ name: "bentoc_workers_expected", help: "Worker processes the bento runs", registers: [this.registry] });
  private nextId = 0;
  private readonly gathers = new Map<number, Gather>();

  constructor(private readonly timeoutMs = 2_000) {}

  restarted(): void {
    this.restarts.inc();
  }

  readiness(ready: number, expected: number): void {
    this.readyWorkers.set(ready);
    this.expectedWorkers.set(expected);
  }

  /** The cluster's metrics in Prometheus text; `missing` counts the workers that did not answer in time. */
  async collect(workers: readonly Worker[]): Promise<{ contentType: string; text: string; missing: number }> {
    const { reports, missing } = await this.gather(workers);
    const aggregated = AggregatorRegistry.aggregate([...reports, await this.registry.getMetricsAsJSON()]);
    return { contentType: aggregated.contentType, text: await aggregated.metrics(), missing };
  }

  /** A worker answered a gather. */
  report(workerId: number, id: number, metrics: MetricsJson): void {
    const gather = this.gathers.get(id);
    if (!gather?.waiting.delete(workerId)) return;
    gather.reports.push(metrics);
    if (gather.waiting.size === 0) gather.finish();
  }

  /** A worker exited: no gather waits for it any longer. */
  forget(workerId: number): void {
    for (const gather of this.gathers.values()) {
      if (gather.waiting.delete(workerId) && gather.waiting.size === 0) gather.finish();
    }
  }

  private gather(workers: readonly Worker[]): Promise<{ reports: MetricsJson[]; missing: number }> {
    const id = ++this.nextId;
    return new Promise((resolve) => {
      const gather: Gather = {
        waiting: new Set(workers.map((worker) => worker.id)),
        reports: [],
        finish: () => {
          clearTimeout(timer);
          this.gathers.delete(id);
          resolve({ reports: gather.reports, missing: gather.waiting.size });
        },
      };
      const timer = setTimeout(gather.finish, this.timeoutMs);
      this.gathers.set(id, gather);
      const message: PrimaryMessage = { bentoc: "metrics-gather", id };
      for (const worker of workers) sendTo(worker, message);
      if (gather.waiting.size === 0) gather.finish();
    });
  }
}

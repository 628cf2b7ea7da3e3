import type { Registry } from "prom-client";
import type { ClusterOperations } from "../operational.js";
import { isPrimaryMessage, type ClusterReadiness, type PrimaryMessage, type WorkerState } from "./messages.js";
import { sendToPrimary } from "./send.js";

interface PendingMetrics {
  resolve(value: { contentType: string; text: string }): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * A worker's side of the IPC channel: it reports the worker's state, keeps the cluster's
 * readiness as the primary last broadcast it, answers the primary's metrics gathers from this
 * worker's registry, and asks the primary for the cluster's metrics.
 */
export class PrimaryLink implements ClusterOperations {
  private latest: ClusterReadiness;
  private registry: Registry | undefined;
  private nextId = 0;
  private readonly pending = new Map<number, PendingMetrics>();

  constructor(expected: number, private readonly timeoutMs = 5_000) {
    // Until the primary says otherwise, nobody is known to be ready.
    this.latest = { ready: 0, expected };
    process.on("message", (message: unknown) => {
      if (isPrimaryMessage(message)) this.onMessage(message);
    });
  }

  readiness(): ClusterReadiness {
    return this.latest;
  }

  report(state: WorkerState): void {
    sendToPrimary({ bentoc: "state", state });
  }

  /** This worker's server exists: its registry answers the primary's gathers from now on. */
  serving(registry: Registry): void {
    this.registry = registry;
    this.report("serving");
  }

  metrics(): Promise<{ contentType: string; text: string }> {
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`the primary did not answer within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      sendToPrimary({ bentoc: "metrics-request", id });
    });
  }

  private onMessage(message: PrimaryMessage): void {
    switch (message.bentoc) {
      case "readiness":
        this.latest = { ready: message.ready, expected: message.expected };
        return;
      case "metrics-gather":
        void this.registry?.getMetricsAsJSON().then((metrics) => sendToPrimary({ bentoc: "metrics-report", id: message.id, metrics }));
        return;
      case "metrics-result":
      case "metrics-failed": {
        const pending = this.pending.get(message.id);
        if (!pending) return;
        this.pending.delete(message.id);
        clearTimeout(pending.timer);
        if (message.bentoc === "metrics-result") pending.resolve({ contentType: message.contentType, text: message.text });
        else pending.reject(new Error(message.error));
        return;
      }
    }
  }
}

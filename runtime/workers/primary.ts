import cluster, { type Worker } from "node:cluster";
import type { FastifyBaseLogger } from "fastify";
import type { WorkerPlan } from "../allocator/index.js";
import { CANNOT_LISTEN_EXIT_CODE } from "../listen-error.js";
import { ClusterMetrics } from "./cluster-metrics.js";
import { isWorkerMessage, type PrimaryMessage, type WorkerMessage, type WorkerState } from "./messages.js";
import { DEFAULT_RESTART_POLICY, RestartBackoff, type RestartPolicy } from "./restart-backoff.js";
import { sendTo } from "./send.js";

/** Set in each worker's environment: its slot (0-based) and how many there are. */
export const WORKER_INDEX_ENV = "BENTOC_WORKER_INDEX";
export const WORKER_COUNT_ENV = "BENTOC_WORKER_COUNT";

// Workers get the shutdown timeout to drain; past it and this margin, the primary ends them.
const STRAGGLER_MARGIN_MS = 5_000;

export interface PrimaryOptions {
  plan: WorkerPlan;
  /** How long a worker may take to drain after SIGTERM before it is killed. */
  shutdownTimeoutMs: number;
  log: FastifyBaseLogger;
  policy?: RestartPolicy;
}

/** One place in the plan: the worker that runs there now, and how its crashes are paced. */
interface Slot {
  index: number;
  env: Readonly<Record<string, string>>;
  backoff: RestartBackoff;
  worker?: Worker;
  state: "starting" | WorkerState;
  startedAt: number;
  restartTimer?: NodeJS.Timeout;
}

/**
 * The primary of a multi-worker bento. It never loads the service: it forks one worker per slot
 * of the allocator's plan, restarts a worker that exits with exponential backoff, tells the
 * workers how many are ready (for `/readyz`), gathers their metrics (for `/metrics`), and on
 * SIGTERM/SIGINT stops restarting, forwards the signal and exits once every worker has drained.
 */
export class ClusterPrimary {
  private readonly slots: Slot[];
  private readonly slotsByWorkerId = new Map<number, Slot>();
  private readonly metrics = new ClusterMetrics();
  private readonly policy: RestartPolicy;
  private stopping = false;
  private killedStragglers = false;
  /** A worker could not listen: the primary exits 1 once the others have stopped. */
  private failed = false;
  private stragglerTimer: NodeJS.Timeout | undefined;
  private lastReadiness = "";

  constructor(private readonly options: PrimaryOptions) {
    this.policy = options.policy ?? DEFAULT_RESTART_POLICY;
    this.slots = options.plan.workers.map((allocation) => ({ index: allocation.index, env: allocation.env, backoff: new RestartBackoff(this.policy), state: "starting", startedAt: 0 }));
  }

  start(): void {
    cluster.on("message", (worker, message: unknown) => {
      if (isWorkerMessage(message)) this.onMessage(worker, message);
    });
    cluster.on("exit", (worker, code, signal) => this.onExit(worker, code, signal));
    for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => this.stop(signal));
    for (const slot of this.slots) this.fork(slot);
    this.broadcastReadiness();
  }

  private get log(): FastifyBaseLogger {
    return this.options.log;
  }

  private fork(slot: Slot): void {
    slot.restartTimer = undefined;
    const worker = cluster.fork({ ...slot.env, [WORKER_INDEX_ENV]: String(slot.index), [WORKER_COUNT_ENV]: String(this.slots.length) });
    Object.assign(slot, { worker, state: "starting", startedAt: Date.now() });
    this.slotsByWorkerId.set(worker.id, slot);
    this.log.info({ worker: slot.index, workerPid: worker.process.pid }, `worker ${slot.index} started (pid ${worker.process.pid})`);
  }

  private onMessage(worker: Worker, message: WorkerMessage): void {
    const slot = this.slotsByWorkerId.get(worker.id);
    if (!slot) return;
    switch (message.bentoc) {
      case "state":
        slot.state = message.state;
        this.broadcastReadiness();
        return;
      case "metrics-report":
        this.metrics.report(worker.id, message.id, message.metrics);
        return;
      case "metrics-request":
        void this.answerMetrics(worker, message.id);
        return;
    }
  }

  private async answerMetrics(asker: Worker, id: number): Promise<void> {
    const serving = this.slots.flatMap((slot) => (slot.worker && slot.state !== "starting" ? [slot.worker] : []));
    try {
      const { contentType, text, missing } = await this.metrics.collect(serving);
      if (missing > 0) this.log.warn(`/metrics: ${missing} worker(s) did not report their metrics in time; they are left out of this answer`);
      sendTo(asker, { bentoc: "metrics-result", id, contentType, text });
    } catch (error) {
      this.log.error({ err: error }, "/metrics: aggregating the workers' metrics failed");
      sendTo(asker, { bentoc: "metrics-failed", id, error: (error as Error).message });
    }
  }

  private onExit(worker: Worker, code: number | null, signal: string | null): void {
    const slot = this.slotsByWorkerId.get(worker.id);
    if (!slot) return;
    this.slotsByWorkerId.delete(worker.id);
    slot.worker = undefined;
    slot.state = "starting";
    this.metrics.forget(worker.id);
    this.broadcastReadiness();
    const pid = worker.process.pid;
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    if (this.stopping) {
      this.log.info({ worker: slot.index, workerPid: pid }, `worker ${slot.index} (pid ${pid}) ${how}`);
      if (this.slots.every((each) => !each.worker)) this.exit();
      return;
    }
    if (code === CANNOT_LISTEN_EXIT_CODE) {
      // Every restart would fail the same way: the bento stops, and says so.
      this.log.fatal({ worker: slot.index, workerPid: pid }, `worker ${slot.index} cannot listen on the bento's address (its log above says why); stopping the bento`);
      this.failed = true;
      return this.stop("SIGTERM");
    }
    const decision = slot.backoff.next(Date.now() - slot.startedAt);
    this.metrics.restarted();
    const fields = { worker: slot.index, workerPid: pid, exitCode: code, signal, crashes: decision.crashes, restartInMs: decision.delayMs };
    if (decision.crashLoop) {
      this.log.error(fields,
        `worker ${slot.index} is in a crash loop: it ${how} (crash ${decision.crashes} in a row, each within ${this.policy.stableAfterMs / 1000} s of starting); ` +
        `restarting in ${decision.delayMs} ms (the delay doubles up to ${this.policy.maxDelayMs / 1000} s). The worker's own log above says why it fails.`);
    } else {
      this.log.error(fields, `worker ${slot.index} (pid ${pid}) ${how} unexpectedly; restarting in ${decision.delayMs} ms`);
    }
    slot.restartTimer = setTimeout(() => this.fork(slot), decision.delayMs);
  }

  /** Tells every worker how many are ready, when that changed. */
  private broadcastReadiness(): void {
    const ready = this.slots.filter((slot) => slot.worker && slot.state === "ready").length;
    const expected = this.slots.length;
    const key = `${ready}/${expected}`;
    if (key === this.lastReadiness) return;
    const wasAllReady = this.lastReadiness === `${expected}/${expected}`;
    this.lastReadiness = key;
    this.metrics.readiness(ready, expected);
    if (ready === expected) this.log.info(`all ${expected} workers are ready`);
    else if (wasAllReady && !this.stopping) this.log.warn(`${ready} of ${expected} workers are ready; /readyz answers 503 until all are`);
    const message: PrimaryMessage = { bentoc: "readiness", ready, expected };
    for (const slot of this.slots) if (slot.worker) sendTo(slot.worker, message);
  }

  /** SIGTERM/SIGINT: no more restarts; each worker drains; stragglers are killed after the shutdown timeout. */
  private stop(signal: NodeJS.Signals): void {
    if (this.stopping) return;
    this.stopping = true;
    const running = this.slots.filter((slot) => slot.worker);
    this.log.info(`${this.failed ? "stopping" : `${signal} received; stopping`} ${running.length} worker(s), each finishes its in-flight requests`);
    for (const slot of this.slots) clearTimeout(slot.restartTimer);
    for (const slot of running) slot.worker!.process.kill("SIGTERM");
    if (running.length === 0) return this.exit();
    this.stragglerTimer = setTimeout(() => this.killStragglers(), this.options.shutdownTimeoutMs + STRAGGLER_MARGIN_MS);
  }

  private killStragglers(): void {
    for (const slot of this.slots) {
      if (!slot.worker) continue;
      this.killedStragglers = true;
      this.log.error({ worker: slot.index, workerPid: slot.worker.process.pid }, `worker ${slot.index} (pid ${slot.worker.process.pid}) did not stop within the shutdown timeout; killing it`);
      slot.worker.process.kill("SIGKILL");
    }
  }

  private exit(): void {
    clearTimeout(this.stragglerTimer);
    this.log.info(this.killedStragglers ? "stopped; some workers had to be killed" : "all workers stopped");
    process.exit(this.killedStragglers || this.failed ? 1 : 0);
  }
}

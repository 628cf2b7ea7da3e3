import { randomUUID } from "node:crypto";
import os from "node:os";
import { BentocHttpError, notFound } from "../errors.js";
import { FINAL_STATES, hasExpired, type ClaimRequest, type TaskOutcome, type TaskRecord, type TaskStore } from "./task-store.js";

/** Runs one task of an API: revives the stored JSON input, calls the method, returns the JSON-encoded result. */
export type TaskRun = (input: unknown, signal: AbortSignal) => Promise<unknown>;

/** One task API as the runner knows it: how to run it, and its own settings where it has them. */
export interface TaskDefinition {
  run: TaskRun;
  /** How long its finished tasks are kept, in ms; else the runner's retention. */
  retentionMs?: number;
  /** How many more times a task runs when its runner is lost; 0 (the default) ends it as failure. */
  retriesOnLoss?: number;
}

/** What `status`, `cancel` and `retry` answer: the record without its input and result. */
export interface TaskStatus {
  task_id: string;
  status: TaskRecord["status"];
  created_at: string;
  executed_at: string | null;
}

/** How ids are made (`randomUUID`): anything else names no task, and is never looked up in the store. */
const TASK_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ECHOED_ID_LENGTH = 64;

const taskNotFound = (taskId: string) =>
  new BentocHttpError(404, `No task with id '${taskId.length > ECHOED_ID_LENGTH ? `${taskId.slice(0, ECHOED_ID_LENGTH)}…` : taskId}': it expired or never existed`);

/** How long a finished task and its result are kept by default (BentoML keeps them 24 hours). */
export const DEFAULT_TASK_RETENTION_S = 24 * 3600;
/** How long a runner's lease on a running task lasts unless renewed (BullMQ's lock lasts as long). */
export const DEFAULT_TASK_LEASE_MS = 30_000;
/** Expired tasks are looked for at least this often (and as often as the retention, when it is shorter). */
const SWEEP_INTERVAL_MS = 60_000;
/** Leases are renewed this often at most, and three times per lease at least, so one late renewal loses nothing. */
const RENEW_INTERVAL_MS = 1000;
/** Lost leases are looked for this often at most, and twice per lease at least. */
const RECLAIM_INTERVAL_MS = 5000;
/** How often an idle runner looks for tasks queued elsewhere: often where it is a local read, seldom where the store tells it. */
const POLL_INTERVAL_MS = { watched: 1000, unwatched: 250 };

const CANCELLED = new Error("The task was cancelled");
const LOST = new Error("The task's lease ended: another runner took it over, or it ended as lost");
/** The server stops: its reclaim logged what became of the task. */
const GIVEN_UP = new Error("The server stopped while the task ran");

export interface TaskRunnerOptions {
  /** Tasks run at once, at most. */
  concurrency: number;
  log: TaskLog;
  /** How long a finished task (success, failure, cancelled) is kept after it finished, unless its API says otherwise. */
  retentionMs: number;
  /** How long a lease lasts without renewal: the time a lost runner's tasks stay `running`. */
  leaseMs?: number;
  now?: () => Date;
}

/** What the runner tells the server's log about how a task ended. */
export interface TaskLog {
  failed(record: TaskRecord, error: unknown): void;
  cancelled(record: TaskRecord): void;
  /** A task whose runner was lost: queued again, or failed (as the record says); or taken from this runner. */
  lost(record: TaskRecord): void;
  /** The store failed at something the runner does in the background. */
  storeFailed(doing: string, error: unknown): void;
  /** The store works again after a failure that `storeFailed` reported. */
  storeRecovered(): void;
}

/**
 * The background tasks of a bento, in a store that other runners (workers, replicas) may share.
 * A runner claims queued tasks, up to `concurrency` at once, under a lease it renews while they
 * run; a task whose runner is gone is reclaimed when its lease ends. Cancel aborts the method's
 * signal wherever it runs; retry runs a finished task's arguments again as a new task.
 */
export class TaskRunner {
  /** Who this runner is, in the store: unique per process start. */
  readonly owner = `${os.hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
  private readonly controllers = new Map<string, AbortController>();
  private readonly idle = new Set<() => void>();
  private apis: string[] = [];
  private readonly concurrency: number;
  private readonly log: TaskLog;
  private readonly retentionMs: number;
  private readonly leaseMs: number;
  private readonly now: () => Date;
  private readonly timers: NodeJS.Timeout[] = [];
  private running = 0;
  private claiming = false;
  private started = false;
  private stopped = false;
  private storeClosed = false;
  private storeIsDown = false;
  /** Incremented by everything that may have queued a task; a claim that found none at `wakes` stops the pump until the next. */
  private wakes = 0;
  private drainedAt = -1;

  constructor(private readonly store: TaskStore, private readonly definitions: ReadonlyMap<string, TaskDefinition>, options: TaskRunnerOptions) {
    this.concurrency = options.concurrency;
    this.log = options.log;
    this.retentionMs = options.retentionMs;
    this.leaseMs = options.leaseMs ?? DEFAULT_TASK_LEASE_MS;
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Starts running tasks: connects to the store (rejecting, with the reason, when it cannot),
   * reclaims tasks whose runner was lost, removes expired ones, and from then on runs queued
   * tasks. Tasks of a runner that is still alive are never touched.
   */
  async start(): Promise<void> {
    await this.store.ready();
    this.apis = [...this.definitions.keys()]; // the server adds its task APIs after making the runner
    const watched = await this.store.watch({ pending: () => this.wake(), cancelled: (taskId) => this.controllers.get(taskId)?.abort(CANCELLED) });
    this.started = true;
    await this.reclaim();
    await this.sweep();
    const every = (ms: number, work: () => Promise<unknown>, doing: string) =>
      this.timers.push(setInterval(() => void work().catch((error: unknown) => this.storeDown(doing, error)), ms).unref());
    every(Math.min(RENEW_INTERVAL_MS, this.leaseMs / 3), () => this.renew(), "renewing leases");
    // A reclaim always asks the store (a renewal or a sweep may have nothing to ask): its success says the store works.
    every(Math.min(RECLAIM_INTERVAL_MS, this.leaseMs / 2), () => this.reclaim().then(() => this.storeWorks()), "reclaiming lost tasks");
    every(Math.min(SWEEP_INTERVAL_MS, Math.max(1000, this.retentionMs)), () => this.sweep(), "removing expired tasks");
    every(watched ? POLL_INTERVAL_MS.watched : POLL_INTERVAL_MS.unwatched, async () => this.wake(), "looking for tasks");
    this.wake();
  }

  /** Removes the finished tasks kept longer than their retention; pending and running tasks stay. Returns how many. */
  sweep(): Promise<number> {
    return this.store.sweep(this.now());
  }

  /** Queues or fails the tasks whose runner's lease ended. */
  async reclaim(): Promise<void> {
    const changed = await this.store.reclaim(this.now());
    for (const record of changed) this.log.lost(record);
    if (changed.some((record) => record.status === "pending")) this.wake();
  }

  async submit(api: string, input: unknown): Promise<Pick<TaskStatus, "task_id" | "status">> {
    const definition = this.definitions.get(api);
    if (!definition) throw notFound("POST", `${api}/submit`);
    const record = await this.store.add({
      task_id: randomUUID(), api, status: "pending", created_at: this.now().toISOString(), executed_at: null, finished_at: null, input,
      attempts: 0, max_attempts: 1 + (definition.retriesOnLoss ?? 0), retention_ms: definition.retentionMs ?? this.retentionMs,
    }, this.running >= this.concurrency); // no slot here: tell the other runners
    this.wake();
    return { task_id: record.task_id, status: record.status };
  }

  async status(taskId: string): Promise<TaskStatus> {
    return statusOf(await this.record(taskId, false));
  }

  /** The JSON-encoded result of a successful task; 409 while it has none. */
  async result(taskId: string): Promise<unknown> {
    const record = await this.record(taskId);
    if (record.status !== "success") throw new BentocHttpError(409, `Task '${taskId}' has no result: it is ${record.status}`);
    return record.result;
  }

  /** Cancels a pending task (it never runs) or a running one (its signal is aborted, here or on the runner that has it). */
  async cancel(taskId: string): Promise<TaskStatus> {
    await this.record(taskId, false);
    const record = await this.store.cancel(taskId, this.now());
    if (!record) throw taskNotFound(taskId);
    this.controllers.get(taskId)?.abort(CANCELLED);
    return statusOf(record);
  }

  async retry(taskId: string): Promise<TaskStatus> {
    const record = await this.record(taskId);
    if (!FINAL_STATES.has(record.status)) throw new BentocHttpError(409, `Task '${taskId}' is still ${record.status}; cancel it or wait for it to finish`);
    return this.status((await this.submit(record.api, record.input)).task_id);
  }

  /**
   * Stops claiming, waits for running tasks (up to `timeoutMs`), then gives up the ones still
   * running as a lost runner's (queued again or failed, as their API allows), and closes the store.
   */
  async close(timeoutMs: number): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearInterval(timer);
    if (this.running > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        this.idle.add(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    const abandoned = [...this.controllers.keys()];
    if (abandoned.length > 0) {
      await this.store.renew(this.owner, abandoned, 0).then(() => this.reclaim()).catch((error: unknown) => this.log.storeFailed("giving up running tasks", error));
      for (const taskId of abandoned) this.controllers.get(taskId)?.abort(GIVEN_UP);
    }
    this.storeClosed = true;
    await this.store.close();
  }

  private async record(taskId: string, withData = true): Promise<TaskRecord> {
    const record = TASK_ID.test(taskId) ? await this.store.get(taskId, withData) : undefined;
    // Expired and not yet removed: gone all the same.
    if (!record || hasExpired(record, this.now().getTime())) throw taskNotFound(taskId);
    return record;
  }

  /**
   * A store that is down fails every renewal, reclaim and poll: one line says so, and one more
   * when it works again, rather than lines every second.
   */
  private storeDown(doing: string, error: unknown): void {
    if (this.storeIsDown) return;
    this.storeIsDown = true;
    this.log.storeFailed(doing, error);
  }

  private storeWorks(): void {
    if (!this.storeIsDown) return;
    this.storeIsDown = false;
    this.log.storeRecovered();
  }

  private leaseEnd(): number {
    return this.now().getTime() + this.leaseMs;
  }

  /** Keeps this runner's leases; a task that is no longer this runner's (cancelled or reclaimed elsewhere) is aborted. */
  private async renew(): Promise<void> {
    const lost = await this.store.renew(this.owner, [...this.controllers.keys()], this.leaseEnd());
    for (const taskId of lost) {
      const record = await this.store.get(taskId);
      this.controllers.get(taskId)?.abort(record?.status === "cancelled" ? CANCELLED : LOST);
    }
  }

  private wake(): void {
    this.wakes++;
    this.pump();
  }

  /** Claims queued tasks for every free slot in one call, one call at a time, while the last call found enough. */
  private pump(): void {
    const free = this.concurrency - this.running;
    if (!this.started || this.stopped || this.claiming || free <= 0 || this.drainedAt === this.wakes) return;
    this.claiming = true;
    const wake = this.wakes;
    void this.claimInto(free, wake).finally(() => {
      this.claiming = false;
      this.pump();
    });
  }

  private async claimInto(free: number, wake: number): Promise<void> {
    let claimed: TaskRecord[] = [];
    try {
      claimed = await this.store.claim(this.claimRequest(free));
    } catch (error) {
      this.storeDown("claiming tasks", error);
    }
    if (claimed.length < free) this.drainedAt = wake;
    for (const record of claimed) void this.occupySlot(record);
  }

  /** Runs a task in a slot, then the next task its finish claimed into the same slot, until there is none. */
  private async occupySlot(first: TaskRecord): Promise<void> {
    this.running++;
    for (let record: TaskRecord | undefined = first; record; ) {
      const outcome = await this.execute(record);
      record = outcome ? await this.finish(record, outcome) : undefined;
    }
    this.running--;
    if (this.running === 0) for (const listener of this.idle) listener();
    this.pump();
  }

  /** Runs the task's method: its outcome, or undefined when it was cancelled or taken from this runner meanwhile. */
  private async execute(record: TaskRecord): Promise<TaskOutcome | undefined> {
    const controller = new AbortController();
    this.controllers.set(record.task_id, controller);
    try {
      return { status: "success", result: await this.definitions.get(record.api)!.run(record.input, controller.signal) };
    } catch (error) {
      // A cancelled (or lost) task's method throws, usually its signal's reason: that is how it ends, not a failure.
      if (controller.signal.reason === CANCELLED) return void this.log.cancelled(record);
      if (controller.signal.reason === LOST) return void this.log.lost(record);
      if (controller.signal.aborted) return undefined;
      this.log.failed(record, error);
      return { status: "failure", error: error instanceof Error ? error.message : String(error) };
    } finally {
      this.controllers.delete(record.task_id);
    }
  }

  /**
   * Records the outcome, unless the task is no longer this runner's (a cancel or a reclaim wins),
   * and claims the slot's next task in the same step; returns it.
   */
  private async finish(record: TaskRecord, outcome: TaskOutcome): Promise<TaskRecord | undefined> {
    if (this.storeClosed) return undefined; // given up at close: queued again or failed already
    const wake = this.wakes;
    const max = this.stopped ? 0 : 1;
    try {
      const { next } = await this.store.finish(record.task_id, outcome, this.claimRequest(max));
      if (next.length < max) this.drainedAt = wake;
      return next[0];
    } catch (error) {
      this.log.storeFailed(`recording how task ${record.task_id} ended`, error);
      return undefined;
    }
  }

  private claimRequest(max: number): ClaimRequest {
    return { apis: this.apis, owner: this.owner, now: this.now(), leaseUntil: this.leaseEnd(), max };
  }
}

/** The log's words for a task whose runner was lost, by what became of it. */
export function lostTaskMessage(record: TaskRecord): string {
  if (record.status === "pending") return `task lost its runner and is queued again (run ${record.attempts} of at most ${record.max_attempts} ended unfinished)`;
  if (record.status === "failure") return "task lost its runner and failed (it has no retries on loss left)";
  return "task taken from this runner: its lease ended or it was cancelled elsewhere";
}

function statusOf(record: TaskRecord): TaskStatus {
  return { task_id: record.task_id, status: record.status, created_at: record.created_at, executed_at: record.executed_at };
}

import { randomUUID } from "node:crypto";
import { BentocHttpError, notFound } from "../errors.js";
import { FINAL_STATES, type TaskRecord, type TaskStore } from "./task-store.js";

/** Runs one task of an API: revives the stored JSON input, calls the method, returns the JSON-encoded result. */
export type TaskRun = (input: unknown, signal: AbortSignal) => Promise<unknown>;

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
/** Expired tasks are looked for at least this often (and as often as the retention, when it is shorter). */
const SWEEP_INTERVAL_MS = 60_000;

export interface TaskRunnerOptions {
  /** Tasks run at once, at most. */
  concurrency: number;
  log: TaskLog;
  /** How long a finished task (success, failure, cancelled) is kept after it finished. */
  retentionMs: number;
  now?: () => Date;
}

/** What the runner tells the server's log about how a task ended. */
export interface TaskLog {
  failed(record: TaskRecord, error: unknown): void;
  cancelled(record: TaskRecord): void;
}

/**
 * Background tasks of a bento: submitted ones queue, at most `concurrency` run at once, every
 * change is written to the store (so a restart keeps their results), cancel aborts the method's
 * signal, retry runs a finished task's arguments again as a new task.
 */
export class TaskRunner {
  private readonly controllers = new Map<string, AbortController>();
  private readonly queue: string[] = [];
  private readonly finished = new Set<() => void>();
  private running = 0;
  private readonly concurrency: number;
  private readonly log: TaskLog;
  private readonly retentionMs: number;
  private readonly now: () => Date;
  private sweeper: NodeJS.Timeout | undefined;

  constructor(private readonly store: TaskStore, private readonly runs: ReadonlyMap<string, TaskRun>, options: TaskRunnerOptions) {
    this.concurrency = options.concurrency;
    this.log = options.log;
    this.retentionMs = options.retentionMs;
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Removes the finished tasks kept longer than the retention, so the store does not grow without
   * bound; pending and running tasks stay. Returns how many it removed.
   */
  async sweep(): Promise<number> {
    const cutoff = this.retentionCutoff();
    let removed = 0;
    for (const record of [...this.store.all()]) {
      if (!isExpired(record, cutoff)) continue;
      await this.store.delete(record.task_id);
      removed++;
    }
    return removed;
  }

  /** After a restart: tasks that never started run now; tasks cut off mid-run failed. Expired tasks go, now and from then on. */
  async recover(): Promise<void> {
    await this.sweep();
    this.sweeper ??= setInterval(() => void this.sweep().catch(() => undefined), Math.min(SWEEP_INTERVAL_MS, Math.max(1000, this.retentionMs))).unref();
    for (const record of [...this.store.all()]) {
      if (record.status === "running") await this.store.put({ ...record, status: "failure", finished_at: this.now().toISOString(), error: "The server stopped while the task ran" });
      else if (record.status === "pending" && this.runs.has(record.api)) this.queue.push(record.task_id);
    }
    this.pump();
  }

  async submit(api: string, input: unknown): Promise<Pick<TaskStatus, "task_id" | "status">> {
    if (!this.runs.has(api)) throw notFound("POST", `${api}/submit`);
    const record: TaskRecord = { task_id: randomUUID(), api, status: "pending", created_at: this.now().toISOString(), executed_at: null, finished_at: null, input };
    await this.store.put(record);
    this.queue.push(record.task_id);
    this.pump();
    return { task_id: record.task_id, status: record.status };
  }

  status(taskId: string): TaskStatus {
    return statusOf(this.record(taskId));
  }

  /** The JSON-encoded result of a successful task; 409 while it has none. */
  result(taskId: string): unknown {
    const record = this.record(taskId);
    if (record.status !== "success") throw new BentocHttpError(409, `Task '${taskId}' has no result: it is ${record.status}`);
    return record.result;
  }

  async cancel(taskId: string): Promise<TaskStatus> {
    const record = this.record(taskId);
    if (FINAL_STATES.has(record.status)) return statusOf(record);
    const cancelled: TaskRecord = { ...record, status: "cancelled", finished_at: this.now().toISOString() };
    await this.store.put(cancelled);
    this.controllers.get(taskId)?.abort(new Error("The task was cancelled"));
    return statusOf(cancelled);
  }

  async retry(taskId: string): Promise<TaskStatus> {
    const record = this.record(taskId);
    if (!FINAL_STATES.has(record.status)) throw new BentocHttpError(409, `Task '${taskId}' is still ${record.status}; cancel it or wait for it to finish`);
    return this.status((await this.submit(record.api, record.input)).task_id);
  }

  /** Waits for running tasks (up to `timeoutMs`), then closes the store. Queued tasks stay pending for the next start. */
  async close(timeoutMs: number): Promise<void> {
    clearInterval(this.sweeper);
    this.queue.length = 0;
    if (this.running > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        const done = () => {
          if (this.running === 0) {
            clearTimeout(timer);
            resolve();
          }
        };
        this.finished.add(done);
      });
    }
    await this.store.close();
  }

  private record(taskId: string): TaskRecord {
    const record = TASK_ID.test(taskId) ? this.store.get(taskId) : undefined;
    // Expired and not yet swept: gone all the same.
    if (!record || isExpired(record, this.retentionCutoff())) throw taskNotFound(taskId);
    return record;
  }

  /** A task that finished at this time (ms since the epoch) or before has been kept long enough. */
  private retentionCutoff(): number {
    return this.now().getTime() - this.retentionMs;
  }

  private pump(): void {
    while (this.running < this.concurrency && this.queue.length > 0) {
      const taskId = this.queue.shift()!;
      this.running++;
      void this.execute(taskId).finally(() => {
        this.running--;
        for (const listener of this.finished) listener();
        this.pump();
      });
    }
  }

  private async execute(taskId: string): Promise<void> {
    const queued = this.store.get(taskId);
    if (!queued || queued.status !== "pending") return; // cancelled while it waited
    const controller = new AbortController();
    this.controllers.set(taskId, controller);
    const started: TaskRecord = { ...queued, status: "running", executed_at: this.now().toISOString() };
    await this.store.put(started);
    if (controller.signal.aborted) return; // cancelled while the start was being written
    try {
      const result = await this.runs.get(started.api)!(started.input, controller.signal);
      await this.finish(taskId, { status: "success", result });
    } catch (error) {
      // A cancelled task's method throws (usually its signal's reason): that is how it ends, not a failure.
      if (controller.signal.aborted) return this.log.cancelled(started);
      this.log.failed(started, error);
      await this.finish(taskId, { status: "failure", error: error instanceof Error ? error.message : String(error) });
    } finally {
      this.controllers.delete(taskId);
    }
  }

  /** Records the outcome, unless the task was cancelled meanwhile (cancel wins). */
  private async finish(taskId: string, outcome: Partial<TaskRecord>): Promise<void> {
    const current = this.store.get(taskId);
    if (!current || current.status === "cancelled") return;
    await this.store.put({ ...current, ...outcome, finished_at: this.now().toISOString() });
  }
}

function statusOf(record: TaskRecord): TaskStatus {
  return { task_id: record.task_id, status: record.status, created_at: record.created_at, executed_at: record.executed_at };
}

/** A finished task whose retention ended at `cutoff` (ms since the epoch) or before. */
function isExpired(record: TaskRecord, cutoff: number): boolean {
  return FINAL_STATES.has(record.status) && record.finished_at !== null && Date.parse(record.finished_at) <= cutoff;
}

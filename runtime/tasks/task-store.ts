export type TaskState = "pending" | "running" | "success" | "failure" | "cancelled";
export const FINAL_STATES: ReadonlySet<TaskState> = new Set(["success", "failure", "cancelled"]);

/** Why a task ended as failure without its method failing: the runner running it was lost. */
export const LOST_RUNNER_ERROR = "The server running the task stopped or was lost before the task finished";

/** One submitted task, as it is stored and (without input/result/error) as `status` shows it. */
export interface TaskRecord {
  task_id: string;
  /** The API (name) the task runs. */
  api: string;
  status: TaskState;
  created_at: string;
  executed_at: string | null;
  finished_at: string | null;
  /** The validated JSON arguments, kept so `retry` (and a run after a lost one) can run the task again. */
  input: unknown;
  /** The JSON-encoded result of a successful run. */
  result?: unknown;
  /** Why it failed, for the logs; clients see only that it failed. */
  error?: string;
  /** Its place in the queue: tasks start in this order, a task put back after a lost run keeps its place. */
  seq: number;
  /** Runs started so far; a run lost with its runner counts. */
  attempts: number;
  /** Runs it may start at most: 1, plus the retries on loss its API allows. */
  max_attempts: number;
  /** How long it is kept once finished, in ms. */
  retention_ms: number;
  /** The runner holding the running task, and until when (ms since the epoch) its lease holds. */
  owner?: string;
  lease_until?: number;
  /** When a finished task goes (ms since the epoch): `finished_at` plus its retention. */
  expires_at?: number;
}

/** A new task, as `add` takes it: the store gives it its place in the queue. */
export type NewTask = Omit<TaskRecord, "seq">;

/** How a run ended, as the runner that ran it reports it. */
export type TaskOutcome = { status: "success"; result: unknown } | { status: "failure"; error: string };

/** A runner asking for up to `max` queued tasks of its APIs: running from `now`, leased to `owner` until `leaseUntil`. */
export interface ClaimRequest {
  apis: readonly string[];
  owner: string;
  now: Date;
  leaseUntil: number;
  max: number;
}

/** What `finish` did: whether the outcome was recorded, and the tasks it claimed next. */
export interface Finished {
  recorded: boolean;
  next: TaskRecord[];
}

/** What happened elsewhere, for a store shared by several processes that can tell at once (Redis). */
export interface TaskStoreEvents {
  /** A task was queued that the process that queued it has no slot for. */
  pending(): void;
  /** A task was cancelled: its runner aborts it, wherever it runs. */
  cancelled(taskId: string): void;
}

/**
 * Where a bento's tasks live. Every method is atomic across all the processes that share the
 * store (workers, replicas), so a pending task is claimed by exactly one runner, and a runner's
 * late outcome never overwrites a cancel or a reclaim. Times are passed in, so tests move a clock.
 */
export interface TaskStore {
  /** Resolves once the store can be used; rejects, saying why, when it cannot (a server that is down). */
  ready(): Promise<void>;
  /** Queues a new pending task last; `notify` tells the other processes it waits (when the store can tell). */
  add(task: NewTask, notify: boolean): Promise<TaskRecord>;
  /** The task; `withData: false` may leave out its input and result (a status needs neither). */
  get(taskId: string, withData?: boolean): Promise<TaskRecord | undefined>;
  /** Takes the first queued tasks (oldest first), up to `max`, for the runner that asks. */
  claim(request: ClaimRequest): Promise<TaskRecord[]>;
  /** Extends `owner`'s leases on these tasks; returns the ones that are no longer its running tasks (cancelled or reclaimed). */
  renew(owner: string, taskIds: readonly string[], leaseUntil: number): Promise<string[]>;
  /**
   * Records how the run of `next.owner` ended (not recorded, and nothing changes, when the task is
   * no longer its running task), and in the same step claims what `next` asks for: a runner
   * that finishes a task takes its next one without another round trip.
   */
  finish(taskId: string, outcome: TaskOutcome, next: ClaimRequest): Promise<Finished>;
  /** Cancels a pending or running task, wherever it runs; a finished task stays as it is. Undefined when there is no such task. */
  cancel(taskId: string, now: Date): Promise<TaskRecord | undefined>;
  /**
   * Running tasks whose lease ended by `now` (their runner is gone): each is queued again, in its
   * place, while it has runs left, else it fails with LOST_RUNNER_ERROR. Returns the tasks it changed.
   */
  reclaim(now: Date): Promise<TaskRecord[]>;
  /** Removes the finished tasks whose retention ended by `now`; returns how many (stores that expire keys themselves say 0). */
  sweep(now: Date): Promise<number>;
  /** Tells `events` what other processes do, when the store can (Redis: true); stores that cannot (false) are polled. */
  watch(events: TaskStoreEvents): Promise<boolean>;
  close(): Promise<void>;
}

/** A task whose retention ended at `now` or before. */
export function hasExpired(record: TaskRecord, now: number): boolean {
  return record.expires_at !== undefined && record.expires_at <= now;
}

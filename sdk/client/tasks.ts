// Task APIs: `submit` posts the arguments to `{route}/submit` and returns a handle; the handle
// polls, fetches, cancels and retries by `task_id` at the server's `{route}/status`, `/get`,
// `/cancel` and `/retry` routes.
import { TaskFailedError } from "./errors.js";
import type { ApiDescriptor, CallOptions, TaskHandle, TaskResultOptions, TaskState, TaskStatus } from "./types.js";

/** What a client has for one task API. */
export interface TaskApi<Result> {
  submit(args?: object, options?: CallOptions): Promise<TaskHandle<Result>>;
  /** A handle for a task submitted earlier (by this process or another), from its id. */
  handle(taskId: string): TaskHandle<Result>;
}

/** The transport's side of tasks: sending, and reviving results. */
export interface TaskWire {
  submit(args: object | undefined, options: CallOptions): Promise<unknown>;
  request(method: "GET" | "POST" | "PUT", path: string, options: CallOptions): Promise<unknown>;
  revive(value: unknown): unknown;
}

export class TaskClient<Result> implements TaskApi<Result> {
  private readonly api: ApiDescriptor;
  private readonly wire: TaskWire;

  constructor(api: ApiDescriptor, wire: TaskWire) {
    this.api = api;
    this.wire = wire;
  }

  async submit(args?: object, options: CallOptions = {}): Promise<TaskHandle<Result>> {
    const submitted = await this.wire.submit(args, options);
    return this.handle(taskIdOf(submitted, `${this.api.route}/submit`));
  }

  handle(taskId: string): TaskHandle<Result> {
    const { api, wire } = this;
    const path = (action: string) => `${api.route}/${action}?task_id=${encodeURIComponent(taskId)}`;
    const handle: TaskHandle<Result> = {
      id: taskId,
      status: async (options = {}) => statusOf(await wire.request("GET", path("status"), options)),
      get: async (options = {}) => wire.revive(await wire.request("GET", path("get"), options)) as Result,
      cancel: async (options = {}) => statusOf(await wire.request("PUT", path("cancel"), options)),
      retry: async (options = {}) => this.handle(taskIdOf(await wire.request("POST", path("retry"), options), `${api.route}/retry`)),
      result: async ({ pollIntervalMs = 500, ...options }: TaskResultOptions = {}) => {
        for (;;) {
          const current = await handle.status(options);
          if (current.status === "success") return handle.get(options);
          if (current.status === "failure" || current.status === "cancelled") {
            throw new TaskFailedError(`Task '${taskId}' of ${api.route} ended as ${current.status}`, { status: 409, task: current });
          }
          await pause(pollIntervalMs, options.signal);
        }
      },
    };
    return handle;
  }
}

/** Waits `ms`, or rejects with the signal's reason once it aborts. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const wake = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", wake);
      resolve();
    }, ms);
    signal?.addEventListener("abort", wake, { once: true });
  });
}

function taskIdOf(answer: unknown, route: string): string {
  const id = (answer as { task_id?: unknown } | null)?.task_id;
  if (typeof id !== "string") throw new TypeError(`${route} answered without a task_id`);
  return id;
}

function statusOf(answer: unknown): TaskStatus {
  const raw = answer as { task_id: string; status: TaskState; created_at: string; executed_at: string | null };
  return {
    task_id: raw.task_id,
    status: raw.status,
    created_at: new Date(raw.created_at),
    executed_at: raw.executed_at === null || raw.executed_at === undefined ? null : new Date(raw.executed_at),
  };
}

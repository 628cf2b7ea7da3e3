// The client of `npm run bench:tasks`, the same for the bento and the BullMQ peer: closed-loop
// callers over undici, each submitting a task, polling its status until it is final, then
// getting its result and checking it; and sequential `status` calls on finished tasks.
import { setTimeout as sleep } from "node:timers/promises";
import { Pool } from "undici";
import { LatencyRecorder } from "./measure.js";
import { BenchFailure } from "./server-process.js";
import { FINAL_STATES, TASK_ROUTE, type NoopInput, type TaskStatusBody } from "./tasks-fixture.js";

/** How long one request may take before the run fails: nothing here should come near it. */
const REQUEST_TIMEOUT_MS = 10_000;

export interface TaskClient {
  submit(input: NoopInput): Promise<TaskStatusBody>;
  status(taskId: string): Promise<TaskStatusBody>;
  get(taskId: string): Promise<unknown>;
  close(): Promise<void>;
}

/** A keep-alive connection pool to `origin` (`connections`: at least the callers that share it). */
export function taskClient(origin: string, connections: number): TaskClient {
  const pool = new Pool(origin, { connections, pipelining: 1, headersTimeout: REQUEST_TIMEOUT_MS, bodyTimeout: REQUEST_TIMEOUT_MS });
  const call = async (method: "GET" | "POST", path: string, body?: unknown): Promise<unknown> => {
    const response = await pool.request({
      method,
      path,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
    });
    const text = await response.body.text();
    if (response.statusCode !== 200) throw new BenchFailure(`${method} ${path} answered ${response.statusCode}: ${text.slice(0, 300)}`);
    return JSON.parse(text) as unknown;
  };
  const query = (action: string, taskId: string) => `${TASK_ROUTE}/${action}?task_id=${encodeURIComponent(taskId)}`;
  return {
    submit: (input) => call("POST", `${TASK_ROUTE}/submit`, input) as Promise<TaskStatusBody>,
    status: (taskId) => call("GET", query("status", taskId)) as Promise<TaskStatusBody>,
    get: (taskId) => call("GET", query("get", taskId)),
    close: () => pool.close(),
  };
}

export interface ThroughputOptions {
  tasks: number;
  /** Callers at once, each with one task in flight. */
  inFlight: number;
  /** Pause between two status polls of one task (0: poll again at once). */
  pollMs: number;
  /** Status polls one task may take before the run fails (bounds a task that never ends). */
  maxPolls: number;
  /** Added to each task's argument, so runs never share answers. */
  firstN: number;
}

export interface ThroughputResult {
  tasks: number;
  seconds: number;
  tasksPerSecond: number;
  /** Status polls per task, on average (the first one included). */
  pollsPerTask: number;
  /** Submit-to-result time of one task (submit, polls, get), in ms. */
  p50Ms: number;
  p99Ms: number;
  /** Ids of finished tasks, for the status-latency run. */
  finishedIds: string[];
}

/** Runs `tasks` tasks through `client` with `inFlight` closed-loop callers; any wrong answer fails the run. */
export async function runTasks(client: TaskClient, options: ThroughputOptions): Promise<ThroughputResult> {
  const latency = new LatencyRecorder();
  const finishedIds: string[] = [];
  let next = 0;
  let polls = 0;
  const caller = async () => {
    for (let index = next++; index < options.tasks; index = next++) {
      const n = options.firstN + index;
      const started = performance.now();
      const submitted = await client.submit({ n });
      let status = submitted;
      for (let poll = 0; !FINAL_STATES.has(status.status); poll++) {
        if (poll >= options.maxPolls) throw new BenchFailure(`task ${submitted.task_id} was still ${status.status} after ${poll} status polls`);
        if (poll > 0 && options.pollMs > 0) await sleep(options.pollMs);
        status = await client.status(submitted.task_id);
        polls++;
      }
      if (status.status !== "success") throw new BenchFailure(`task ${submitted.task_id} ended ${status.status}`);
      const result = (await client.get(submitted.task_id)) as { n?: unknown };
      if (result?.n !== n) throw new BenchFailure(`task ${submitted.task_id} of n=${n} answered ${JSON.stringify(result)}`);
      latency.record(performance.now() - started);
      finishedIds.push(submitted.task_id);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(options.inFlight, options.tasks) }, caller));
  const seconds = (performance.now() - started) / 1000;
  const summary = latency.summary();
  return { tasks: options.tasks, seconds, tasksPerSecond: options.tasks / seconds, pollsPerTask: polls / options.tasks, p50Ms: summary.p50, p99Ms: summary.p99, finishedIds };
}

/** `samples` sequential `status` calls, taking the finished ids in turn; each must say the task succeeded. */
export async function statusLatency(client: TaskClient, finishedIds: readonly string[], samples: number): Promise<{ p50Ms: number; p99Ms: number }> {
  if (finishedIds.length === 0) throw new BenchFailure("no finished task to ask the status of");
  const latency = new LatencyRecorder();
  for (let i = 0; i < samples; i++) {
    const taskId = finishedIds[i % finishedIds.length]!;
    const started = performance.now();
    const status = await client.status(taskId);
    latency.record(performance.now() - started);
    if (status.task_id !== taskId || status.status !== "success") throw new BenchFailure(`status of finished task ${taskId} answered ${JSON.stringify(status)}`);
  }
  const { p50, p99 } = latency.summary();
  return { p50Ms: p50, p99Ms: p99 };
}

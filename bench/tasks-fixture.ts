// What `npm run bench:tasks` serves: one task that does nothing but echo its argument, as a
// bentoc service (compiled and run as a bento ships) and as the hand-written BullMQ peer
// (bench/tasks-peer.ts), both behind the same HTTP shape.

/** The task API's route; its actions are `${TASK_ROUTE}/submit`, `/status`, `/get`. */
export const TASK_ROUTE = "/noop";
/** Tasks one runner (a bento worker, a BullMQ Worker) runs at once: bentoc's default taskConcurrency. */
export const TASK_CONCURRENCY = 4;

/** Task states as the bento's `status` names them; the peer maps BullMQ's onto these. */
export type TaskState = "pending" | "running" | "success" | "failure" | "cancelled";
export const FINAL_STATES: ReadonlySet<TaskState> = new Set(["success", "failure", "cancelled"]);

/** What `submit` and `status` answer (`submit`: at least task_id and status). */
export interface TaskStatusBody {
  task_id: string;
  status: TaskState;
  created_at?: string;
  executed_at?: string | null;
}

/** The argument of one task, and what `get` must answer for it. */
export interface NoopInput {
  n: number;
}

/** The bento's service file, with `workers` processes behind one port. */
export function taskServiceSource(workers: number): string {
  return `import { service, task } from "bentoc";

/** The task benchmark's service: a task that does no work, so what is measured is the task machinery. */
@service({ workers: ${workers} })
export class TaskBench {
  @task()
  async noop(n: number): Promise<{ n: number }> {
    return { n };
  }
}
`;
}

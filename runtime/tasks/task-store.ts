import fs from "node:fs";
import { createRequire } from "node:module";

export type TaskState = "pending" | "running" | "success" | "failure" | "cancelled";
export const FINAL_STATES: ReadonlySet<TaskState> = new Set(["success", "failure", "cancelled"]);

/** One submitted task, as it is stored and (without input/result/error) as `status` shows it. */
export interface TaskRecord {
  task_id: string;
  /** The API (name) the task runs. */
  api: string;
  status: TaskState;
  created_at: string;
  executed_at: string | null;
  finished_at: string | null;
  /** The validated JSON arguments, kept so `retry` can run the task again. */
  input: unknown;
  /** The JSON-encoded result of a successful run. */
  result?: unknown;
  /** Why it failed, for the logs; clients see only that it failed. */
  error?: string;
}

export interface TaskStore {
  get(taskId: string): TaskRecord | undefined;
  put(record: TaskRecord): Promise<void>;
  delete(taskId: string): Promise<void>;
  all(): Iterable<TaskRecord>;
  close(): Promise<void>;
}

export class MemoryTaskStore implements TaskStore {
  private readonly records = new Map<string, TaskRecord>();
  get(taskId: string): TaskRecord | undefined {
    return this.records.get(taskId);
  }
  async put(record: TaskRecord): Promise<void> {
    this.records.set(record.task_id, record);
  }
  async delete(taskId: string): Promise<void> {
    this.records.delete(taskId);
  }
  all(): Iterable<TaskRecord> {
    return this.records.values();
  }
  async close(): Promise<void> {}
}

interface LmdbDatabase {
  get(key: string): unknown;
  put(key: string, value: unknown): Promise<boolean>;
  remove(key: string): Promise<boolean>;
  getRange(): Iterable<{ key: unknown; value: unknown }>;
  close(): Promise<void>;
}

/** Tasks in an LMDB database on disk: they survive a restart of the server. */
export class LmdbTaskStore implements TaskStore {
  private constructor(private readonly db: LmdbDatabase) {}

  static open(directory: string): LmdbTaskStore {
    fs.mkdirSync(directory, { recursive: true });
    const { open } = createRequire(import.meta.url)("lmdb") as { open(options: { path: string }): LmdbDatabase };
    return new LmdbTaskStore(open({ path: directory }));
  }

  get(taskId: string): TaskRecord | undefined {
    return this.db.get(taskId) as TaskRecord | undefined;
  }
  async put(record: TaskRecord): Promise<void> {
    await this.db.put(record.task_id, record);
  }
  async delete(taskId: string): Promise<void> {
    await this.db.remove(taskId);
  }
  *all(): Iterable<TaskRecord> {
    for (const { value } of this.db.getRange()) yield value as TaskRecord;
  }
  close(): Promise<void> {
    return this.db.close();
  }
}

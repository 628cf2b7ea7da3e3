import fs from "node:fs";
import { createRequire } from "node:module";
import { TableTaskStore, type Lease, type TaskTables } from "./table-task-store.js";
import type { TaskRecord } from "./task-store.js";

type Key = string | number | (string | number)[];
interface LmdbDatabase<V> {
  get(key: Key): V | undefined;
  putSync(key: Key, value: V): boolean;
  removeSync(key: Key): boolean;
  getRange(options?: { start?: Key; end?: Key; limit?: number }): Iterable<{ key: Key; value: V }>;
}
interface LmdbRoot {
  openDB<V>(options: { name: string }): LmdbDatabase<V>;
  transaction<T>(action: () => T): Promise<T>;
  resetReadTxn(): void;
  close(): Promise<void>;
}

const LAST_SEQ = Number.MAX_SAFE_INTEGER;

/**
 * Tables in one LMDB environment on disk, shared by the workers of a machine: an LMDB write
 * transaction holds the environment's lock across processes, so a claim is atomic for all of them.
 */
class LmdbTables implements TaskTables {
  private readonly tasks: LmdbDatabase<TaskRecord>;
  /** [api, seq] → task id. */
  private readonly queue: LmdbDatabase<string>;
  private readonly leaseTable: LmdbDatabase<Lease>;
  /** [expires_at, task id] → true. */
  private readonly expiries: LmdbDatabase<true>;
  private readonly meta: LmdbDatabase<number>;

  constructor(private readonly root: LmdbRoot) {
    this.tasks = root.openDB({ name: "tasks" });
    this.queue = root.openDB({ name: "queue" });
    this.leaseTable = root.openDB({ name: "leases" });
    this.expiries = root.openDB({ name: "expiries" });
    this.meta = root.openDB({ name: "meta" });
  }

  transact<T>(work: () => T): Promise<T> {
    return this.root.transaction(work);
  }
  /**
   * lmdb-js keeps one read snapshot while the event loop is busy, and renews it for this
   * process's commits only: without a reset, a busy worker answered "running" for a task another
   * worker had finished, and 404 for one it had just queued.
   */
  latest(): void {
    this.root.resetReadTxn();
  }
  task(taskId: string): TaskRecord | undefined {
    return this.tasks.get(taskId);
  }
  putTask(record: TaskRecord): void {
    this.tasks.putSync(record.task_id, record);
  }
  removeTask(taskId: string): void {
    this.tasks.removeSync(taskId);
  }
  nextSeq(): number {
    const seq = (this.meta.get("seq") ?? 0) + 1;
    this.meta.putSync("seq", seq);
    return seq;
  }
  enqueue(api: string, seq: number, taskId: string): void {
    this.queue.putSync([api, seq], taskId);
  }
  dequeue(api: string, seq: number): void {
    this.queue.removeSync([api, seq]);
  }
  firstQueued(api: string): { seq: number; taskId: string } | undefined {
    for (const { key, value } of this.queue.getRange({ start: [api, 0], end: [api, LAST_SEQ], limit: 1 })) {
      return { seq: (key as [string, number])[1], taskId: value };
    }
    return undefined;
  }
  lease(taskId: string): Lease | undefined {
    return this.leaseTable.get(taskId);
  }
  putLease(taskId: string, lease: Lease): void {
    this.leaseTable.putSync(taskId, lease);
  }
  removeLease(taskId: string): void {
    this.leaseTable.removeSync(taskId);
  }
  *leases(): Iterable<[string, Lease]> {
    for (const { key, value } of this.leaseTable.getRange()) yield [key as string, value];
  }
  putExpiry(at: number, taskId: string): void {
    this.expiries.putSync([at, taskId], true);
  }
  *expiredBy(now: number): Iterable<[number, string]> {
    for (const { key } of this.expiries.getRange({ start: [0, ""], end: [now + 1, ""] })) yield key as [number, string];
  }
  removeExpiry(at: number, taskId: string): void {
    this.expiries.removeSync([at, taskId]);
  }
  close(): Promise<void> {
    return this.root.close();
  }
}

/** Tasks in an LMDB environment in `directory`: they survive a restart, and the workers of one machine share them. */
export function lmdbTaskStore(directory: string): TableTaskStore {
  fs.mkdirSync(directory, { recursive: true });
  // Loaded here, not at import: a bento without tasks never loads the native module.
  const { open } = createRequire(import.meta.url)("lmdb") as { open(options: { path: string; maxDbs: number }): LmdbRoot };
  return new TableTaskStore(new LmdbTables(open({ path: directory, maxDbs: 8 })));
}

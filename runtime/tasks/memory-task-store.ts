import { TableTaskStore, type Lease, type TaskTables } from "./table-task-store.js";
import type { TaskRecord } from "./task-store.js";

/** Tables in this process's memory, for tests and `BENTOC_TASK_STORE=memory`: one process, so every transaction is just a call. */
class MemoryTables implements TaskTables {
  private readonly tasks = new Map<string, TaskRecord>();
  private readonly queue: { api: string; seq: number; taskId: string }[] = [];
  private readonly leaseTable = new Map<string, Lease>();
  private readonly expiries = new Map<string, number>();
  private seq = 0;

  async transact<T>(work: () => T): Promise<T> {
    return work();
  }
  /** One process: every read sees every write. */
  latest(): void {}
  task(taskId: string): TaskRecord | undefined {
    return this.tasks.get(taskId);
  }
  putTask(record: TaskRecord): void {
    this.tasks.set(record.task_id, record);
  }
  removeTask(taskId: string): void {
    this.tasks.delete(taskId);
  }
  nextSeq(): number {
    return ++this.seq;
  }
  enqueue(api: string, seq: number, taskId: string): void {
    // Kept in place order: a task put back after a lost run goes before the ones queued after it.
    const at = this.queue.findIndex((entry) => entry.seq > seq);
    this.queue.splice(at === -1 ? this.queue.length : at, 0, { api, seq, taskId });
  }
  dequeue(api: string, seq: number): void {
    const at = this.queue.findIndex((entry) => entry.api === api && entry.seq === seq);
    if (at !== -1) this.queue.splice(at, 1);
  }
  firstQueued(api: string): { seq: number; taskId: string } | undefined {
    return this.queue.find((entry) => entry.api === api);
  }
  lease(taskId: string): Lease | undefined {
    return this.leaseTable.get(taskId);
  }
  putLease(taskId: string, lease: Lease): void {
    this.leaseTable.set(taskId, lease);
  }
  removeLease(taskId: string): void {
    this.leaseTable.delete(taskId);
  }
  leases(): Iterable<[string, Lease]> {
    return this.leaseTable.entries();
  }
  putExpiry(at: number, taskId: string): void {
    this.expiries.set(taskId, at);
  }
  *expiredBy(now: number): Iterable<[number, string]> {
    for (const [taskId, at] of this.expiries) if (at <= now) yield [at, taskId];
  }
  removeExpiry(_at: number, taskId: string): void {
    this.expiries.delete(taskId);
  }
  async close(): Promise<void> {}
}

/** A task store in this process's memory: nothing survives a restart, nothing is shared. */
export function memoryTaskStore(): TableTaskStore {
  return new TableTaskStore(new MemoryTables());
}

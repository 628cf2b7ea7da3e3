import { FINAL_STATES, LOST_RUNNER_ERROR, type ClaimRequest, type Finished, type NewTask, type TaskOutcome, type TaskRecord, type TaskStore, type TaskStoreEvents } from "./task-store.js";

/** Who holds a running task, and until when (ms since the epoch). */
export interface Lease {
  owner: string;
  until: number;
}

/**
 * The tables of a store on this machine (in memory, or LMDB shared by the workers): tasks by id,
 * the queue by API and place, the leases of running tasks, and finished tasks by when they go.
 * Leases are a table of their own, so renewing one does not rewrite a task and its arguments.
 */
export interface TaskTables {
  /** Runs `work` as one transaction, atomic for every process that shares the tables. */
  transact<T>(work: () => T): Promise<T>;
  /** Makes reads outside a transaction see every commit so far, this process's and the others'. */
  latest(): void;
  task(taskId: string): TaskRecord | undefined;
  putTask(record: TaskRecord): void;
  removeTask(taskId: string): void;
  nextSeq(): number;
  enqueue(api: string, seq: number, taskId: string): void;
  dequeue(api: string, seq: number): void;
  firstQueued(api: string): { seq: number; taskId: string } | undefined;
  lease(taskId: string): Lease | undefined;
  putLease(taskId: string, lease: Lease): void;
  removeLease(taskId: string): void;
  leases(): Iterable<[taskId: string, lease: Lease]>;
  putExpiry(at: number, taskId: string): void;
  /** Finished tasks that go at `now` or before, oldest first. */
  expiredBy(now: number): Iterable<[at: number, taskId: string]>;
  removeExpiry(at: number, taskId: string): void;
  close(): Promise<void>;
}

/** The task store over tables on this machine: every change is one transaction of the tables. */
export class TableTaskStore implements TaskStore {
  constructor(private readonly tables: TaskTables) {}

  async ready(): Promise<void> {}

  async add(task: NewTask): Promise<TaskRecord> {
    return this.tables.transact(() => {
      const record: TaskRecord = { ...task, seq: this.tables.nextSeq() };
      this.tables.putTask(record);
      this.tables.enqueue(record.api, record.seq, record.task_id);
      return record;
    });
  }

  async get(taskId: string): Promise<TaskRecord | undefined> {
    this.tables.latest();
    return this.withLease(this.tables.task(taskId));
  }

  async claim(request: ClaimRequest): Promise<TaskRecord[]> {
    // Idle runners look often: an empty queue is seen with a read, without taking the write lock.
    this.tables.latest();
    if (request.max < 1 || !request.apis.some((api) => this.tables.firstQueued(api))) return [];
    return this.tables.transact(() => this.claimNow(request));
  }

  async renew(owner: string, taskIds: readonly string[], leaseUntil: number): Promise<string[]> {
    if (taskIds.length === 0) return [];
    return this.tables.transact(() => {
      const lost: string[] = [];
      for (const taskId of taskIds) {
        if (this.tables.lease(taskId)?.owner === owner) this.tables.putLease(taskId, { owner, until: leaseUntil });
        else lost.push(taskId);
      }
      return lost;
    });
  }

  async finish(taskId: string, outcome: TaskOutcome, next: ClaimRequest): Promise<Finished> {
    return this.tables.transact(() => {
      const record = this.tables.task(taskId);
      const recorded = record?.status === "running" && this.tables.lease(taskId)?.owner === next.owner;
      if (recorded) this.end({ ...record, ...outcome }, next.now);
      return { recorded, next: this.claimNow(next) };
    });
  }

  async cancel(taskId: string, now: Date): Promise<TaskRecord | undefined> {
    return this.tables.transact(() => {
      const record = this.tables.task(taskId);
      if (!record || FINAL_STATES.has(record.status)) return record;
      if (record.status === "pending") this.tables.dequeue(record.api, record.seq);
      return this.end({ ...record, status: "cancelled" }, now);
    });
  }

  async reclaim(now: Date): Promise<TaskRecord[]> {
    this.tables.latest();
    if (![...this.tables.leases()].some(([, lease]) => lease.until <= now.getTime())) return [];
    return this.tables.transact(() => {
      const changed: TaskRecord[] = [];
      for (const [taskId, lease] of [...this.tables.leases()]) {
        if (lease.until > now.getTime()) continue;
        const record = this.tables.task(taskId);
        if (!record || record.status !== "running") {
          this.tables.removeLease(taskId);
          continue;
        }
        if (record.attempts < record.max_attempts) {
          this.tables.removeLease(taskId);
          const again: TaskRecord = { ...record, status: "pending" };
          this.tables.putTask(again);
          this.tables.enqueue(again.api, again.seq, again.task_id);
          changed.push(again);
        } else {
          changed.push(this.end({ ...record, status: "failure", error: LOST_RUNNER_ERROR }, now));
        }
      }
      return changed;
    });
  }

  async sweep(now: Date): Promise<number> {
    this.tables.latest();
    if (this.tables.expiredBy(now.getTime())[Symbol.iterator]().next().done) return 0;
    return this.tables.transact(() => {
      let removed = 0;
      for (const [at, taskId] of [...this.tables.expiredBy(now.getTime())]) {
        this.tables.removeExpiry(at, taskId);
        this.tables.removeTask(taskId);
        removed++;
      }
      return removed;
    });
  }

  /** Nothing to watch: the other processes sharing these tables are seen by polling. */
  async watch(_events: TaskStoreEvents): Promise<boolean> {
    return false;
  }

  close(): Promise<void> {
    return this.tables.close();
  }

  /** Claims (inside a transaction) the oldest queued tasks of the request's APIs, up to its `max`. */
  private claimNow({ apis, owner, now, leaseUntil, max }: ClaimRequest): TaskRecord[] {
    const claimed: TaskRecord[] = [];
    while (claimed.length < max) {
      let first: { api: string; seq: number; taskId: string } | undefined;
      for (const api of apis) {
        const queued = this.tables.firstQueued(api);
        if (queued && (!first || queued.seq < first.seq)) first = { api, ...queued };
      }
      if (!first) break;
      this.tables.dequeue(first.api, first.seq);
      const queued = this.tables.task(first.taskId);
      if (!queued || queued.status !== "pending") continue; // an index entry left behind
      const running: TaskRecord = { ...queued, status: "running", executed_at: now.toISOString(), attempts: queued.attempts + 1 };
      this.tables.putTask(running);
      this.tables.putLease(running.task_id, { owner, until: leaseUntil });
      claimed.push({ ...running, owner, lease_until: leaseUntil });
    }
    return claimed;
  }

  /** Writes a task's final state (inside a transaction): no lease any more, and it goes after its retention. */
  private end(record: TaskRecord, now: Date): TaskRecord {
    const finished: TaskRecord = { ...record, finished_at: now.toISOString(), expires_at: now.getTime() + record.retention_ms };
    this.tables.removeLease(record.task_id);
    this.tables.putTask(finished);
    this.tables.putExpiry(finished.expires_at!, finished.task_id);
    return finished;
  }

  private withLease(record: TaskRecord | undefined): TaskRecord | undefined {
    if (record?.status !== "running") return record;
    const lease = this.tables.lease(record.task_id);
    return lease ? { ...record, owner: lease.owner, lease_until: lease.until } : record;
  }
}

import { Redis } from "ioredis";
import { BentocHttpError } from "../errors.js";
import { EnvironmentError, withoutPassword } from "../options.js";
import { ADD, CANCEL, CLAIM, FINISH, RECLAIM, RENEW } from "./redis-scripts.js";
import { LOST_RUNNER_ERROR, type ClaimRequest, type Finished, type NewTask, type TaskOutcome, type TaskRecord, type TaskStore, type TaskStoreEvents } from "./task-store.js";

const SCRIPTS = { bentocAdd: ADD, bentocClaim: CLAIM, bentocRenew: RENEW, bentocFinish: FINISH, bentocCancel: CANCEL, bentocReclaim: RECLAIM };
type ScriptName = keyof typeof SCRIPTS;
type Reply = string | number | null | Reply[];
/** Lost leases reclaimed by one call at most, so one call never holds the server long. */
const RECLAIM_LIMIT = 100;
const CONNECT_TIMEOUT_MS = 10_000;
const STATUS_FIELDS = ["task_id", "api", "status", "created_at", "executed_at", "finished_at", "seq", "attempts", "max_attempts", "retention_ms", "owner", "lease_until", "expires_at"] as const;

export interface RedisStoreOptions {
  /** redis:// or rediss:// (TLS), with the database as its path. */
  url: string;
  /** Overrides the URL's password (BENTOC_TASK_STORE_PASSWORD). */
  password?: string;
  /** The bento's name: its keys are `bentoc:{<bento>}:…`, so bentos can share a database. */
  bento: string;
}

/**
 * Tasks in Redis, shared by every worker and replica of a bento. Each change is one Lua script
 * (redis-scripts.ts); cancels and tasks waiting for a slot are published, so a runner elsewhere
 * hears of them at once; finished tasks expire with their key.
 */
export class RedisTaskStore implements TaskStore {
  private readonly client: Redis;
  private subscriber: Redis | undefined;
  private readonly prefix: string;
  private lastError: Error | undefined;

  constructor(private readonly options: RedisStoreOptions) {
    this.prefix = `bentoc:{${options.bento}}:`;
    this.client = new Redis(options.url, {
      lazyConnect: true,
      connectTimeout: CONNECT_TIMEOUT_MS,
      // A request fails (503 to the caller) rather than waiting for a server that is down.
      maxRetriesPerRequest: 1,
      ...(options.password === undefined ? {} : { password: options.password }),
    });
    // Without a listener ioredis prints every failed reconnect; the calls that fail say why.
    this.client.on("error", (error: Error) => (this.lastError = error));
    for (const [name, lua] of Object.entries(SCRIPTS)) this.client.defineCommand(name, { numberOfKeys: 0, lua });
  }

  async ready(): Promise<void> {
    try {
      if (this.client.status === "wait") await this.client.connect(); // a command before start-up connects too
      await this.client.ping();
    } catch (error) {
      this.client.disconnect();
      throw new EnvironmentError(`BENTOC_TASK_STORE: the Redis server at ${withoutPassword(this.options.url)} cannot be used: ${(this.lastError ?? (error as Error)).message}`);
    }
  }

  async add(task: NewTask, notify: boolean): Promise<TaskRecord> {
    const seq = await this.run("bentocAdd", task.task_id, task.api, task.created_at, JSON.stringify(task.input), task.max_attempts, task.retention_ms, notify ? "1" : "0");
    return { ...task, seq: Number(seq) };
  }

  async get(taskId: string, withData = true): Promise<TaskRecord | undefined> {
    if (withData) return recordOf(await unavailableAs503(this.client.hgetall(this.key(taskId))));
    // A status: the small fields only, so a large input or result is neither sent nor parsed.
    const values = await unavailableAs503(this.client.hmget(this.key(taskId), ...STATUS_FIELDS));
    const hash: Record<string, string> = {};
    STATUS_FIELDS.forEach((field, index) => {
      if (values[index] !== null && values[index] !== undefined) hash[field] = values[index];
    });
    return recordOf(hash);
  }

  async claim({ apis, owner, now, leaseUntil, max }: ClaimRequest): Promise<TaskRecord[]> {
    if (max < 1) return [];
    return records(await this.run("bentocClaim", owner, now.toISOString(), leaseUntil, max, ...apis));
  }

  async renew(owner: string, taskIds: readonly string[], leaseUntil: number): Promise<string[]> {
    if (taskIds.length === 0) return [];
    return (await this.run("bentocRenew", owner, leaseUntil, ...taskIds)) as string[];
  }

  async finish(taskId: string, outcome: TaskOutcome, { apis, owner, now, leaseUntil, max }: ClaimRequest): Promise<Finished> {
    const [field, value] = outcome.status === "success" ? ["result", JSON.stringify(outcome.result)] : ["error", outcome.error];
    const [recorded, next] = (await this.run("bentocFinish", taskId, owner, outcome.status, field, value, now.toISOString(), now.getTime(), leaseUntil, max, ...apis)) as [number, Reply];
    return { recorded: recorded === 1, next: records(next) };
  }

  async cancel(taskId: string, now: Date): Promise<TaskRecord | undefined> {
    return recordOf(pairs(await this.run("bentocCancel", taskId, now.toISOString(), now.getTime())));
  }

  async reclaim(now: Date): Promise<TaskRecord[]> {
    const ids = (await this.run("bentocReclaim", now.toISOString(), now.getTime(), LOST_RUNNER_ERROR, RECLAIM_LIMIT)) as string[];
    const records = await Promise.all(ids.map((taskId) => this.get(taskId)));
    return records.filter((record) => record !== undefined);
  }

  /** Redis removes a finished task itself, when its key expires. */
  async sweep(): Promise<number> {
    return 0;
  }

  async watch(events: TaskStoreEvents): Promise<boolean> {
    this.subscriber ??= this.client.duplicate();
    this.subscriber.on("error", (error: Error) => (this.lastError = error));
    this.subscriber.on("message", (_channel: string, message: string) => {
      if (message === "pending") events.pending();
      else if (message.startsWith("cancel:")) events.cancelled(message.slice("cancel:".length));
    });
    await this.subscriber.subscribe(`${this.prefix}events`);
    return true;
  }

  async close(): Promise<void> {
    for (const client of [this.subscriber, this.client]) {
      if (!client) continue;
      await client.quit().catch(() => client.disconnect());
    }
  }

  private key(taskId: string): string {
    return `${this.prefix}task:${taskId}`;
  }

  private run(script: ScriptName, ...args: (string | number)[]): Promise<Reply> {
    const command = (this.client as unknown as Record<ScriptName, (...args: (string | number)[]) => Promise<Reply>>)[script];
    return unavailableAs503(command.call(this.client, this.prefix, ...args));
  }
}

/** A Redis server that is down (or a connection lost mid-call) is a 503 to the caller, who may try again, not a 500. */
async function unavailableAs503<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    throw Object.assign(new BentocHttpError(503, "The task store cannot be reached right now; try again shortly", {}, { "retry-after": "1" }), { cause: error });
  }
}

/** The claimed tasks' flat hashes as records. */
function records(reply: Reply): TaskRecord[] {
  return Array.isArray(reply) ? reply.map((hash) => recordOf(pairs(hash))!) : [];
}

/** A flat HGETALL reply as an object. */
function pairs(reply: Reply): Record<string, string> {
  const fields: Record<string, string> = {};
  if (!Array.isArray(reply)) return fields;
  for (let i = 0; i + 1 < reply.length; i += 2) fields[String(reply[i])] = String(reply[i + 1]);
  return fields;
}

function recordOf(hash: Record<string, string>): TaskRecord | undefined {
  if (hash.task_id === undefined) return undefined;
  const number = (field: string) => (hash[field] === undefined ? undefined : Number(hash[field]));
  const record: TaskRecord = {
    task_id: hash.task_id,
    api: hash.api!,
    status: hash.status as TaskRecord["status"],
    created_at: hash.created_at!,
    executed_at: hash.executed_at ?? null,
    finished_at: hash.finished_at ?? null,
    input: hash.input === undefined ? undefined : JSON.parse(hash.input),
    seq: number("seq")!,
    attempts: number("attempts")!,
    max_attempts: number("max_attempts")!,
    retention_ms: number("retention_ms")!,
  };
  if (hash.result !== undefined) record.result = JSON.parse(hash.result);
  if (hash.error !== undefined) record.error = hash.error;
  if (hash.owner !== undefined) record.owner = hash.owner;
  if (hash.lease_until !== undefined) record.lease_until = number("lease_until");
  if (hash.expires_at !== undefined) record.expires_at = number("expires_at");
  return record;
}

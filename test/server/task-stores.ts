import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { randomUUID } from "node:crypto";
import { lmdbTaskStore } from "../../runtime/tasks/lmdb-task-store.js";
import { memoryTaskStore } from "../../runtime/tasks/memory-task-store.js";
import { RedisTaskStore } from "../../runtime/tasks/redis-task-store.js";
import type { TaskStore } from "../../runtime/tasks/task-store.js";
import { redisServerMissing, startRedisServer, type RedisServer } from "../support/redis-server.js";

/**
 * The three task stores, for suites that run the same behaviour on each: `open()` gives a fresh,
 * empty store, and `openShared()` another handle on the store `open()` gave last (as a second
 * worker or replica has). Redis is a real redis-server, started on first use; `close()` stops it.
 */
export interface StoreKind {
  name: string;
  open(): Promise<TaskStore>;
  openShared(): Promise<TaskStore>;
}

const folders: string[] = [];
let redis: RedisServer | undefined;
let lastBento = "";
let lastFolder = "";
let lastMemory: TaskStore | undefined;

export const REDIS_MISSING = redisServerMissing();

export const STORE_KINDS: StoreKind[] = [
  {
    name: "memory",
    async open() {
      return (lastMemory = memoryTaskStore());
    },
    // One process's memory: a "shared" handle is the same store.
    async openShared() {
      return lastMemory!;
    },
  },
  {
    name: "LMDB",
    async open() {
      lastFolder = fs.mkdtempSync(path.join(os.tmpdir(), "bentoc-task-store-"));
      folders.push(lastFolder);
      return lmdbTaskStore(lastFolder);
    },
    async openShared() {
      return lmdbTaskStore(lastFolder);
    },
  },
  ...(REDIS_MISSING ? [] : [{
    name: "Redis",
    async open() {
      redis ??= await startRedisServer();
      lastBento = `bento-${randomUUID().slice(0, 8)}`; // a bento of its own: nothing left from another test
      return openRedis();
    },
    openShared: openRedis,
  }]),
];

async function openRedis(): Promise<TaskStore> {
  const store = new RedisTaskStore({ url: redis!.url(), bento: lastBento });
  await store.ready();
  return store;
}

/** The Redis server the Redis kind started, if it did. */
export function redisUrl(): string | undefined {
  return redis?.url();
}

export async function closeStoreKinds(): Promise<void> {
  await redis?.stop();
  redis = undefined;
  for (const folder of folders.splice(0)) fs.rmSync(folder, { recursive: true, force: true });
}

import os from "node:os";
import path from "node:path";
import type { BentoManifest } from "../../manifest/types.js";
import { taskStoreProblem, type ServerOptions } from "../options.js";
import { lmdbTaskStore } from "./lmdb-task-store.js";
import { memoryTaskStore } from "./memory-task-store.js";
import { RedisTaskStore } from "./redis-task-store.js";
import type { TaskStore } from "./task-store.js";

/** BENTOC_HOME, as the stores use it: `~/.bentoc` unless the environment says otherwise. */
export function bentocHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.BENTOC_HOME ?? path.join(os.homedir(), ".bentoc");
}

/** The bento's task store: LMDB on this machine by default, Redis for a redis:// or rediss:// URL, in memory when asked. */
export function openTaskStore(manifest: BentoManifest, options: ServerOptions): TaskStore {
  const store = options.taskStore;
  if (store === "memory") return memoryTaskStore();
  const problem = store === undefined ? undefined : taskStoreProblem("the taskStore option", store);
  if (problem) throw new Error(problem);
  if (store !== undefined && /^rediss?:/i.test(store)) return new RedisTaskStore({ url: store, password: options.taskStorePassword, bento: manifest.name });
  return lmdbTaskStore(store ?? path.join(bentocHome(), "tasks", manifest.name));
}

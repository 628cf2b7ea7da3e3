import os from "node:os";
import path from "node:path";
import type { BentoManifest } from "../../manifest/types.js";
import { taskStoreProblem, type ServerOptions } from "../options.js";
import { LmdbTaskStore, MemoryTaskStore, type TaskStore } from "./task-store.js";

/** BENTOC_HOME, as the stores use it: `~/.bentoc` unless the environment says otherwise. */
export function bentocHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.BENTOC_HOME ?? path.join(os.homedir(), ".bentoc");
}

/** The bento's task store: durable (LMDB) by default, in memory when asked. */
export function openTaskStore(manifest: BentoManifest, options: ServerOptions): TaskStore {
  if (options.taskStore === "memory") return new MemoryTaskStore();
  const problem = options.taskStore === undefined ? undefined : taskStoreProblem("the taskStore option", options.taskStore);
  if (problem) throw new Error(problem);
  return LmdbTaskStore.open(options.taskStore ?? path.join(bentocHome(), "tasks", manifest.name));
}

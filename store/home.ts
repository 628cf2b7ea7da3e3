import os from "node:os";
import path from "node:path";

/** Where the model and bento stores live: `$BENTOC_HOME`, else `~/.bentoc`. */
export function bentocHome(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.BENTOC_HOME;
  return configured ? path.resolve(configured) : path.join(os.homedir(), ".bentoc");
}

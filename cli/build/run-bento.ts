import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { NPM_INSTALL_ARGS } from "../../generators/docker/index.js";
import type { StoredBento } from "../../store/bento-store.js";
import { CliError } from "../errors.js";
import { SOURCE_DIR } from "./bento-files.js";

/** What of a bento runs: the rest (Dockerfile, k8s, client) stays in the store. */
const RUN_FILES = ["package.json", "package-lock.json", SOURCE_DIR];

/**
 * A stored bento made runnable outside a container: its code and runtime packages installed
 * with the image's own `npm ci` command into `<home>/run/<name>/<version>/` (once per version;
 * the store entry itself is never changed). Returns the path of `main.mjs`.
 */
export function installedBento(bento: StoredBento, home: string): string {
  const runDir = path.join(home, "run", bento.name, bento.version);
  const main = path.join(runDir, SOURCE_DIR, "main.mjs");
  if (fs.existsSync(main)) return main;
  fs.mkdirSync(path.dirname(runDir), { recursive: true });
  const staging = fs.mkdtempSync(path.join(path.dirname(runDir), `.${bento.version}-`));
  try {
    for (const name of RUN_FILES) fs.cpSync(path.join(bento.dir, name), path.join(staging, name), { recursive: true });
    process.stderr.write(`bentoc: installing the runtime packages of ${bento.tag} (npm ${NPM_INSTALL_ARGS.join(" ")})\n`);
    const npm = spawnSync(process.platform === "win32" ? "npm.cmd" : "npm", [...NPM_INSTALL_ARGS, "--prefer-offline"], { cwd: staging, stdio: ["ignore", "ignore", "inherit"] });
    if (npm.status !== 0) throw new CliError(`npm ci failed for ${bento.tag} (${npm.error?.message ?? `exit code ${npm.status}`}); see npm's output above`);
    try {
      fs.renameSync(staging, runDir);
    } catch (error) {
      // Another `bentoc serve` installed the same version meanwhile: use that one.
      if (!fs.existsSync(main)) throw error;
      fs.rmSync(staging, { recursive: true, force: true });
    }
  } catch (error) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  return main;
}

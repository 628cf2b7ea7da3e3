// A bento as it ships, for the benches that measure one (bench/tasks.bench.ts,
// bench/compose.bench.ts): a service file compiled and bundled as `bentoc serve` does, and its
// bundled main.mjs run in a process of its own, configured from the environment as in a container.
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { bundleServer } from "../cli/bundle.js";
import { formatDiagnostics } from "../cli/code-frame.js";
import { freePort } from "../cli/serve/free-port.js";
import { compileService } from "../compiler/index.js";
import type { BentoManifest } from "../manifest/types.js";
import { pinnedNode } from "./cpu-pinning.js";
import { BenchFailure } from "./server-process.js";

const HOST = "127.0.0.1";
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;
/** The command a bento's container runs (generators/docker's CONTAINER_COMMAND), less `node`. */
const BENTO_NODE_ARGS = ["--enable-source-maps"];

export interface RunningServer {
  origin: string;
  stop(): Promise<void>;
}

/** A bento's main process (with `workers: 1`, the one that serves). */
export interface BentoProcess extends RunningServer {
  pid: number;
}

/** A bento start-up the environment refused: its one line of error (e.g. a task store this build cannot open). */
export class BentoRefused extends Error {}

/**
 * Writes `source` as `folder`/service.ts (inside the package, so `import "bentoc"` resolves to
 * dist/), compiles it and bundles its server; returns the manifest and the bundled main.mjs.
 * `what` names the service in the message of a compile error.
 */
export async function buildBento(folder: string, source: string, root: string, what: string): Promise<{ manifest: BentoManifest; main: string }> {
  mkdirSync(folder, { recursive: true });
  const servicePath = join(folder, "service.ts");
  writeFileSync(servicePath, source);
  const { manifest, diagnostics } = compileService(servicePath);
  if (!manifest) throw new BenchFailure(`bentoc could not compile ${what}:\n${formatDiagnostics(diagnostics, { color: false, cwd: root })}`);
  return { manifest, main: await bundleServer(manifest, servicePath, join(folder, "server")) };
}

export interface BentoProcessOptions {
  /** Set on top of this process's environment (BENTOC_SERVICE, BENTOC_TASK_STORE, …). */
  env: NodeJS.ProcessEnv;
  /** Where the bento's stdout (its log lines) goes. */
  logFile: string;
  /** Node flags after the container's own (e.g. `--cpu-prof`). */
  nodeArgs?: readonly string[];
  /** Runs the bento pinned to these CPUs (taskset syntax; bench/cpu-pinning.ts). */
  pinTo?: string;
}

/**
 * Runs main.mjs with the bento's defaults on a free port of 127.0.0.1, `options.env` on top;
 * resolves once /readyz answers 200 (every worker ready). A start-up that exits 2 with one line
 * (a configuration the bento refuses) rejects with BentoRefused and that line.
 */
export async function startBentoProcess(mainFile: string, options: BentoProcessOptions): Promise<BentoProcess> {
  const port = await freePort();
  const stdout = openSync(options.logFile, "w");
  let child: ChildProcess;
  try {
    const node = options.pinTo === undefined ? { execPath: process.execPath, execArgv: [] } : pinnedNode(options.pinTo);
    child = spawn(node.execPath, [...node.execArgv, ...BENTO_NODE_ARGS, ...(options.nodeArgs ?? []), mainFile], {
      cwd: dirname(mainFile),
      env: { ...process.env, BENTOC_HOST: HOST, BENTOC_PORT: String(port), BENTOC_LOG_FORMAT: "json", ...options.env },
      stdio: ["ignore", stdout, "pipe"],
    });
  } finally {
    closeSync(stdout);
  }
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    // SIGTERM drains gracefully (the primary forwards it); cluster workers exit with their primary, even a killed one.
    const killer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
    child.kill("SIGTERM");
    await exited;
    clearTimeout(killer);
  };
  const origin = `http://${HOST}:${port}`;
  try {
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        const said = stderr.trim() || readFileSync(options.logFile, "utf8").trim().split("\n").slice(-3).join("\n");
        if (child.exitCode === 2 && said.split("\n").length === 1) throw new BentoRefused(said.replace(/^bentoc: /, ""));
        throw new BenchFailure(`the bento exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${said}`);
      }
      if (await isReady(origin)) return { origin, stop, pid: child.pid! };
      if (Date.now() > deadline) throw new BenchFailure(`the bento was not ready within ${START_TIMEOUT_MS / 1000} s:\n${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } catch (error) {
    await stop();
    throw error;
  }
}

async function isReady(origin: string): Promise<boolean> {
  try {
    const response = await fetch(`${origin}/readyz`, { signal: AbortSignal.timeout(2_000) });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

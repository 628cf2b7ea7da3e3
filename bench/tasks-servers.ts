// The servers `npm run bench:tasks` measures, each in processes of its own: the bento as it
// ships (its bundled main.mjs, configured from the environment as in a container) and the
// BullMQ peer (bench/tasks-peer.ts).
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { bundleServer } from "../cli/bundle.js";
import { formatDiagnostics } from "../cli/code-frame.js";
import { compileService } from "../compiler/index.js";
import { freePort } from "../cli/serve/free-port.js";
import { BenchFailure, startServerProcess, stopServerProcess, type ServerProcess } from "./server-process.js";
import { TASK_ROUTE, taskServiceSource } from "./tasks-fixture.js";

const HOST = "127.0.0.1";
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;
/** The command a bento's container runs (generators/docker's CONTAINER_COMMAND), less `node`. */
const BENTO_NODE_ARGS = ["--enable-source-maps"];

export interface RunningServer {
  origin: string;
  stop(): Promise<void>;
}

/** A bento start-up the environment refused: its one line of error (e.g. a task store this build cannot open). */
export class BentoRefused extends Error {}

/**
 * Compiles and bundles the benchmark service with `workers` worker processes in `folder`
 * (inside the package, so `import "bentoc"` resolves to dist/); returns the bundled main.mjs.
 */
export async function buildTaskBento(folder: string, workers: number, root: string): Promise<string> {
  mkdirSync(folder, { recursive: true });
  const servicePath = join(folder, "service.ts");
  writeFileSync(servicePath, taskServiceSource(workers));
  const { manifest, diagnostics } = compileService(servicePath);
  if (!manifest) throw new BenchFailure(`bentoc could not compile the task benchmark service:\n${formatDiagnostics(diagnostics, { color: false, cwd: root })}`);
  const api = manifest.services[0]?.apis.find((candidate) => candidate.route === TASK_ROUTE);
  if (api?.kind !== "task") throw new BenchFailure(`the compiled service has no task API at ${TASK_ROUTE}`);
  return bundleServer(manifest, servicePath, join(folder, "server"));
}

/**
 * Runs main.mjs with the bento's defaults and `BENTOC_TASK_STORE=taskStore`, its log lines going
 * to `logFile`; resolves once /readyz answers 200 (every worker ready). A start-up that exits 2
 * (a configuration the bento refuses) rejects with BentoRefused and the bento's own line.
 */
export async function startBento(mainFile: string, taskStore: string, logFile: string): Promise<RunningServer> {
  const port = await freePort();
  const stdout = openSync(logFile, "w");
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, [...BENTO_NODE_ARGS, mainFile], {
      cwd: dirname(mainFile),
      env: { ...process.env, BENTOC_HOST: HOST, BENTOC_PORT: String(port), BENTOC_TASK_STORE: taskStore, BENTOC_LOG_FORMAT: "json" },
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
        const said = stderr.trim() || readFileSync(logFile, "utf8").trim().split("\n").slice(-3).join("\n");
        if (child.exitCode === 2 && said.split("\n").length === 1) throw new BentoRefused(said.replace(/^bentoc: /, ""));
        throw new BenchFailure(`the bento exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${said}`);
      }
      if (await isReady(origin)) return { origin, stop };
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

/** The BullMQ peer with `workers` processes on one port, its Queue and Workers on `redisUrl`. */
export async function startPeer(redisUrl: string, workers: number, root: string): Promise<RunningServer> {
  const entry = join(dirname(fileURLToPath(import.meta.url)), "tasks-peer.js");
  const server: ServerProcess = await startServerProcess(entry, [redisUrl, String(workers)], { label: `BullMQ (${workers} worker${workers === 1 ? "" : "s"})`, cwd: root });
  return { origin: `http://${HOST}:${server.port}`, stop: () => stopServerProcess(server) };
}

// The servers `npm run bench:tasks` measures, each in processes of its own: the bento as it
// ships (bench/bento-process.ts) and the BullMQ peer (bench/tasks-peer.ts).
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildBento, startBentoProcess, type RunningServer } from "./bento-process.js";
import { BenchFailure, startServerProcess, stopServerProcess, type ServerProcess } from "./server-process.js";
import { TASK_ROUTE, taskServiceSource } from "./tasks-fixture.js";

export { BentoRefused, type RunningServer } from "./bento-process.js";

const HOST = "127.0.0.1";

/**
 * Compiles and bundles the benchmark service with `workers` worker processes in `folder`
 * (inside the package, so `import "bentoc"` resolves to dist/); returns the bundled main.mjs.
 */
export async function buildTaskBento(folder: string, workers: number, root: string): Promise<string> {
  const { manifest, main } = await buildBento(folder, taskServiceSource(workers), root, "the task benchmark service");
  const api = manifest.services[0]?.apis.find((candidate) => candidate.route === TASK_ROUTE);
  if (api?.kind !== "task") throw new BenchFailure(`the compiled service has no task API at ${TASK_ROUTE}`);
  return main;
}

/**
 * Runs main.mjs with the bento's defaults and `BENTOC_TASK_STORE=taskStore`, its log lines going
 * to `logFile`; resolves once /readyz answers 200 (every worker ready). A start-up that exits 2
 * (a configuration the bento refuses) rejects with BentoRefused and the bento's own line.
 */
export function startBento(mainFile: string, taskStore: string, logFile: string): Promise<RunningServer> {
  return startBentoProcess(mainFile, { env: { BENTOC_TASK_STORE: taskStore }, logFile });
}

/** The BullMQ peer with `workers` processes on one port, its Queue and Workers on `redisUrl`. */
export async function startPeer(redisUrl: string, workers: number, root: string): Promise<RunningServer> {
  const entry = join(dirname(fileURLToPath(import.meta.url)), "tasks-peer.js");
  const server: ServerProcess = await startServerProcess(entry, [redisUrl, String(workers)], { label: `BullMQ (${workers} worker${workers === 1 ? "" : "s"})`, cwd: root });
  return { origin: `http://${HOST}:${server.port}`, stop: () => stopServerProcess(server) };
}

import cluster from "node:cluster";
import { detectResources, planWorkers, type ResourceRequest } from "../allocator/index.js";
import { answerForCluster } from "../operational.js";
import { EnvironmentError, optionsFromEnv } from "../options.js";
import type { BentoServer } from "../server.js";
import { CANNOT_LISTEN_EXIT_CODE, listenProblem } from "../listen-error.js";
import { ClusterPrimary, WORKER_COUNT_ENV, WORKER_INDEX_ENV } from "./primary.js";
import { PrimaryLink } from "./primary-link.js";
import { processLogger } from "./process-logger.js";

/** What `main` knows of the bento before it loads the service: the entry service's worker settings. */
export interface MainConfig {
  /** The entry service's name, for logs. */
  service: string;
  workers: number | "cpu";
  resources: ResourceRequest;
  /** How long a worker may take to drain after SIGTERM (the longest traffic timeout). */
  shutdownTimeoutMs: number;
}

/** Imports the generated server module and builds the server (the service is constructed here). */
export type LoadServer = () => Promise<BentoServer>;

/**
 * The bento's `main`. `workers: 1` serves in this process, as a single server always has.
 * Otherwise this process becomes a node:cluster primary that only supervises (it never calls
 * `loadServer`, so no model is loaded in it) and each forked worker serves on the shared port.
 */
export async function runMain(config: MainConfig, loadServer: LoadServer): Promise<void> {
  exitOnBadEnvironment();
  // A cluster worker forked by someone else (a process manager) serves on its own.
  if (cluster.isWorker && process.env[WORKER_INDEX_ENV] !== undefined) return runWorker(loadServer);
  if (cluster.isWorker || config.workers === 1) {
    const server = await loadOrExit(loadServer, "the service", {});
    server.exitOnSignals();
    await listenOrExit(server, {}, "the server", 1);
    return;
  }
  await runPrimary(config);
}

async function runPrimary(config: MainConfig): Promise<void> {
  const log = processLogger(optionsFromEnv(), { role: "primary" });
  const plan = planWorkers(await detectResources(), { workers: config.workers, resources: config.resources }, process.env);
  for (const warning of plan.warnings) log.warn(warning);
  const gpus = plan.gpuAllocation === "assigned" ? `, GPUs ${plan.workers.map((worker) => `[${worker.gpus!.join(",")}]`).join(" ")}` : "";
  log.info(`${config.service}: primary pid ${process.pid} runs ${plan.workers.length} workers, ${plan.threadsPerWorker} thread(s) each${gpus}`);
  new ClusterPrimary({ plan, shutdownTimeoutMs: config.shutdownTimeoutMs, log }).start();
}

async function runWorker(loadServer: LoadServer): Promise<void> {
  const index = process.env[WORKER_INDEX_ENV];
  const link = new PrimaryLink(Number(process.env[WORKER_COUNT_ENV] ?? 1));
  answerForCluster(link);
  const server = await loadOrExit(loadServer, `worker ${index}: the service`, { worker: Number(index) });
  link.serving(server.metrics.registry);
  server.exitOnSignals();
  // The primary forwards SIGTERM; a terminal's Ctrl-C sends SIGINT to the whole group.
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => link.report("draining"));
  await listenOrExit(server, { startupFirst: true }, `worker ${index}`, CANNOT_LISTEN_EXIT_CODE);
  link.report("ready");
}

/** A configuring variable the server cannot use (BENTOC_PORT=abc) is a one-line error and exit 2, before anything starts. */
function exitOnBadEnvironment(): void {
  try {
    optionsFromEnv();
  } catch (error) {
    if (!(error instanceof EnvironmentError)) throw error;
    process.stderr.write(`bentoc: ${error.message}\n`);
    process.exit(2);
  }
}

/** Builds the server (constructing the service), or logs the service's error as JSON or pretty logs do and exits 1. */
async function loadOrExit(loadServer: LoadServer, who: string, bindings: Record<string, unknown>): Promise<BentoServer> {
  try {
    return await loadServer();
  } catch (error) {
    // A value of the environment the bento cannot use (BENTOC_SERVICE naming no service): one line, exit 2.
    if (error instanceof EnvironmentError) {
      processLogger(optionsFromEnv(), bindings).fatal(`${who} cannot start: ${error.message}`);
      process.exit(2);
    }
    processLogger(optionsFromEnv(), bindings).fatal({ err: error }, `${who} failed to start: ${(error as Error).message}`);
    process.exit(1);
  }
}

/**
 * Listens, or logs why it cannot and exits: an address that cannot be had (in use, privileged,
 * not this machine's) in words and without a stack, with `addressExitCode`; anything else
 * (an `@onStartup` hook that threw) with its error, and 1.
 */
async function listenOrExit(server: BentoServer, options: { startupFirst?: boolean }, who: string, addressExitCode: number): Promise<void> {
  try {
    await server.listen(options);
  } catch (error) {
    // A store the environment names that cannot be used (a Redis server that is down): one line, and the exit code of a bad environment.
    if (error instanceof EnvironmentError) {
      server.log.fatal(`${who} cannot start: ${error.message}`);
      process.exit(2);
    }
    const problem = listenProblem(error);
    if (problem) server.log.fatal(`${who} ${problem}`);
    else server.log.fatal({ err: error }, `${who} could not start serving: ${(error as Error).message}`);
    process.exit(problem ? addressExitCode : 1);
  }
}

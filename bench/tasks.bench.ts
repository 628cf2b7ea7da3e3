// `npm run bench:tasks`: background tasks of a bento as it ships, against BullMQ (a hand-written
// Fastify server over a BullMQ Queue and Worker) on the same Redis server, from one run on
// 127.0.0.1. For each task store (LMDB, the default; Redis) and each worker count (1, 2):
//   - throughput: a fixed number of no-op tasks, a fixed number in flight, each caller
//     submitting, polling `status` until the task is final, then `get`ting its result;
//   - status latency: sequential `GET status` calls on finished tasks (p50, p99).
// The bento runs its bundled main.mjs with BENTOC_TASK_STORE from the environment; BullMQ runs
// TASK_CONCURRENCY jobs at once per worker process, as the bento runs tasks. Redis is a
// redis-server this bench starts (bench/redis-server.ts) and flushes before each server.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { Redis } from "ioredis";
import { median } from "./measure.js";
import { redisServerMissing, startRedisServer, type RedisServer } from "./redis-server.js";
import { BenchFailure } from "./server-process.js";
import { TASK_CONCURRENCY, TASK_ROUTE } from "./tasks-fixture.js";
import { runTasks, statusLatency, taskClient } from "./tasks-load.js";
import { BentoRefused, buildTaskBento, startBento, startPeer, type RunningServer } from "./tasks-servers.js";
import { findRepoRoot, numberFlag, scratchCleanup } from "./setup.js";
import { writeResults } from "./results-file.js";

/** Issue 20: on Redis, the bento's no-op task throughput at least this share of BullMQ's. */
const TARGET_REDIS_VS_BULLMQ = 0.8;

const { values: flags } = parseArgs({
  options: {
    // Measured tasks per server and round, after the warm-up tasks.
    tasks: { type: "string", default: "2000" },
    warmup: { type: "string", default: "200" },
    "in-flight": { type: "string", default: "64" },
    // Pause between two status polls of one task, in ms (0: poll again at once).
    "poll-ms": { type: "string", default: "2" },
    // Sequential status calls of the latency run.
    "status-samples": { type: "string", default: "2000" },
    workers: { type: "string", default: "1,2" },
    // Each round starts every server afresh, in an order that alternates between rounds; the table shows medians.
    rounds: { type: "string", default: "5" },
    keep: { type: "boolean", default: false },
  },
});
const tasks = numberFlag("--tasks", flags.tasks, { integer: true });
const warmupTasks = numberFlag("--warmup", flags.warmup, { integer: true, zeroAllowed: true });
const inFlight = numberFlag("--in-flight", flags["in-flight"], { integer: true });
const pollMs = numberFlag("--poll-ms", flags["poll-ms"], { zeroAllowed: true });
const statusSamples = numberFlag("--status-samples", flags["status-samples"], { integer: true });
const rounds = numberFlag("--rounds", flags.rounds, { integer: true });
const workerCounts = flags.workers.split(",").map((value) => numberFlag("--workers", value, { integer: true }));
/** Status polls of one task before the run fails: a task that never ends must not hang the bench. */
const MAX_POLLS = 10_000;

const root = findRepoRoot();
// Inside the package (and gitignored), so the service's `import "bentoc"` resolves to dist/.
const tmp = join(root, `.bentoc-tmp-bench-tasks-${process.pid}`);

type Store = "lmdb" | "redis" | "bullmq";
const STORES: readonly Store[] = ["lmdb", "redis", "bullmq"];
const LABELS: Record<Store, string> = { lmdb: "bento, LMDB", redis: "bento, Redis", bullmq: "BullMQ" };

interface Sample {
  round: number;
  tasksPerSecond: number;
  /** Submit-to-result time of one task, ms. */
  taskP50Ms: number;
  taskP99Ms: number;
  pollsPerTask: number;
  statusP50Ms: number;
  statusP99Ms: number;
}

interface Cell {
  samples: Sample[];
  /** Why this store could not run (the bento's one line), when it could not. */
  unsupported?: string;
  /** The first wrong answer this server gave (then it is not measured again): a bug to report, not a figure. */
  failed?: string;
}

/** One server, measured: warm-up tasks, the measured tasks, then the status latency. */
async function measure(server: RunningServer, round: number, firstN: number): Promise<Sample> {
  const client = taskClient(server.origin, inFlight);
  try {
    if (warmupTasks > 0) await runTasks(client, { tasks: warmupTasks, inFlight, pollMs, maxPolls: MAX_POLLS, firstN: firstN - warmupTasks });
    const run = await runTasks(client, { tasks, inFlight, pollMs, maxPolls: MAX_POLLS, firstN });
    const status = await statusLatency(client, run.finishedIds, statusSamples);
    return { round, tasksPerSecond: run.tasksPerSecond, taskP50Ms: run.p50Ms, taskP99Ms: run.p99Ms, pollsPerTask: run.pollsPerTask, statusP50Ms: status.p50Ms, statusP99Ms: status.p99Ms };
  } finally {
    await client.close();
  }
}

async function flush(redis: Redis): Promise<void> {
  await redis.flushall();
}

/** Starts `store`'s server with `workers` workers on a flushed Redis (and a fresh LMDB folder). */
async function start(store: Store, workers: number, mainFiles: Map<number, string>, redis: RedisServer, round: number): Promise<{ server: RunningServer; cleanUp(): void }> {
  const logFile = join(tmp, `${store}-${workers}w-round${round}.log`);
  if (store === "bullmq") return { server: await startPeer(redis.url(), workers, root), cleanUp: () => undefined };
  const lmdb = store === "lmdb" ? mkdtempSync(join(tmp, "lmdb-")) : undefined;
  const cleanUp = () => {
    if (lmdb) rmSync(lmdb, { recursive: true, force: true });
    if (!flags.keep) rmSync(logFile, { force: true });
  };
  try {
    return { server: await startBento(mainFiles.get(workers)!, lmdb ?? redis.url(), logFile), cleanUp };
  } catch (error) {
    cleanUp();
    throw error;
  }
}

const ms = (value: number) => `${value.toFixed(2)} ms`;
const times = (value: number) => `${value.toFixed(2)}×`;

function formatTable(cells: Map<string, Cell>): string {
  const columns = ["tasks/s", "× BullMQ", "status p50", "× BullMQ", "status p99", "× BullMQ", "task p50", "polls/task"];
  const widths = [9, 9, 11, 9, 11, 9, 10, 11];
  const pad = (texts: string[]) => texts.map((text, i) => text.padStart(widths[i]!)).join("");
  const lines = [`${"store, workers".padEnd(20)}${pad(columns)}`];
  for (const workers of workerCounts) {
    const peerCell = cells.get(`bullmq/${workers}`)!;
    const peer = peerCell.samples.length > 0 ? aggregate(peerCell) : undefined;
    const ratio = (value: number, key: "tasksPerSecond" | "statusP50Ms" | "statusP99Ms") => (peer ? times(value / peer[key]) : "—");
    for (const store of STORES) {
      const label = `${LABELS[store]}, ${workers}`.padEnd(20);
      const cell = cells.get(`${store}/${workers}`)!;
      if (cell.unsupported !== undefined) {
        lines.push(`${label}${store}: not supported by this build (${cell.unsupported})`);
        continue;
      }
      if (cell.samples.length === 0) {
        lines.push(`${label}FAILED: ${cell.failed ?? "not measured"}`);
        continue;
      }
      const r = aggregate(cell);
      lines.push(label + pad([
        String(Math.round(r.tasksPerSecond)),
        ratio(r.tasksPerSecond, "tasksPerSecond"),
        ms(r.statusP50Ms),
        ratio(r.statusP50Ms, "statusP50Ms"),
        ms(r.statusP99Ms),
        ratio(r.statusP99Ms, "statusP99Ms"),
        ms(r.taskP50Ms),
        r.pollsPerTask.toFixed(2),
      ]));
    }
  }
  return lines.join("\n");
}

function aggregate(cell: Cell): Omit<Sample, "round"> {
  const of = (key: keyof Omit<Sample, "round">) => median(cell.samples.map((sample) => sample[key]));
  return { tasksPerSecond: of("tasksPerSecond"), taskP50Ms: of("taskP50Ms"), taskP99Ms: of("taskP99Ms"), pollsPerTask: of("pollsPerTask"), statusP50Ms: of("statusP50Ms"), statusP99Ms: of("statusP99Ms") };
}

async function main(): Promise<number> {
  const started = Date.now();
  const missing = redisServerMissing();
  if (missing) throw new BenchFailure(`${missing}; the BullMQ peer and the Redis task store need it`);
  mkdirSync(tmp, { recursive: true });
  const mainFiles = new Map<number, string>();
  for (const workers of workerCounts) mainFiles.set(workers, await buildTaskBento(join(tmp, `bento-${workers}w`), workers, root));

  const redisServer = await startRedisServer();
  const redis = new Redis(redisServer.url(), { maxRetriesPerRequest: 1 });
  const cells = new Map<string, Cell>(workerCounts.flatMap((workers) => STORES.map((store) => [`${store}/${workers}`, { samples: [] } as Cell])));
  console.log(`task benchmark: POST ${TASK_ROUTE}/submit → GET status (every ${pollMs} ms) until final → GET get; ${tasks} no-op tasks per server after ${warmupTasks} warm-up, ${inFlight} in flight; ${statusSamples} sequential status calls on finished tasks; ${TASK_CONCURRENCY} tasks at once per worker; ${rounds} round${rounds === 1 ? "" : "s"} of fresh servers; redis-server ${redisServer.url()}`);
  try {
    let firstN = 1_000_000;
    for (let round = 1; round <= rounds; round++) {
      // Rotate who goes first, so drift in machine load lands on all alike.
      const order = workerCounts.flatMap((workers) => STORES.map((store) => ({ store, workers })));
      const rotated = order.map((_, i) => order[(i + round - 1) % order.length]!);
      if (round % 2 === 0) rotated.reverse();
      for (const { store, workers } of rotated) {
        const cell = cells.get(`${store}/${workers}`)!;
        if (cell.unsupported !== undefined || cell.failed !== undefined) continue;
        await flush(redis);
        let running: Awaited<ReturnType<typeof start>>;
        try {
          running = await start(store, workers, mainFiles, redisServer, round);
        } catch (error) {
          if (!(error instanceof BentoRefused)) throw error;
          cell.unsupported = error.message;
          console.log(`  round ${round}  ${`${LABELS[store]}, ${workers}w`.padEnd(18)} ${store}: not supported by this build (${error.message})`);
          continue;
        }
        try {
          firstN += warmupTasks + tasks;
          const sample = await measure(running.server, round, firstN).catch((error: unknown) => {
            if (!(error instanceof BenchFailure)) throw error;
            cell.failed = error.message;
            return undefined;
          });
          if (!sample) {
            console.log(`  round ${round}  ${`${LABELS[store]}, ${workers}w`.padEnd(18)} FAILED: ${cell.failed}`);
            continue;
          }
          cell.samples.push(sample);
          console.log(`  round ${round}  ${`${LABELS[store]}, ${workers}w`.padEnd(18)} ${String(Math.round(sample.tasksPerSecond)).padStart(6)} tasks/s  task p50 ${ms(sample.taskP50Ms)} p99 ${ms(sample.taskP99Ms)}  ${sample.pollsPerTask.toFixed(2)} polls/task  status p50 ${ms(sample.statusP50Ms)} p99 ${ms(sample.statusP99Ms)}`);
        } finally {
          await running.server.stop();
          running.cleanUp();
        }
      }
    }
  } finally {
    redis.disconnect();
    await redisServer.stop();
  }

  const measured = (store: Store, workers: number) => cells.get(`${store}/${workers}`)!.samples.length > 0;
  console.log(`\nbentoc task benchmark (node ${process.version}, ${cpus().length} CPUs, ${cpus()[0]?.model ?? "unknown CPU"}), medians of ${rounds} round${rounds === 1 ? "" : "s"}; "× BullMQ": this row / BullMQ's row at the same worker count (throughput: higher is better; latency: lower is better)\n`);
  console.log(formatTable(cells));
  const redisRatios = workerCounts.filter((workers) => measured("redis", workers) && measured("bullmq", workers)).map((workers) => ({ workers, ratio: aggregate(cells.get(`redis/${workers}`)!).tasksPerSecond / aggregate(cells.get(`bullmq/${workers}`)!).tasksPerSecond }));
  const failures = [...cells].filter(([, cell]) => cell.failed !== undefined);
  const met = failures.length === 0 && redisRatios.length === workerCounts.length && redisRatios.every(({ ratio }) => ratio >= TARGET_REDIS_VS_BULLMQ);
  console.log(`\ntarget: on Redis, bento throughput ≥ ${TARGET_REDIS_VS_BULLMQ}× BullMQ's: ${redisRatios.length === 0 ? "not measured (no Redis task store in this build)" : `${met ? "met" : "NOT met"} (${redisRatios.map(({ workers, ratio }) => `${workers}w ${ratio.toFixed(2)}×`).join(", ")})`}`);
  // The same ratio within each round (servers measured close together), to show its spread.
  for (const store of ["lmdb", "redis"] as const) {
    for (const workers of workerCounts) {
      const peer = cells.get(`bullmq/${workers}`)!.samples;
      const perRound = cells.get(`${store}/${workers}`)!.samples.flatMap((sample) => {
        const match = peer.find((candidate) => candidate.round === sample.round);
        return match ? [(sample.tasksPerSecond / match.tasksPerSecond).toFixed(2)] : [];
      });
      if (perRound.length > 0) console.log(`${LABELS[store]}, ${workers}w / BullMQ throughput per round: ${perRound.join(", ")}`);
    }
  }

  const resultsPath = writeResults(root, "tasks", {
    tasks, warmupTasks, inFlight, pollMs, statusSamples, rounds, taskConcurrency: TASK_CONCURRENCY,
    wallS: Math.round((Date.now() - started) / 100) / 10,
    target: { redisVsBullmq: TARGET_REDIS_VS_BULLMQ, met, ratios: redisRatios },
    rows: Object.fromEntries([...cells].map(([key, cell]) => [key, cell.unsupported !== undefined ? { unsupported: cell.unsupported } : cell.samples.length === 0 ? { failed: cell.failed } : { ...aggregate(cell), samples: cell.samples, ...(cell.failed ? { failed: cell.failed } : {}) }])),
  });
  console.log(`results: ${resultsPath}`);
  for (const [key, cell] of failures) console.log(`FAILED ${key.replace("/", ", ")} worker(s): ${cell.failed}`);
  return failures.length === 0 ? 0 : 1;
}

const cleanUp = scratchCleanup(tmp, flags.keep);

try {
  process.exitCode = await main();
} catch (error) {
  console.error(error instanceof BenchFailure ? `bench:tasks failed: ${error.message}` : error);
  process.exitCode = 1;
} finally {
  cleanUp();
}

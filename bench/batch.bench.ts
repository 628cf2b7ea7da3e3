// `npm run bench:batch`: what adaptive batching buys on a real ONNX model, from one run on
// 127.0.0.1. For each model (the Iris example, and a heavy MLP generated here) it measures
//   (a) the model called directly in this process at each batch size: the ceiling;
//   (b) the bentoc server calling it once per request (an API without batching);
//   (c) the same server with adaptive batching (a batchable API on the same method);
// (b) and (c) at each concurrency, closed loop, one row per request, every answer checked
// against the caller's own row. Prints a table, writes bench/results/batch-<time>.json.
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { bundleServer } from "../cli/bundle.js";
import { formatDiagnostics } from "../cli/code-frame.js";
import { compileService } from "../compiler/index.js";
import { irisExampleDir } from "../examples/iris/model/iris-data.js";
import { detectResources } from "../runtime/allocator/index.js";
import { expectedOutputs, measureCeiling } from "./batch-ceiling.js";
import { runLoad } from "./batch-load.js";
import { counterDelta, readBatchCounters } from "./batch-metrics.js";
import { benchModels, type BenchModel } from "./batch-models.js";
import { combineRuns, formatModel, verdict, type Mode, type ModelReport, type ServedRun } from "./batch-report.js";
import { BATCHED_ROUTE, batchServiceSource, UNBATCHED_ROUTE } from "./batch-service.js";
import { BenchFailure, serverCpu, startServerProcess, stopServerProcess, type ServerProcess } from "./server-process.js";
import { median } from "./measure.js";
import { findRepoRoot, numberFlag, scratchCleanup } from "./setup.js";

const HOST = "127.0.0.1";

const { values: flags } = parseArgs({
  options: {
    // Seconds of each measured load run, after its warm-up.
    duration: { type: "string", default: "5" },
    warmup: { type: "string", default: "1" },
    concurrency: { type: "string", default: "1,16,64" },
    // Each round measures every run again (and the ceiling before the top batched run); the table shows medians.
    rounds: { type: "string", default: "1" },
    models: { type: "string", default: "iris,heavy" },
    // onnxruntime intra-op threads per model session of the servers; default: what the allocator
    // gives one worker (every CPU), shared among the sessions (at least one each). The ceiling is
    // measured at 1 and at all threads.
    threads: { type: "string" },
    // Seconds per (thread count, batch size) point of the in-process ceiling.
    "ceiling-seconds": { type: "string", default: "0.5" },
    // Upper bound on the requests of one load run, whatever its duration.
    "max-requests": { type: "string", default: "500000" },
    // Starts the servers with `--cpu-prof` and writes their profiles to this folder.
    "cpu-prof": { type: "string" },
    keep: { type: "boolean", default: false },
  },
});
const durationS = numberFlag("--duration", flags.duration);
const warmupS = numberFlag("--warmup", flags.warmup, { zeroAllowed: true });
const ceilingS = numberFlag("--ceiling-seconds", flags["ceiling-seconds"]);
const maxRequests = numberFlag("--max-requests", flags["max-requests"], { integer: true });
const rounds = numberFlag("--rounds", flags.rounds, { integer: true });
const concurrencies = flags.concurrency.split(",").map((value) => numberFlag("--concurrency", value, { integer: true }));
const fixedThreads = flags.threads === undefined ? undefined : numberFlag("--threads", flags.threads, { integer: true });
const profileDir = flags["cpu-prof"];
const wanted = flags.models.split(",");
const models = benchModels().filter((model) => wanted.includes(model.name));
if (models.length === 0) {
  console.error(`--models takes a comma-separated list of ${benchModels().map((model) => model.name).join(", ")}; got ${JSON.stringify(flags.models)}`);
  process.exit(2);
}

const root = findRepoRoot();
// Inside the package (and gitignored), so `import "bentoc"` and onnxruntime-node resolve from it.
const tmp = join(root, `.bentoc-tmp-bench-batch-${process.pid}`);
const serverEntry = join(dirname(fileURLToPath(import.meta.url)), "http-servers.js");

/** Compiles and bundles the two-API service for one model; returns the bundled `server.mjs`. */
async function buildServer(model: BenchModel, modelFile: string): Promise<string> {
  const serviceDir = join(tmp, model.name);
  mkdirSync(serviceDir, { recursive: true });
  const servicePath = join(serviceDir, "service.ts");
  const poolModule = join(irisExampleDir(), "onnx-pool.ts");
  writeFileSync(servicePath, batchServiceSource({ serviceDir, poolModule, modelFile, maxBatchSize: model.maxBatchSize, maxLatencyMs: model.maxLatencyMs, sessions: model.sessions }));
  const { manifest, diagnostics } = compileService(servicePath);
  if (!manifest) throw new BenchFailure(`bentoc could not compile the benchmark service:\n${formatDiagnostics(diagnostics, { color: false, cwd: root })}`);
  await bundleServer(manifest, servicePath, join(serviceDir, "server"));
  return join(serviceDir, "server", "server.mjs");
}

async function startServer(model: BenchModel, serverModule: string, threads: number): Promise<ServerProcess> {
  const execArgv = profileDir ? ["--cpu-prof", "--cpu-prof-dir", profileDir, "--cpu-prof-name", `batch-${model.name}-${process.pid}.cpuprofile`] : [];
  const env = { ...process.env, OMP_NUM_THREADS: String(threads), BENTOC_THREADS: String(threads) };
  return startServerProcess(serverEntry, ["generated", serverModule], { label: `bentoc ${model.name}`, cwd: root, execArgv, env });
}

/** One load run, with the server's and this process's CPU time and the dispatcher's counters around it. */
async function measure(model: BenchModel, server: ServerProcess, mode: Mode, concurrency: number, expected: number[][]): Promise<ServedRun> {
  const base = `http://${HOST}:${server.port}`;
  const load = { url: `${base}${mode === "batched" ? BATCHED_ROUTE : UNBATCHED_ROUTE}`, concurrency, maxRequests, rows: model.rows, expected, tolerance: 1e-4 };
  if (warmupS > 0) await runLoad({ ...load, seconds: warmupS });
  const countersBefore = mode === "batched" ? await readBatchCounters(base, "batched") : undefined;
  const serverBefore = await serverCpu(server);
  const clientBefore = process.cpuUsage();
  const result = await runLoad({ ...load, seconds: durationS });
  const client = process.cpuUsage(clientBefore);
  const serverUs = (await serverCpu(server)) - serverBefore;
  const items = Math.max(1, result.requests);
  return {
    mode,
    concurrency,
    ...result,
    serverCpuUsPerItem: serverUs / items,
    clientCpuUsPerItem: (client.user + client.system) / items,
    ...(countersBefore ? { batches: counterDelta(countersBefore, await readBatchCounters(base, "batched")) } : {}),
  };
}

/** `cpuCount`: the CPUs the allocator sees (cgroup quota, else the OS), detected once for all models. */
async function benchModel(model: BenchModel, cpuCount: number): Promise<ModelReport> {
  const modelFile = model.prepare(tmp);
  // The ceiling is the model's best in-process, at batch sizes up to 64 even where the API's
  // maxBatchSize is smaller, and at any thread count.
  const batchSizes = [1, 2, 4, 8, 16, 32, 64, 128].filter((size) => size <= Math.max(64, model.maxBatchSize));
  // Each of the server's sessions gets its share of what the allocator gives one worker: every CPU.
  const threads = fixedThreads ?? Math.max(1, Math.floor(cpuCount / model.sessions));
  const threadCounts = [...new Set([1, threads, availableParallelism()])];
  console.log(`\n${model.label}: in-process ceiling (${threadCounts.length * batchSizes.length} points of ≤ ${ceilingS} s)…`);
  const ceilingPoints = await measureCeiling(modelFile, model.rows, { batchSizes, threadCounts, secondsPerPoint: ceilingS, maxRunsPerPoint: 200_000 });
  const ceiling = ceilingPoints.reduce((best, point) => (point.itemsPerSecond > best.itemsPerSecond ? point : best));
  const fullBatchMs = ceilingPoints.find((point) => point.threads === threads && point.batchSize === model.maxBatchSize)!.msPerBatch;
  const expected = await expectedOutputs(modelFile, model.rows, threads);

  const server = await startServer(model, await buildServer(model, modelFile), threads);
  const samples: ServedRun[] = [];
  const ceilingChecks: number[] = [];
  const top = Math.max(...concurrencies);
  try {
    for (let round = 1; round <= rounds; round++) {
      for (const concurrency of concurrencies) {
        for (const mode of ["unbatched", "batched"] as const) {
          if (mode === "batched" && concurrency === top) {
            // The ceiling again, just before the run it is compared with, so drift in the machine's load hits both alike.
            const [again] = await measureCeiling(modelFile, model.rows, { batchSizes: [ceiling.batchSize], threadCounts: [ceiling.threads], secondsPerPoint: 2 * ceilingS, maxRunsPerPoint: 200_000 });
            ceilingChecks.push(again!.itemsPerSecond);
          }
          const run = await measure(model, server, mode, concurrency, expected);
          samples.push(run);
          console.log(`  ${rounds > 1 ? `round ${round} ` : ""}${mode.padEnd(10)} concurrency ${String(concurrency).padStart(3)}: ${Math.round(run.itemsPerSecond)} items/s, p50 ${run.p50Ms.toFixed(2)} ms, p99 ${run.p99Ms.toFixed(2)} ms, max ${run.maxMs.toFixed(0)} ms${run.shed ? `, ${run.shed} shed` : ""}${run.failed ? `, ${run.failed} FAILED (${run.firstFailure ?? "connection errors or timeouts"})` : ""}${run.wrong ? `, ${run.wrong} WRONG (${run.firstWrong})` : ""}`);
        }
      }
    }
  } finally {
    await stopServerProcess(server);
  }
  const runs = concurrencies.flatMap((concurrency) => (["unbatched", "batched"] as const).map((mode) => combineRuns(samples.filter((run) => run.mode === mode && run.concurrency === concurrency))));
  const ceilingAtTop = median(ceilingChecks);
  return { model: model.name, label: model.label, threads, sessions: model.sessions, maxBatchSize: model.maxBatchSize, maxLatencyMs: model.maxLatencyMs, budgetNote: model.budgetNote, ceilingPoints, ceiling, ceilingAtTop, fullBatchMs, runs, ...(rounds > 1 ? { samples } : {}) };
}

async function main(): Promise<number> {
  const started = Date.now();
  mkdirSync(tmp, { recursive: true });
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  console.log(`Batching benchmark: ${models.map((model) => model.name).join(", ")}; concurrency ${concurrencies.join(", ")}; ${rounds} round${rounds === 1 ? "" : "s"} of ${durationS} s per run after a ${warmupS} s warm-up; load generator (autocannon) in this process, each server in its own`);
  const reports: ModelReport[] = [];
  const { cpuCount } = await detectResources();
  for (const model of models) reports.push(await benchModel(model, cpuCount));

  console.log(`\nbentoc batching benchmark (node ${process.version}, ${cpus().length} CPUs, ${cpus()[0]?.model ?? "unknown CPU"}); one row per request\n`);
  const verdicts = reports.map(verdict);
  reports.forEach((report, index) => console.log(formatModel(report, verdicts[index]!) + "\n"));
  const failures = reports.flatMap((report) => report.runs.filter((run) => run.failed > 0 || run.wrong > 0).map((run) => `${report.model} ${run.mode} @${run.concurrency}: ${run.failed} failed, ${run.wrong} wrong answers`));
  if (failures.length > 0) console.log(`FAILED (the figures above are not results):\n  ${failures.join("\n  ")}`);
  else console.log("every answer was the caller's own row's output (no errors, timeouts or wrong answers; 503s, if any, are counted above)");

  const resultsDir = join(root, "bench", "results");
  mkdirSync(resultsDir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const document = {
    benchmark: "batch",
    date: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? "unknown",
    durationS,
    warmupS,
    rounds,
    concurrencies,
    wallS: Math.round((Date.now() - started) / 100) / 10,
    ok: failures.length === 0,
    models: reports.map((report, index) => ({ ...report, verdict: verdicts[index] })),
  };
  const resultsPath = join(resultsDir, `batch-${stamp}.json`);
  writeFileSync(`${resultsPath}.tmp`, JSON.stringify(document, null, 2) + "\n");
  renameSync(`${resultsPath}.tmp`, resultsPath);
  console.log(`results: ${resultsPath}`);
  return failures.length === 0 ? 0 : 1;
}

const cleanUp = scratchCleanup(tmp, flags.keep);

try {
  process.exitCode = await main();
} catch (error) {
  console.error(error instanceof BenchFailure ? `bench:batch failed: ${error.message}` : error);
  process.exitCode = 1;
} finally {
  cleanUp();
}

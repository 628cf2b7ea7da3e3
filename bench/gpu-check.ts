// The GPU check: on a machine with NVIDIA GPUs, the resource allocator against the real
// nvidia-smi and real CUDA, end to end. The test suite covers the same paths with a fake
// nvidia-smi (test/allocator, test/workers/allocator-env.test.ts); this is what only a real GPU
// shows: that nvidia-smi takes our query and we read its answer, and that the GPUs each worker
// is given are the ones CUDA then lets that worker's model runtime see.
//
// Packed by bench/gpu-check-pack.ts; run as `node check.mjs <packed folder> [--out result.json]`.
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import http from "node:http";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { detectResources, planWorkers, type DetectedResources, type WorkerPlan } from "../runtime/allocator/index.js";
import { PROBE_BENTOS, type ProbeAnswer, type ProbeBento } from "./gpu-probe.js";
import { BenchFailure } from "./server-process.js";

const START_TIMEOUT_MS = 120_000;
// The first answer of each worker waits for PyTorch to import and find CUDA.
const CALL_TIMEOUT_MS = 180_000;
const MAX_CALLS = 40;

interface Case {
  title: string;
  bento: ProbeBento;
  /** Variables set (a string) or removed (undefined) for the bento's primary process. */
  env: Record<string, string | undefined>;
}

interface WorkerResult {
  worker: string;
  expectedCudaVisibleDevices: string;
  cudaVisibleDevices: string;
  cudaDeviceOrder: string;
  expectedCudaDevices: string[];
  cudaDevices: unknown;
}

interface CaseResult {
  title: string;
  workers: WorkerResult[];
  expectedWarnings: readonly string[];
  warnings: string[];
  exitCode: number | string;
  problems: string[];
}

function casesFor(machine: DetectedResources): Case[] {
  const [fractional, whole] = [PROBE_BENTOS[0]!, PROBE_BENTOS[1]!];
  const lastGpu = String(machine.gpus[machine.gpus.length - 1]!.index);
  const allocate = { CUDA_VISIBLE_DEVICES: undefined, BENTOC_DISABLE_GPU_ALLOCATION: undefined };
  return [
    { title: `${fractional.workers} workers × ${fractional.gpu} GPU`, bento: fractional, env: allocate },
    { title: `${whole.workers} workers × ${whole.gpu} GPU`, bento: whole, env: allocate },
    { title: "allocation turned off (BENTOC_DISABLE_GPU_ALLOCATION=1)", bento: fractional, env: { ...allocate, BENTOC_DISABLE_GPU_ALLOCATION: "1" } },
    { title: `CUDA_VISIBLE_DEVICES=${lastGpu} preset by the user`, bento: fractional, env: { ...allocate, CUDA_VISIBLE_DEVICES: lastGpu } },
  ];
}

function environmentFor(testCase: Case): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, BENTOC_PORT: "0", BENTOC_HOST: "127.0.0.1", BENTOC_LOG_FORMAT: "json", BENTOC_LOG_LEVEL: "info", BENTOC_TASK_STORE: "memory" };
  for (const [name, value] of Object.entries(testCase.env)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

/** One request on a connection of its own, so node:cluster hands it to the next worker; a POST sends `{}`. */
function callFresh(method: "GET" | "POST", url: string): Promise<{ status: number; text: string }> {
  return new Promise((resolvePromise, reject) => {
    const headers = method === "POST" ? { "content-type": "application/json", "content-length": 2 } : {};
    const request = http.request(url, { method, agent: false, timeout: CALL_TIMEOUT_MS, headers }, (response) => {
      let text = "";
      response.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
      response.on("end", () => resolvePromise({ status: response.statusCode ?? 0, text }));
      response.on("error", reject);
    });
    request.on("timeout", () => request.destroy(new Error(`${url} timed out after ${CALL_TIMEOUT_MS / 1000} s`)));
    request.on("error", reject);
    request.end(method === "POST" ? "{}" : undefined);
  });
}

function logMessages(output: string, level?: number): string[] {
  return output.split("\n").flatMap((line) => {
    try {
      const parsed = JSON.parse(line) as { msg?: unknown; level?: unknown };
      return typeof parsed.msg === "string" && (level === undefined || parsed.level === level) ? [parsed.msg] : [];
    } catch {
      return [];
    }
  });
}

async function waitFor<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new BenchFailure(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((wake) => setTimeout(wake, 100));
  }
}

/** The GPU names CUDA should list in a worker that sees `visible` ("(unset)": every GPU). */
function expectedCudaDevices(machine: DetectedResources, visible: string): string[] {
  if (visible === "(unset)") return machine.gpus.map((gpu) => gpu.name);
  return visible.split(",").map((id) => machine.gpus.find((gpu) => String(gpu.index) === id)?.name ?? `(no GPU ${id})`);
}

async function runCase(packed: string, machine: DetectedResources, testCase: Case): Promise<CaseResult> {
  const env = environmentFor(testCase);
  const plan: WorkerPlan = planWorkers(machine, { workers: testCase.bento.workers, resources: { gpu: testCase.bento.gpu } }, env);
  const child = spawn(process.execPath, [join(packed, testCase.bento.name, "main.mjs")], { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  const exited = new Promise<number | string>((settle) => child.once("exit", (code, signal) => settle(code ?? signal ?? "unknown")));
  const problems: string[] = [];
  const answers = new Map<string, ProbeAnswer>();
  try {
    const base = await waitFor(async () => {
      if (child.exitCode !== null) throw new BenchFailure(`the ${testCase.bento.name} probe exited (${child.exitCode}):\n${output}`);
      return logMessages(output).map((message) => /^Server listening at (http:\/\/127\.0\.0\.1:\d+)$/.exec(message)?.[1]).find(Boolean);
    }, "the probe to listen", START_TIMEOUT_MS);
    await waitFor(async () => ((await callFresh("GET", `${base}/readyz`).catch(() => ({ status: 0 }))).status === 200 ? true : undefined), "/readyz to answer 200", START_TIMEOUT_MS);
    for (let call = 0; call < MAX_CALLS && answers.size < plan.workers.length; call++) {
      const { status, text } = await callFresh("POST", `${base}/whoami`);
      if (status !== 200) throw new BenchFailure(`POST /whoami answered ${status}: ${text}`);
      const answer = JSON.parse(text) as ProbeAnswer;
      answers.set(answer.worker, answer);
    }
    if (answers.size < plan.workers.length) problems.push(`only workers ${[...answers.keys()].join(", ")} answered in ${MAX_CALLS} calls`);
  } finally {
    child.kill("SIGTERM");
  }
  const exitCode = await Promise.race([exited, new Promise<string>((settle) => setTimeout(() => settle("still running 30 s after SIGTERM"), 30_000).unref())]);
  if (exitCode !== 0) {
    problems.push(`exit after SIGTERM: ${exitCode}`);
    child.kill("SIGKILL");
  }

  const workers = plan.workers.map((allocation): WorkerResult => {
    const answer = answers.get(String(allocation.index));
    const expectedVisible = allocation.env.CUDA_VISIBLE_DEVICES ?? env.CUDA_VISIBLE_DEVICES ?? "(unset)";
    const expectedDevices = expectedCudaDevices(machine, expectedVisible);
    let cudaDevices: unknown = answer?.cuda;
    try {
      cudaDevices = JSON.parse(answer?.cuda ?? "null");
    } catch {
      // not JSON: kept as the text python printed
    }
    const result: WorkerResult = {
      worker: String(allocation.index),
      expectedCudaVisibleDevices: expectedVisible,
      cudaVisibleDevices: answer?.cudaVisibleDevices ?? "(no answer)",
      cudaDeviceOrder: answer?.cudaDeviceOrder ?? "(no answer)",
      expectedCudaDevices: expectedDevices,
      cudaDevices,
    };
    if (result.cudaVisibleDevices !== expectedVisible) problems.push(`worker ${result.worker}: CUDA_VISIBLE_DEVICES ${result.cudaVisibleDevices}, expected ${expectedVisible}`);
    if (JSON.stringify(cudaDevices) !== JSON.stringify(expectedDevices)) problems.push(`worker ${result.worker}: CUDA lists ${JSON.stringify(cudaDevices)}, expected ${JSON.stringify(expectedDevices)}`);
    return result;
  });
  const warnings = logMessages(output, 40);
  if (JSON.stringify(warnings) !== JSON.stringify(plan.warnings)) problems.push(`warnings ${JSON.stringify(warnings)}, expected ${JSON.stringify(plan.warnings)}`);
  return { title: testCase.title, workers, expectedWarnings: plan.warnings, warnings, exitCode, problems };
}

function describeCase(result: CaseResult): string {
  const workers = result.workers.map((w) => `    worker ${w.worker}: CUDA_VISIBLE_DEVICES=${w.cudaVisibleDevices} (CUDA_DEVICE_ORDER=${w.cudaDeviceOrder}), CUDA lists ${JSON.stringify(w.cudaDevices)}`);
  const warnings = result.warnings.length === 0 ? ["    warnings: none"] : result.warnings.map((warning) => `    warning: ${warning}`);
  const verdict = result.problems.length === 0 ? "ok" : `FAILED\n${result.problems.map((problem) => `    - ${problem}`).join("\n")}`;
  return [`  ${result.title}: ${verdict}`, ...workers, ...warnings, `    exit after SIGTERM: ${result.exitCode}`].join("\n");
}

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { out: { type: "string" } } });
  if (positionals.length !== 1) throw new BenchFailure("usage: node check.mjs <packed folder> [--out result.json]");
  const packed = resolve(positionals[0]!);
  const machine = await detectResources();
  console.log(`nvidia-smi: ${machine.gpus.length} GPU(s) ${JSON.stringify(machine.gpus)}; ${machine.cpuCount} CPU(s) (${machine.cpuSource})`);
  if (machine.gpus.length === 0) throw new BenchFailure("nvidia-smi lists no GPU here (missing, failing, or no device): run the check on a machine with an NVIDIA GPU");
  const results: CaseResult[] = [];
  for (const testCase of casesFor(machine)) {
    const result = await runCase(packed, machine, testCase);
    results.push(result);
    console.log(describeCase(result));
  }
  const failed = results.filter((result) => result.problems.length > 0).length;
  console.log(failed === 0 ? `GPU check: all ${results.length} cases ok` : `GPU check: ${failed} of ${results.length} cases FAILED`);
  if (values.out) writeFileSync(values.out, JSON.stringify({ date: new Date().toISOString(), node: process.version, machine, results }, null, 2) + "\n");
  return failed === 0 ? 0 : 1;
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(error instanceof BenchFailure ? `GPU check failed: ${error.message}` : error);
  process.exitCode = 1;
}

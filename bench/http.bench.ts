// `npm run bench:http`: requests per second and latency of the bentoc-generated server on a
// 3-field validated JSON API, as a bento ships (JSON logs at info: the headline) and with its
// log level silent, against a hand-written Fastify route with the same schemas (without and
// with Fastify's logger) and a raw node:http JSON server, measured in the same run with
// autocannon on 127.0.0.1. Each server runs in its own process, its log lines going to a file
// as a log collector would read them; the load generator runs in this one.
import { isDeepStrictEqual } from "node:util";
import { closeSync, mkdirSync, openSync, readFileSync, rmSync } from "node:fs";
import { cpus } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import {
  INVALID_BODY,
  REQUEST_BODY,
  ROUTE,
  SERVER_LABELS,
  scoreOf,
  type ServerKind,
} from "./http-fixture.js";
import { planPinning, pinThisProcess, pinnedNode } from "./cpu-pinning.js";
import { buildGeneratedServer } from "./http-build.js";
import { LatencyRecorder, median } from "./measure.js";
import { BenchFailure, serverCpu, startServerProcess, stopServerProcess, type ServerProcess as SharedServerProcess } from "./server-process.js";
import { findRepoRoot, numberFlag, scratchCleanup } from "./setup.js";
import { startOtlpSink, type OtlpSink } from "./otlp-sink.js";
import { writeResults } from "./results-file.js";

/** The bento as shipped against Fastify without a logger, and against Fastify with `logger: true` (issue 19). */
const TARGET_VS_FASTIFY = 0.9;
const TARGET_VS_FASTIFY_LOGGER = 1.4;
/** The servers measured, the headline first. */
const KINDS = ["bento", "bento-silent", "bento-traced", "fastify", "fastify-logger", "node-http"] as const satisfies readonly ServerKind[];
type MeasuredKind = (typeof KINDS)[number];
const GENERATED_KINDS: readonly ServerKind[] = ["bento", "bento-silent", "bento-traced", "generated"];
const HOST = "127.0.0.1";

const { values: flags } = parseArgs({
  options: {
    // Seconds of each measured run, after its warm-up.
    duration: { type: "string", default: "5" },
    warmup: { type: "string", default: "2" },
    // Each round starts all the servers afresh and measures them, in an order that alternates between rounds.
    rounds: { type: "string", default: "7" },
    connections: { type: "string", default: "50" },
    pipelining: { type: "string", default: "1" },
    // Starts the server processes with `--cpu-prof` and writes their profiles to this folder.
    "cpu-prof": { type: "string" },
    // Runs the generated server with BENTOC_KEEP_TICK_SHAPE=0 (runtime/tick-shape.ts), to compare.
    "no-tick-shape": { type: "boolean", default: false },
    // Leaves the load generator and the servers unpinned (bench/cpu-pinning.ts).
    "no-pin": { type: "boolean", default: false },
    // Leaves the temp folder (service, generated server) in place.
    keep: { type: "boolean", default: false },
  },
});
const durationS = numberFlag("--duration", flags.duration);
const warmupS = numberFlag("--warmup", flags.warmup, { zeroAllowed: true });
const rounds = numberFlag("--rounds", flags.rounds, { integer: true });
const connections = numberFlag("--connections", flags.connections, { integer: true });
const pipelining = numberFlag("--pipelining", flags.pipelining, { integer: true });
const profileDir = flags["cpu-prof"] === undefined ? undefined : resolve(flags["cpu-prof"]);
const pinning = flags["no-pin"] ? "turned off with --no-pin" : planPinning();

const root = findRepoRoot();
// Inside the package (and gitignored), so the service's `import "bentoc"` and the generated
// server's `import "bentoc/runtime"` resolve through the package's own `exports` to dist/.
const tmp = join(root, `.bentoc-tmp-bench-http-${process.pid}`);
const serverEntry = join(dirname(fileURLToPath(import.meta.url)), "http-servers.js");

interface ServerProcess extends SharedServerProcess {
  kind: ServerKind;
  url: string;
}

/** Where the traced server sends its spans (started by main). */
let otlpSink: OtlpSink | undefined;

async function startServer(kind: ServerKind, serverModule: string, round: number): Promise<ServerProcess> {
  const execArgv = profileDir ? ["--cpu-prof", "--cpu-prof-dir", profileDir, "--cpu-prof-name", `${kind}-round${round}-${process.pid}.cpuprofile`] : [];
  const tickShape = GENERATED_KINDS.includes(kind) && flags["no-tick-shape"] ? { BENTOC_KEEP_TICK_SHAPE: "0" } : {};
  // Only the traced server exports; the others run with tracing off, whatever this environment says.
  const tracing = kind === "bento-traced" ? { OTEL_EXPORTER_OTLP_ENDPOINT: otlpSink!.endpoint } : { OTEL_EXPORTER_OTLP_ENDPOINT: "", OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "", OTEL_TRACES_EXPORTER: "" };
  const env = { ...process.env, ...tickShape, ...tracing };
  const pinned: { execPath?: string; execArgv: string[] } = typeof pinning === "string" ? { execArgv: [] } : pinnedNode(pinning.server);
  const stdout = openSync(logFile(kind, round), "w");
  try {
    const server = await startServerProcess(serverEntry, GENERATED_KINDS.includes(kind) ? [kind, serverModule] : [kind], { label: SERVER_LABELS[kind], cwd: root, execPath: pinned.execPath, execArgv: [...pinned.execArgv, ...execArgv], env, stdout });
    return { ...server, kind, url: `http://${HOST}:${server.port}${ROUTE}` };
  } finally {
    closeSync(stdout); // the server process has its own
  }
}

function logFile(kind: ServerKind, round: number): string {
  return join(tmp, `${kind}-round${round}.log`);
}

/**
 * After a round: the bento as shipped wrote an access line for every request it answered (at
 * least those measured), so the headline measured the logging it claims to. Then the round's
 * log files go (unless --keep): left, the hundreds of MB of earlier rounds' lines are written
 * back to disk during later rounds, a cost that lands on whichever server runs then.
 */
function checkAndRemoveLogs(round: number, measured: Measurement | undefined): void {
  const bentoLog = readFileSync(logFile("bento", round), "utf8");
  const accessLines = bentoLog.split('"msg":"request"').length - 1;
  if (measured && accessLines < measured.requests) throw new BenchFailure(`bentoc as shipped wrote ${accessLines} access lines in round ${round}, for ${measured.requests} measured requests`);
  if (!flags.keep) for (const kind of KINDS) rmSync(logFile(kind, round), { force: true });
}

async function post(url: string, body: unknown): Promise<{ status: number; contentType: string; text: string }> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: response.status, contentType: response.headers.get("content-type") ?? "", text: await response.text() };
}

/**
 * Before any load: each server answers the benchmark body with 200 and the expected JSON
 * (the same for all three), and the two validating servers refuse an out-of-range body
 * with 400. Returns the exact response text, which autocannon then expects of every reply.
 */
async function verify(server: ServerProcess): Promise<string> {
  const label = SERVER_LABELS[server.kind];
  const ok = await post(server.url, REQUEST_BODY);
  if (ok.status !== 200) throw new BenchFailure(`${label} answered the benchmark body with ${ok.status}: ${ok.text}`);
  if (!ok.contentType.startsWith("application/json")) throw new BenchFailure(`${label} answered with content-type ${JSON.stringify(ok.contentType)}`);
  const expected = scoreOf(REQUEST_BODY);
  if (!isDeepStrictEqual(JSON.parse(ok.text), expected)) throw new BenchFailure(`${label} answered ${ok.text}; expected ${JSON.stringify(expected)}`);
  if (server.kind !== "node-http") {
    const invalid = await post(server.url, INVALID_BODY);
    if (invalid.status !== 400) throw new BenchFailure(`${label} does not validate: an out-of-range age got ${invalid.status}: ${invalid.text}`);
  }
  return ok.text;
}

interface Measurement {
  round: number;
  requestsPerSecond: number;
  /** Latencies in ms, from every 2xx response of the run (exact, not autocannon's whole-ms buckets). */
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  /** CPU time (user + system) the server process spent per response during the run, in µs. */
  serverCpuUsPerRequest: number;
  requests: number;
  durationS: number;
  autocannon: { requestsAverage: number; p50Ms: number; p99Ms: number };
}

interface Failures {
  non2xx: number;
  errors: number;
  timeouts: number;
  mismatches: number;
  resets: number;
}

async function load(server: ServerProcess, expectBody: string, seconds: number, failures: Failures): Promise<{ result: autocannon.Result; latency: LatencyRecorder }> {
  const latency = new LatencyRecorder();
  const result = await new Promise<autocannon.Result>((resolvePromise, reject) => {
    const instance = autocannon(
      {
        url: server.url,
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(REQUEST_BODY),
        expectBody,
        connections,
        pipelining,
        duration: seconds,
        timeout: 10,
      },
      (error: unknown, result: autocannon.Result) => (error ? reject(error) : resolvePromise(result)),
    );
    instance.on("response", (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latency.record(responseTime);
    });
  });
  const mismatches = (result as autocannon.Result & { mismatches?: number }).mismatches ?? 0;
  const resets = (result as autocannon.Result & { resets?: number }).resets ?? 0;
  failures.non2xx += result.non2xx;
  failures.errors += result.errors;
  failures.timeouts += result.timeouts;
  failures.mismatches += mismatches;
  failures.resets += resets;
  if (result.non2xx + result.errors + result.timeouts + mismatches > 0) {
    const codes = JSON.stringify((result as autocannon.Result & { statusCodeStats?: unknown }).statusCodeStats ?? {});
    console.error(`  ${SERVER_LABELS[server.kind]}: ${result.non2xx} non-2xx (status codes ${codes}), ${result.errors} errors, ${result.timeouts} timeouts, ${mismatches} wrong bodies`);
  }
  return { result, latency };
}

async function measure(server: ServerProcess, expectBody: string, round: number, failures: Failures): Promise<Measurement> {
  if (warmupS > 0) await load(server, expectBody, warmupS, failures);
  const cpuBefore = await serverCpu(server);
  const { result, latency } = await load(server, expectBody, durationS, failures);
  const cpuUs = (await serverCpu(server)) - cpuBefore;
  const summary = latency.summary();
  return {
    round,
    // Completed 2xx responses over the run's wall time: the failures are counted (and fail the bench) apart.
    requestsPerSecond: result["2xx"] / result.duration,
    p50Ms: summary.p50,
    p99Ms: summary.p99,
    meanMs: summary.mean,
    serverCpuUsPerRequest: cpuUs / Math.max(1, result["2xx"]),
    requests: result["2xx"],
    durationS: result.duration,
    autocannon: { requestsAverage: result.requests.average, p50Ms: result.latency.p50, p99Ms: result.latency.p99 },
  };
}

interface Aggregate {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  serverCpuUsPerRequest: number;
  minRequestsPerSecond: number;
  maxRequestsPerSecond: number;
}

function aggregate(samples: Measurement[]): Aggregate {
  const rps = samples.map((s) => s.requestsPerSecond);
  return {
    requestsPerSecond: median(rps),
    p50Ms: median(samples.map((s) => s.p50Ms)),
    p99Ms: median(samples.map((s) => s.p99Ms)),
    serverCpuUsPerRequest: median(samples.map((s) => s.serverCpuUsPerRequest)),
    minRequestsPerSecond: Math.min(...rps),
    maxRequestsPerSecond: Math.max(...rps),
  };
}

function formatTable(results: Record<MeasuredKind, Aggregate>): string {
  const header = `${"".padEnd(24)}${"req/s".padStart(10)}${"p50".padStart(10)}${"p99".padStart(10)}${"server CPU/req".padStart(16)}${"req/s range".padStart(16)}`;
  const rows = KINDS.map((kind) => {
    const r = results[kind];
    const ms = (v: number) => `${v.toFixed(2)} ms`.padStart(10);
    const range = `${Math.round(r.minRequestsPerSecond)}–${Math.round(r.maxRequestsPerSecond)}`.padStart(16);
    const cpu = `${r.serverCpuUsPerRequest.toFixed(1)} µs`.padStart(16);
    return `${SERVER_LABELS[kind].padEnd(24)}${String(Math.round(r.requestsPerSecond)).padStart(10)}${ms(r.p50Ms)}${ms(r.p99Ms)}${cpu}${range}`;
  });
  return [header, ...rows].join("\n");
}

async function main(): Promise<number> {
  const started = Date.now();
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const serverModule = await buildGeneratedServer(tmp, root);
  otlpSink = await startOtlpSink();
  if (typeof pinning !== "string") pinThisProcess(pinning.loadGenerator);

  const failures: Failures = { non2xx: 0, errors: 0, timeouts: 0, mismatches: 0, resets: 0 };
  const samples = Object.fromEntries(KINDS.map((kind) => [kind, [] as Measurement[]])) as Record<MeasuredKind, Measurement[]>;
  const perRound = warmupS + durationS;
  console.log(`HTTP benchmark: POST ${ROUTE}, ${connections} connections, pipelining ${pipelining}, ${rounds} round${rounds === 1 ? "" : "s"} of ${durationS} s per server after a ${warmupS} s warm-up, fresh server processes each round (about ${Math.ceil(rounds * KINDS.length * (perRound + 1))} s)`);
  console.log(typeof pinning === "string" ? `CPU pinning off: ${pinning}` : `CPU pinning: load generator on CPU ${pinning.loadGenerator}, each server on CPU ${pinning.server}`);
  if (flags["no-tick-shape"]) console.log("the generated server runs with BENTOC_KEEP_TICK_SHAPE=0 (docs/performance.md)");
  for (let round = 0; round < rounds; round++) {
    // A server process is one draw: what V8 compiles, and how, depends on its start-up, and two
    // processes of the same server differ by several percent of CPU per request. So each round
    // measures fresh processes, and the medians are over processes as well as over time.
    const servers = [] as ServerProcess[];
    try {
      for (const kind of KINDS) servers.push(await startServer(kind, serverModule, round + 1));
      const expected = new Map<ServerKind, string>();
      for (const server of servers) expected.set(server.kind, await verify(server));
      // Rotate who goes first, so drift in machine load (thermal, other work) lands on all alike.
      const order = KINDS.map((_, i) => servers[(i + round) % servers.length]!);
      if (round % 2 === 1) order.reverse();
      for (const server of order) {
        const sample = await measure(server, expected.get(server.kind)!, round + 1, failures);
        samples[server.kind as MeasuredKind].push(sample);
        console.log(`  round ${round + 1}  ${SERVER_LABELS[server.kind].padEnd(22)} ${String(Math.round(sample.requestsPerSecond)).padStart(7)} req/s  p50 ${sample.p50Ms.toFixed(2)} ms  p99 ${sample.p99Ms.toFixed(2)} ms  server CPU ${sample.serverCpuUsPerRequest.toFixed(1)} µs/req`);
      }
    } finally {
      await Promise.all(servers.map(stopServerProcess));
    }
    checkAndRemoveLogs(round + 1, samples.bento.find((sample) => sample.round === round + 1));
  }

  const results = Object.fromEntries(KINDS.map((kind) => [kind, aggregate(samples[kind])])) as Record<MeasuredKind, Aggregate>;
  const ratio = (kind: MeasuredKind, peer: MeasuredKind) => results[kind].requestsPerSecond / results[peer].requestsPerSecond;
  const vsFastify = ratio("bento", "fastify");
  const vsFastifyLogger = ratio("bento", "fastify-logger");
  const silentVsFastify = ratio("bento-silent", "fastify");
  const vsNodeHttp = ratio("bento", "node-http");
  const tracedVsShipped = ratio("bento-traced", "bento");
  const tracedCpu = results["bento-traced"].serverCpuUsPerRequest - results.bento.serverCpuUsPerRequest;
  const spansReceived = otlpSink!.spans();
  await otlpSink!.close();
  if (spansReceived === 0) throw new BenchFailure("the traced server exported no spans: tracing was not on");
  // The same ratio within each round (servers measured back to back), to show its spread.
  const roundRatios = samples.bento.map((b) => b.requestsPerSecond / samples.fastify.find((f) => f.round === b.round)!.requestsPerSecond);
  const cpuVsFastify = results.bento.serverCpuUsPerRequest / results.fastify.serverCpuUsPerRequest;
  const met = vsFastify >= TARGET_VS_FASTIFY && vsFastifyLogger >= TARGET_VS_FASTIFY_LOGGER;
  const failed = failures.non2xx + failures.errors + failures.timeouts + failures.mismatches;

  console.log(`\nbentoc HTTP benchmark (node ${process.version}, ${cpus().length} CPUs, ${cpus()[0]?.model ?? "unknown CPU"}), medians of ${rounds} round${rounds === 1 ? "" : "s"}\n`);
  console.log(formatTable(results));
  console.log(`\nbentoc as shipped / Fastify, no logger:     ${vsFastify.toFixed(3)}×  (per round: ${roundRatios.map((r) => r.toFixed(3)).join(", ")})`);
  console.log(`bentoc as shipped / Fastify, logger: true: ${vsFastifyLogger.toFixed(3)}×`);
  console.log(`bentoc, log level silent / Fastify, no logger: ${silentVsFastify.toFixed(3)}×`);
  console.log(`bentoc as shipped / raw node:http:         ${vsNodeHttp.toFixed(3)}×`);
  console.log(`tracing on / as shipped (tracing off):      ${tracedVsShipped.toFixed(3)}×, ${(100 * (1 - tracedVsShipped)).toFixed(1)}% fewer req/s, ${tracedCpu.toFixed(1)} µs more server CPU per request (${spansReceived} spans exported over OTLP)`);
  console.log(`server CPU per request, bentoc as shipped / Fastify, no logger: ${cpuVsFastify.toFixed(2)}× (${results.bento.serverCpuUsPerRequest.toFixed(1)} vs ${results.fastify.serverCpuUsPerRequest.toFixed(1)} µs)`);
  console.log(`target: bentoc as shipped ≥ ${TARGET_VS_FASTIFY}× Fastify without a logger and ≥ ${TARGET_VS_FASTIFY_LOGGER}× Fastify with logger: true: ${met ? "met" : "NOT met"}`);
  if (failed > 0) {
    console.log(`\nFAILED: ${failures.non2xx} non-2xx responses, ${failures.errors} errors (${failures.timeouts} timeouts), ${failures.mismatches} wrong bodies; the figures above are not results.`);
  } else {
    console.log(`every request succeeded (no non-2xx responses, errors, timeouts or wrong bodies; ${failures.resets} pipeline resets)`);
  }

  const resultsPath = writeResults(root, "http", {
    route: `POST ${ROUTE}`,
    requestBody: REQUEST_BODY,
    connections,
    pipelining,
    rounds,
    freshServerProcessesEachRound: true,
    warmupS,
    durationS,
    wallS: Math.round((Date.now() - started) / 100) / 10,
    cpuPinning: typeof pinning === "string" ? { off: pinning } : pinning,
    targets: { bentoVsFastify: TARGET_VS_FASTIFY, bentoVsFastifyLogger: TARGET_VS_FASTIFY_LOGGER },
    ratio: { bentoVsFastify: vsFastify, bentoVsFastifyLogger: vsFastifyLogger, bentoSilentVsFastify: silentVsFastify, bentoVsNodeHttp: vsNodeHttp, bentoVsFastifyPerRound: roundRatios, serverCpuPerRequestBentoVsFastify: cpuVsFastify, tracedVsShipped },
    tracing: { spansReceived, extraServerCpuUsPerRequest: tracedCpu },
    targetMet: met,
    failures,
    ok: failed === 0,
    servers: Object.fromEntries(KINDS.map((kind) => [kind, { label: SERVER_LABELS[kind], ...results[kind], samples: samples[kind] }])),
  });
  console.log(`results: ${resultsPath}`);
  if (profileDir) console.log(`CPU profiles of the server processes: ${profileDir}`);
  return failed === 0 ? 0 : 1;
}

const cleanUp = scratchCleanup(tmp, flags.keep);

try {
  process.exitCode = await main();
} catch (error) {
  console.error(error instanceof BenchFailure ? `bench:http failed: ${error.message}` : error);
  process.exitCode = 1;
} finally {
  cleanUp();
}

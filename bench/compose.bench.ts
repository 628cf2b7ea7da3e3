// `npm run bench:compose`: a gateway calling a preprocessing service through `depends()`, as a
// bento ships (its bundled main.mjs, default options, JSON access logs), from one run on 127.0.0.1:
//   - in one process (no BENTOC_SERVICE), against a bento whose gateway calls a plain method that
//     does the same work: what the in-process call costs;
//   - split (BENTOC_SERVICE per process, BENTOC_DEPENDENCY_NORMALIZER_URL), against a
//     hand-written pair of Fastify servers, the front one calling the back one over an undici Pool;
//   - the call itself, timed in the depends() bento's process: a dependency call against a
//     direct call of the same function (µs per call).
// Throughput: closed-loop callers over undici at a fixed concurrency. Each round starts every
// system afresh, in an order that rotates between rounds; the table shows medians.
import { mkdirSync } from "node:fs";
import { cpus } from "node:os";
import { join, resolve } from "node:path";
import { isDeepStrictEqual, parseArgs } from "node:util";
import { CALL_COST_ROUTE, GATEWAY_ROUTE, DEPENDENCY_ROUTE, INVALID_BODY, REQUEST_BODY, scoreOf, unitVector } from "./compose-fixture.js";
import { postJson, runLoad, type LoadResult } from "./compose-load.js";
import { SYSTEM_LABELS, SYSTEMS, accessLinesOf, buildComposeBentos, startSystem, type BentoMains, type RunningSystem, type System } from "./compose-servers.js";
import { planPinning, pinThisProcess } from "./cpu-pinning.js";
import { median, processCpuUs } from "./measure.js";
import { BenchFailure } from "./server-process.js";
import { findRepoRoot, numberFlag, scratchCleanup } from "./setup.js";
import { writeResults } from "./results-file.js";

/** Issue 21: the in-process call costs ≤ 10% over calling the method directly; split mode ≥ 0.9× the hand-written pair. */
const TARGET_IN_PROCESS_VS_DIRECT = 0.9;
const TARGET_SPLIT_VS_PAIR = 0.9;

const { values: flags } = parseArgs({
  options: {
    // Seconds of each measured run, after its warm-up.
    duration: { type: "string", default: "3" },
    warmup: { type: "string", default: "1.5" },
    rounds: { type: "string", default: "5" },
    // Callers at once, each with one request in flight on a connection of its own.
    concurrency: { type: "string", default: "32" },
    // Dependency calls (and as many direct calls) the in-process timing makes per round; 0 skips it.
    calls: { type: "string", default: "20000" },
    // The systems to measure, comma-separated (a ratio needs both of its systems).
    systems: { type: "string", default: SYSTEMS.join(",") },
    // Starts each system's gateway process (the one the load reaches) with `--cpu-prof`, its profiles in this folder.
    "cpu-prof": { type: "string" },
    // Leaves the load generator and the servers unpinned (bench/cpu-pinning.ts).
    "no-pin": { type: "boolean", default: false },
    // Leaves the temp folder (services, bundles, log files) in place.
    keep: { type: "boolean", default: false },
  },
});
const durationS = numberFlag("--duration", flags.duration);
const warmupS = numberFlag("--warmup", flags.warmup, { zeroAllowed: true });
const rounds = numberFlag("--rounds", flags.rounds, { integer: true });
const concurrency = numberFlag("--concurrency", flags.concurrency, { integer: true });
const calls = numberFlag("--calls", flags.calls, { integer: true, zeroAllowed: true });
const systems = flags.systems.split(",").map((name) => name.trim()) as System[];
for (const name of systems) {
  if (!SYSTEMS.includes(name)) {
    console.error(`--systems takes ${SYSTEMS.join(", ")}; got ${JSON.stringify(name)}`);
    process.exit(2);
  }
}
const profileDir = flags["cpu-prof"] === undefined ? undefined : resolve(flags["cpu-prof"]);
const pinning = flags["no-pin"] ? "turned off with --no-pin" : planPinning();
if (calls > 0 && (calls < 10 || calls > 1_000_000)) {
  console.error(`--calls must be 0 or between 10 and 1000000, got ${calls}`);
  process.exit(2);
}

const root = findRepoRoot();
// Inside the package (and gitignored), so the services' `import "bentoc"` resolves to dist/.
const tmp = join(root, `.bentoc-tmp-bench-compose-${process.pid}`);

interface Sample extends LoadResult {
  round: number;
  /** CPU time of the system's server processes per measured request, in µs (NaN without /proc). */
  serverCpuUsPerRequest: number;
}

interface CallCost {
  round: number;
  dependsUs: number;
  directUs: number;
}

/** Before any load: the system answers the benchmark body with the expected JSON and refuses a short vector with 400; returns the exact text. */
async function verify(system: System, origin: string): Promise<string> {
  const label = SYSTEM_LABELS[system];
  const ok = await postJson(origin, GATEWAY_ROUTE, REQUEST_BODY);
  const expected = scoreOf(unitVector(REQUEST_BODY.values));
  if (ok.status !== 200) throw new BenchFailure(`${label} answered the benchmark body with ${ok.status}: ${ok.text}`);
  if (!isDeepStrictEqual(JSON.parse(ok.text), expected)) throw new BenchFailure(`${label} answered ${ok.text}; expected ${JSON.stringify(expected)}`);
  const invalid = await postJson(origin, GATEWAY_ROUTE, INVALID_BODY);
  if (invalid.status !== 400) throw new BenchFailure(`${label} does not validate: a vector of ${INVALID_BODY.values.length} numbers got ${invalid.status}: ${invalid.text}`);
  return ok.text;
}

async function measure(system: System, running: RunningSystem, round: number): Promise<Sample> {
  const expectText = await verify(system, running.origin);
  const load = { path: GATEWAY_ROUTE, body: REQUEST_BODY, expectText, concurrency };
  if (warmupS > 0) await runLoad(running.origin, { ...load, seconds: warmupS });
  const cpuBefore = systemCpuUs(running);
  const result = await runLoad(running.origin, { ...load, seconds: durationS });
  const sample = { round, ...result, serverCpuUsPerRequest: (systemCpuUs(running) - cpuBefore) / result.requests };
  // Split: every gateway request made one call of the dependency over HTTP (its access lines count them).
  if (running.dependencyLog) {
    const lines = accessLinesOf(running.dependencyLog, DEPENDENCY_ROUTE);
    if (lines < sample.requests) throw new BenchFailure(`split mode: the dependency logged ${lines} calls of ${DEPENDENCY_ROUTE} for ${sample.requests} measured gateway requests`);
  }
  return sample;
}

/** CPU time of every server process of the system so far, in µs (NaN without /proc). */
function systemCpuUs(running: RunningSystem): number {
  return running.pids.reduce((sum, pid) => sum + (processCpuUs(pid) ?? NaN), 0);
}

/** The depends() bento's own timing of `calls` dependency calls against direct calls, in its process. */
async function callCost(running: RunningSystem, round: number): Promise<CallCost> {
  const answer = await postJson(running.origin, CALL_COST_ROUTE, { calls, values: REQUEST_BODY.values });
  if (answer.status !== 200) throw new BenchFailure(`${CALL_COST_ROUTE} answered ${answer.status}: ${answer.text}`);
  const { dependsUs, directUs } = JSON.parse(answer.text) as { dependsUs: number; directUs: number };
  return { round, dependsUs, directUs };
}

const rps = (value: number) => String(Math.round(value));
const ms = (value: number) => `${value.toFixed(2)} ms`;
const times = (value: number) => `${value.toFixed(3)}×`;

function aggregate(samples: readonly Sample[]): { requestsPerSecond: number; p50Ms: number; p99Ms: number; serverCpuUsPerRequest: number; min: number; max: number } {
  const values = samples.map((sample) => sample.requestsPerSecond);
  return {
    requestsPerSecond: median(values),
    p50Ms: median(samples.map((sample) => sample.p50Ms)),
    p99Ms: median(samples.map((sample) => sample.p99Ms)),
    serverCpuUsPerRequest: median(samples.map((sample) => sample.serverCpuUsPerRequest)),
    min: Math.min(...values),
    max: Math.max(...values),
  };
}

/** `system` / `peer` within each round (measured close together), to show the ratio's spread. */
function perRound(samples: Record<System, Sample[]>, system: System, peer: System): number[] {
  return samples[system].flatMap((sample) => {
    const match = samples[peer].find((candidate) => candidate.round === sample.round);
    return match ? [sample.requestsPerSecond / match.requestsPerSecond] : [];
  });
}

async function main(): Promise<number> {
  const started = Date.now();
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  mkdirSync(tmp, { recursive: true });
  const mains: BentoMains = await buildComposeBentos(tmp, root);
  if (typeof pinning !== "string") pinThisProcess(pinning.loadGenerator);
  const pinTo = typeof pinning === "string" ? undefined : pinning.server;

  const samples = Object.fromEntries(SYSTEMS.map((system) => [system, [] as Sample[]])) as Record<System, Sample[]>;
  const costs: CallCost[] = [];
  console.log(`compose benchmark: POST ${GATEWAY_ROUTE} (a vector of ${REQUEST_BODY.values.length} numbers → its unit vector from ${DEPENDENCY_ROUTE}, then a score), ${concurrency} callers over undici, ${rounds} round${rounds === 1 ? "" : "s"} of ${durationS} s per system after a ${warmupS} s warm-up, fresh processes each round; bentos as shipped (main.mjs, JSON access logs), the Fastify pair without loggers`);
  console.log(typeof pinning === "string" ? `CPU pinning off: ${pinning}` : `CPU pinning: load generator on CPU ${pinning.loadGenerator}, every server process on CPU ${pinning.server}`);
  for (let round = 1; round <= rounds; round++) {
    // Rotate who goes first, so drift in machine load lands on all alike.
    const order = systems.map((_, i) => systems[(i + round - 1) % systems.length]!);
    if (round % 2 === 0) order.reverse();
    for (const system of order) {
      const gatewayNodeArgs = profileDir ? ["--cpu-prof", "--cpu-prof-dir", profileDir, "--cpu-prof-name", `${system}-round${round}-${process.pid}.cpuprofile`] : [];
      const running = await startSystem(system, mains, { logPrefix: join(tmp, `${system}-round${round}`), keep: flags.keep, gatewayNodeArgs, pinTo, root });
      try {
        const sample = await measure(system, running, round);
        samples[system].push(sample);
        let line = `  round ${round}  ${SYSTEM_LABELS[system].padEnd(28)} ${rps(sample.requestsPerSecond).padStart(6)} req/s  p50 ${ms(sample.p50Ms)}  p99 ${ms(sample.p99Ms)}  server CPU ${sample.serverCpuUsPerRequest.toFixed(1)} µs/req`;
        if (system === "in-process" && calls > 0) {
          const cost = await callCost(running, round);
          costs.push(cost);
          line += `  call: depends() ${cost.dependsUs.toFixed(2)} µs, direct ${cost.directUs.toFixed(2)} µs`;
        }
        console.log(line);
      } finally {
        await running.stop();
      }
    }
  }

  type Result = ReturnType<typeof aggregate>;
  const results = new Map<System, Result>(systems.map((system) => [system, aggregate(samples[system])]));
  const ratio = (system: System, peer: System, key: "requestsPerSecond" | "serverCpuUsPerRequest" = "requestsPerSecond") => {
    const [of, to] = [results.get(system), results.get(peer)];
    return of && to ? of[key] / to[key] : undefined;
  };
  const shown = (value: number | undefined) => (value === undefined ? "—" : times(value));
  const inProcessVsDirect = ratio("in-process", "direct");
  const splitVsPair = ratio("split", "pair");
  const peers: Record<System, System | undefined> = { "in-process": "direct", direct: undefined, split: "pair", pair: undefined };

  console.log(`\nbentoc compose benchmark (node ${process.version}, ${cpus().length} CPUs, ${cpus()[0]?.model ?? "unknown CPU"}), medians of ${rounds} round${rounds === 1 ? "" : "s"}, ${concurrency} callers\n`);
  const widths = [9, 11, 11, 16, 14, 10];
  const pad = (texts: string[]) => texts.map((text, i) => text.padStart(widths[i]!)).join("");
  console.log(`${"".padEnd(30)}${pad(["req/s", "p50", "p99", "server CPU/req", "req/s range", "× peer"])}`);
  for (const [system, r] of results) {
    const peer = peers[system];
    console.log(`${SYSTEM_LABELS[system].padEnd(30)}${pad([rps(r.requestsPerSecond), ms(r.p50Ms), ms(r.p99Ms), `${r.serverCpuUsPerRequest.toFixed(1)} µs`, `${rps(r.min)}–${rps(r.max)}`, peer ? shown(ratio(system, peer)) : ""])}`);
  }
  const list = (values: number[]) => values.map((value) => value.toFixed(3)).join(", ");
  console.log(`\nin-process depends() / direct method call: ${shown(inProcessVsDirect)}  (per round: ${list(perRound(samples, "in-process", "direct"))})`);
  console.log(`split / hand-written Fastify pair:         ${shown(splitVsPair)}  (per round: ${list(perRound(samples, "split", "pair"))})`);
  console.log(`split / in-process:                        ${shown(ratio("split", "in-process"))}`);
  console.log(`server CPU per request (every process of the system, user + system): in-process / direct ${shown(ratio("in-process", "direct", "serverCpuUsPerRequest"))}, split / pair ${shown(ratio("split", "pair", "serverCpuUsPerRequest"))}`);
  let cost: { dependsUs: number; directUs: number } | undefined;
  if (costs.length > 0) {
    cost = { dependsUs: median(costs.map((c) => c.dependsUs)), directUs: median(costs.map((c) => c.directUs)) };
    const extraUs = cost.dependsUs - cost.directUs;
    const directCpu = results.get("direct")?.serverCpuUsPerRequest;
    const share = directCpu === undefined ? "" : `, ${((100 * extraUs) / directCpu).toFixed(1)}% of the direct bento's ${directCpu.toFixed(1)} µs of server CPU per request`;
    console.log(`one call in-process, timed in the depends() bento (median of ${costs.length} rounds, ${calls} calls each): depends() ${cost.dependsUs.toFixed(2)} µs, direct ${cost.directUs.toFixed(2)} µs: ${extraUs.toFixed(2)} µs more${share}`);
  }
  const verdict = (value: number | undefined, target: number) => (value === undefined ? "not measured (see --systems)" : `${value >= target ? "met" : "NOT met"} (${times(value)})`);
  console.log(`target: in-process depends() ≥ ${TARGET_IN_PROCESS_VS_DIRECT}× the direct call: ${verdict(inProcessVsDirect, TARGET_IN_PROCESS_VS_DIRECT)}`);
  console.log(`target: split ≥ ${TARGET_SPLIT_VS_PAIR}× the hand-written pair: ${verdict(splitVsPair, TARGET_SPLIT_VS_PAIR)}`);

  const wallS = Math.round((Date.now() - started) / 100) / 10;
  const resultsPath = writeResults(root, "compose", {
    route: `POST ${GATEWAY_ROUTE}`,
    requestBody: REQUEST_BODY,
    concurrency, rounds, warmupS, durationS, calls,
    cpuPinning: typeof pinning === "string" ? { off: pinning } : pinning,
    wallS,
    targets: { inProcessVsDirect: TARGET_IN_PROCESS_VS_DIRECT, splitVsPair: TARGET_SPLIT_VS_PAIR },
    ratio: {
      inProcessVsDirect, splitVsPair, splitVsInProcess: ratio("split", "in-process"),
      serverCpuInProcessVsDirect: ratio("in-process", "direct", "serverCpuUsPerRequest"),
      serverCpuSplitVsPair: ratio("split", "pair", "serverCpuUsPerRequest"),
      inProcessVsDirectPerRound: perRound(samples, "in-process", "direct"),
      splitVsPairPerRound: perRound(samples, "split", "pair"),
    },
    met: {
      inProcess: inProcessVsDirect === undefined ? undefined : inProcessVsDirect >= TARGET_IN_PROCESS_VS_DIRECT,
      split: splitVsPair === undefined ? undefined : splitVsPair >= TARGET_SPLIT_VS_PAIR,
    },
    callCost: cost ? { ...cost, samples: costs } : undefined,
    systems: Object.fromEntries([...results].map(([system, result]) => [system, { label: SYSTEM_LABELS[system], ...result, samples: samples[system] }])),
  });
  console.log(`results: ${resultsPath} (${wallS} s)`);
  if (profileDir) console.log(`CPU profiles of the gateway processes: ${profileDir}`);
  return 0;
}

const cleanUp = scratchCleanup(tmp, flags.keep);

try {
  process.exitCode = await main();
} catch (error) {
  console.error(error instanceof BenchFailure ? `bench:compose failed: ${error.message}` : error);
  process.exitCode = 1;
} finally {
  cleanUp();
}

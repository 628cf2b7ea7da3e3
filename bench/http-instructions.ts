// `npm run bench:http-instructions`: the deterministic companion of `npm run bench:http`.
// Timings on a shared 2-core VM move by ±5% between runs; the number of instructions a server
// executes per request does not. Each server process (bench/http-servers.ts) runs under
// valgrind's callgrind: it is warmed with `--warm` requests, its counters are zeroed, and the
// user-space instructions of the next `--requests` requests are counted (the kernel's share,
// the socket writes, is not). Needs valgrind (`apt install valgrind`); not part of `npm run bench`.
//
// It also counts the instructions spent in V8's generic object-literal path
// (Runtime_DefineKeyedOwnPropertyInLiteral). Node 20's `process.nextTick` builds each tick with
// a literal that has symbol keys; when V8 has seen that literal take more than one shape before
// it optimises `nextTick`, the optimised code takes this slow path on every tick (several per
// request, inside Node's own streams). Which process falls into it depends on its start-up, not
// on its request path: docs/performance.md has the details.
import { execFileSync, spawnSync } from "node:child_process";
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { functionDifferences, instructionsByFunction } from "./callgrind-functions.js";
import { buildGeneratedServer } from "./http-build.js";
import { REQUEST_BODY, ROUTE, SERVER_LABELS, type ServerKind } from "./http-fixture.js";
import { BenchFailure, startServerProcess, stopServerProcess } from "./server-process.js";
import { findRepoRoot, numberFlag, scratchCleanup } from "./setup.js";

const GENERIC_LITERAL_PATH = "Runtime_DefineKeyedOwnPropertyInLiteral";
/** The generated server's configurations `--server` may name. */
const GENERATED_SERVERS = ["generated", "bento", "bento-silent"] as const satisfies readonly ServerKind[];

const { values: flags } = parseArgs({
  options: {
    warm: { type: "string", default: "6000" },
    requests: { type: "string", default: "4000" },
    keep: { type: "boolean", default: false },
    // Also prints the N functions whose instructions per request differ most between the two servers.
    functions: { type: "string" },
    // Also prints the inclusive instructions per request (the function and what it calls) of the
    // JavaScript functions whose names match this regular expression, e.g. "settled|wrap-thenable|onEnd":
    // the cost of each stage of a request. Inlined functions show only what was not inlined.
    inclusive: { type: "string" },
    // Which generated server is counted against hand-written Fastify: "generated" (no logger), "bento"
    // (as shipped: JSON logs at info, one access line per request) or "bento-silent" (log level silent).
    server: { type: "string", default: "generated" },
  },
});
const generatedKind = GENERATED_SERVERS.find((kind) => kind === flags.server);
if (!generatedKind) {
  console.error(`--server must be one of ${GENERATED_SERVERS.join(", ")}; got '${flags.server}'`);
  process.exit(2);
}
const KINDS: ServerKind[] = [generatedKind, "fastify"];
const warmRequests = numberFlag("--warm", flags.warm, { integer: true });
const countedRequests = numberFlag("--requests", flags.requests, { integer: true });
const topFunctions = flags.functions === undefined ? undefined : numberFlag("--functions", flags.functions, { integer: true });
const inclusivePattern = flags.inclusive === undefined ? undefined : new RegExp(flags.inclusive);

interface Count {
  kind: ServerKind;
  instructionsPerRequest: number;
  /**
   * Of those, the main thread's (node::Start and below: JavaScript, the HTTP parser, the event
   * loop). The rest is V8's helper threads, compiling and collecting garbage concurrently, whose
   * share varies more from run to run.
   */
  mainThreadPerRequest: number;
  /** Of those, the instructions in V8's generic object-literal path. */
  genericLiteralPerRequest: number;
  /** With `--functions`: exclusive instructions by function over the counted requests. */
  byFunction?: Map<string, number>;
  /** With `--inclusive`: inclusive instructions by function over the counted requests. */
  inclusiveByFunction?: Map<string, number>;
}

/** Exits 1 with one line when valgrind's tools are missing. */
function requireValgrind(): void {
  for (const tool of ["valgrind", "callgrind_control", "callgrind_annotate"]) {
    // Only whether it runs at all: callgrind_annotate --version exits 255.
    if (spawnSync(tool, ["--version"], { stdio: "ignore" }).error) throw new BenchFailure(`bench:http-instructions needs ${tool} (Debian: apt install valgrind)`);
  }
}

async function load(port: number, amount: number): Promise<void> {
  const result = await new Promise<autocannon.Result>((resolvePromise, reject) => {
    autocannon(
      { url: `http://127.0.0.1:${port}${ROUTE}`, method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(REQUEST_BODY), connections: 10, amount, timeout: 60 },
      (error, finished) => (error ? reject(error) : resolvePromise(finished)),
    );
  });
  const failed = result.non2xx + result.errors + result.timeouts;
  if (failed > 0 || result.requests.total < amount) throw new BenchFailure(`${failed} of ${amount} requests failed (non-2xx ${result.non2xx}, errors ${result.errors}, timeouts ${result.timeouts})`);
}

/** The instruction count on the first line of callgrind_annotate's output that `pattern` matches (a total, or one function's inclusive count); 0 if none does. */
function instructionsOf(annotated: string, pattern: RegExp): number {
  const line = annotated.split("\n").find((candidate) => pattern.test(candidate));
  return line ? Number(/^\s*([\d,]+)/.exec(line)?.[1]?.replaceAll(",", "") ?? 0) : 0;
}

async function count(kind: ServerKind, serverModule: string, scratch: string): Promise<Count> {
  const outFile = join(scratch, `${kind}.callgrind`);
  const entry = join(dirname(fileURLToPath(import.meta.url)), "http-servers.js");
  // The server's log lines go to a file, as a log collector would read them.
  const stdout = openSync(join(scratch, `${kind}.log`), "w");
  const server = await startServerProcess(entry, kind === "fastify" ? [kind] : [kind, serverModule], {
    label: SERVER_LABELS[kind],
    stdout,
    cwd: findRepoRoot(),
    execPath: "valgrind",
    // `--perf-basic-prof` (with --functions): node writes /tmp/perf-<pid>.map, which names the JIT code.
    execArgv: ["--tool=callgrind", `--callgrind-out-file=${outFile}`, "--smc-check=all-non-file", process.execPath, ...(topFunctions === undefined && !inclusivePattern ? [] : ["--perf-basic-prof"])],
    startTimeoutMs: 180_000,
  });
  const pid = String(server.child.pid);
  const perfMap = `/tmp/perf-${pid}.map`;
  try {
    await load(server.port, warmRequests);
    execFileSync("callgrind_control", ["--zero", pid], { stdio: "ignore" });
    await load(server.port, countedRequests);
    execFileSync("callgrind_control", ["--dump", pid], { stdio: "ignore" });
  } finally {
    await stopServerProcess(server);
    closeSync(stdout);
  }
  // The dump on request is written beside the final one, with a numbered suffix.
  const dump = readdirSync(scratch).find((name) => name.startsWith(`${kind}.callgrind.`) && /\.\d+$/.test(name));
  if (!dump) throw new BenchFailure(`callgrind wrote no dump for the ${SERVER_LABELS[kind]} server`);
  const annotated = execFileSync("callgrind_annotate", ["--inclusive=yes", join(scratch, dump)], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  const byFunction = topFunctions === undefined ? undefined : instructionsByFunction(join(scratch, dump), perfMap);
  const inclusiveByFunction = inclusivePattern ? instructionsByFunction(join(scratch, dump), perfMap, { inclusive: true }) : undefined;
  rmSync(perfMap, { force: true });
  return {
    kind,
    instructionsPerRequest: instructionsOf(annotated, /PROGRAM TOTALS/) / countedRequests,
    mainThreadPerRequest: instructionsOf(annotated, /node::Start\(/) / countedRequests,
    genericLiteralPerRequest: instructionsOf(annotated, new RegExp(GENERIC_LITERAL_PATH)) / countedRequests,
    byFunction,
    inclusiveByFunction,
  };
}

async function main(): Promise<void> {
  requireValgrind();
  const root = findRepoRoot();
  const tmp = join(root, `.bentoc-tmp-bench-http-instructions-${process.pid}`);
  const scratch = mkdtempSync(join(tmpdir(), "bentoc-callgrind-"));
  const cleanUp = scratchCleanup(tmp, flags.keep);
  try {
    const serverModule = await buildGeneratedServer(tmp, root);
    console.log(`Counting user-space instructions per request under callgrind: ${warmRequests} warm-up requests, then ${countedRequests} counted (a few minutes)`);
    const counts: Count[] = [];
    for (const kind of KINDS) {
      const counted = await count(kind, serverModule, scratch);
      counts.push(counted);
      console.log(`  ${SERVER_LABELS[kind].padEnd(22)} ${Math.round(counted.instructionsPerRequest).toLocaleString("en").padStart(9)} instructions/request (main thread ${Math.round(counted.mainThreadPerRequest).toLocaleString("en")}), of which ${Math.round(counted.genericLiteralPerRequest).toLocaleString("en")} in V8's generic object-literal path`);
    }
    const [generated, fastify] = counts as [Count, Count];
    const without = (entry: Count) => entry.instructionsPerRequest - entry.genericLiteralPerRequest;
    console.log(`\ngenerated / hand-written Fastify: ${(generated.instructionsPerRequest / fastify.instructionsPerRequest).toFixed(3)}× the instructions per request`);
    console.log(`main thread only: ${(generated.mainThreadPerRequest / fastify.mainThreadPerRequest).toFixed(3)}× (${Math.round(generated.mainThreadPerRequest - fastify.mainThreadPerRequest).toLocaleString("en")} more per request)`);
    console.log(`leaving out V8's generic object-literal path in both: ${(without(generated) / without(fastify)).toFixed(3)}×`);
    if (generated.byFunction && fastify.byFunction) {
      console.log(`\nthe ${topFunctions} functions that differ most, instructions per request (exclusive):\n${"gen-fast".padStart(8)} ${"gen".padStart(8)} ${"fast".padStart(8)}  function`);
      for (const row of functionDifferences(generated.byFunction, fastify.byFunction, countedRequests, topFunctions!)) console.log(row);
    }
    if (generated.inclusiveByFunction && fastify.inclusiveByFunction) {
      console.log(`\ninclusive instructions per request of the functions matching /${inclusivePattern!.source}/:\n${"gen-fast".padStart(8)} ${"gen".padStart(8)} ${"fast".padStart(8)}  function`);
      for (const row of functionDifferences(generated.inclusiveByFunction, fastify.inclusiveByFunction, countedRequests, 60, inclusivePattern)) console.log(row);
    }
    const resultsDir = join(root, "bench", "results");
    mkdirSync(resultsDir, { recursive: true });
    const resultsPath = join(resultsDir, "http-instructions.json");
    const totals = counts.map(({ byFunction: _byFunction, inclusiveByFunction: _inclusive, ...total }) => total);
    writeFileSync(resultsPath, JSON.stringify({ benchmark: "http-instructions", date: new Date().toISOString(), node: process.version, warmRequests, countedRequests, route: ROUTE, counts: totals }, null, 2) + "\n");
    console.log(`results: ${resultsPath}`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
    cleanUp();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof BenchFailure ? error.message : error);
  process.exit(1);
});

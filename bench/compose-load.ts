// The client of `npm run bench:compose`, the same for every server: closed-loop callers over one
// keep-alive undici Pool, each sending the benchmark body and checking the answer byte for byte,
// for a fixed time.
import { Pool } from "undici";
import { LatencyRecorder } from "./measure.js";
import { BenchFailure } from "./server-process.js";

/** How long one request may take before the run fails: nothing here should come near it. */
const REQUEST_TIMEOUT_MS = 10_000;

export interface PostResult {
  status: number;
  text: string;
}

/** One POST of `body` as JSON, answered as text. */
export async function postJson(origin: string, path: string, body: unknown): Promise<PostResult> {
  const response = await fetch(`${origin}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body), signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  return { status: response.status, text: await response.text() };
}

export interface LoadOptions {
  path: string;
  body: unknown;
  /** The exact text every answer must be (what the server answered when it was checked). */
  expectText: string;
  /** Callers at once, each with one request in flight, each on a connection of its own. */
  concurrency: number;
  seconds: number;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/** `concurrency` callers send the body to `origin` for `seconds`; any answer that is not 200 with `expectText` fails the run. */
export async function runLoad(origin: string, options: LoadOptions): Promise<LoadResult> {
  const pool = new Pool(origin, { connections: options.concurrency, pipelining: 1, headersTimeout: REQUEST_TIMEOUT_MS, bodyTimeout: REQUEST_TIMEOUT_MS });
  const body = JSON.stringify(options.body);
  const headers = { "content-type": "application/json" };
  const latency = new LatencyRecorder();
  let requests = 0;
  let failure: BenchFailure | undefined;
  const started = performance.now();
  const until = started + options.seconds * 1000;
  const caller = async () => {
    while (failure === undefined && performance.now() < until) {
      const sent = performance.now();
      const response = await pool.request({ method: "POST", path: options.path, headers, body });
      const text = await response.body.text();
      if (response.statusCode !== 200 || text !== options.expectText) {
        failure ??= new BenchFailure(`POST ${options.path} answered ${response.statusCode}: ${text.slice(0, 300)}; expected 200: ${options.expectText.slice(0, 300)}`);
        return;
      }
      latency.record(performance.now() - sent);
      requests++;
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency }, caller));
  } finally {
    await pool.close();
  }
  if (failure) throw failure;
  const seconds = (performance.now() - started) / 1000;
  const { p50, p99 } = latency.summary();
  return { requests, seconds, requestsPerSecond: requests / seconds, p50Ms: p50, p99Ms: p99 };
}

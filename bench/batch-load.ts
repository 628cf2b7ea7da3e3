// Closed-loop load on one API of a benchmark server: `concurrency` connections, each sending
// its next request as soon as the last one is answered (autocannon, pipelining 1), bounded in
// time (duration) and count (maxRequests). Every request carries one row of the pool, taken in
// turn across all connections, and every answer is checked against that row's expected output.
import autocannon from "autocannon";
import { LatencyRecorder } from "./measure.js";

export interface LoadOptions {
  url: string;
  concurrency: number;
  seconds: number;
  maxRequests: number;
  rows: readonly number[][];
  /** The model's output for each row (computed in-process), what each caller must get back. */
  expected: readonly number[][];
  /** Largest difference allowed per probability (a row may run in batches of other sizes, so sums differ in the last bits). */
  tolerance: number;
}

export interface LoadResult {
  requests: number;
  durationS: number;
  itemsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  maxMs: number;
  /** Answers that were 503 (shed by the batch dispatcher). */
  shed: number;
  /** Other non-2xx answers, connection errors and timeouts. */
  failed: number;
  /** 200 answers that were not the caller's own row's output. */
  wrong: number;
  firstWrong?: string;
  /** The first failed answer's status and body, to say why. */
  firstFailure?: string;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const bodies = options.rows.map((row) => Buffer.from(JSON.stringify({ rows: [row] })));
  const latency = new LatencyRecorder();
  let next = 0;
  let shed = 0;
  let wrong = 0;
  let firstWrong: string | undefined;
  let firstFailure: string | undefined;
  const { pathname, origin } = new URL(options.url);
  const result = await new Promise<autocannon.Result>((resolvePromise, reject) => {
    const instance = autocannon(
      {
        url: origin,
        connections: options.concurrency,
        pipelining: 1,
        duration: options.seconds,
        maxOverallRequests: Math.max(options.maxRequests, options.concurrency),
        timeout: 10,
        requests: [
          {
            method: "POST",
            path: pathname,
            headers: { "content-type": "application/json" },
            setupRequest: (request, context: { row?: number }) => {
              const row = next++ % bodies.length;
              context.row = row;
              return { ...request, body: bodies[row]! };
            },
            onResponse: (status, body, context: { row?: number }) => {
              if (status === 503) shed++;
              else if (status !== 200) firstFailure ??= `${status} ${body.slice(0, 200)}`;
              if (status !== 200) return;
              const problem = checkAnswer(body, options.expected[context.row!]!, options.tolerance);
              if (problem === undefined) return;
              wrong++;
              firstWrong ??= `row ${context.row}: ${problem}`;
            },
          },
        ],
      },
      (error: unknown, result: autocannon.Result) => (error ? reject(error) : resolvePromise(result)),
    );
    instance.on("response", (_client, statusCode, _bytes, responseTime) => {
      if (statusCode === 200) latency.record(responseTime);
    });
  });
  const summary = latency.summary();
  const ok = result["2xx"];
  return {
    requests: ok,
    durationS: result.duration,
    itemsPerSecond: ok / result.duration,
    p50Ms: summary.p50,
    p99Ms: summary.p99,
    meanMs: summary.mean,
    maxMs: summary.max,
    shed,
    failed: result.non2xx - shed + result.errors,
    wrong,
    ...(firstWrong === undefined ? {} : { firstWrong }),
    ...(firstFailure === undefined ? {} : { firstFailure }),
  };
}

/** Undefined when `body` is `[expected]` within the tolerance; else what is wrong with it. */
function checkAnswer(body: string, expected: readonly number[], tolerance: number): string | undefined {
  let answer: unknown;
  try {
    answer = JSON.parse(body);
  } catch {
    return `not JSON: ${body.slice(0, 80)}`;
  }
  const got = Array.isArray(answer) && answer.length === 1 ? answer[0] : undefined;
  if (!Array.isArray(got) || got.length !== expected.length) return `expected one row of ${expected.length} numbers, got ${body.slice(0, 80)}`;
  const off = got.findIndex((value, index) => typeof value !== "number" || Math.abs(value - expected[index]!) > tolerance);
  return off < 0 ? undefined : `expected ${JSON.stringify(expected)}, got ${body.slice(0, 200)}`;
}

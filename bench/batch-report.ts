// The batching benchmark's figures: one record per model, the ratios and targets computed
// from them, and the table printed at the end.
import type { CeilingPoint } from "./batch-ceiling.js";
import type { BatchCounters } from "./batch-metrics.js";
import type { LoadResult } from "./batch-load.js";
import { median } from "./measure.js";

export const TARGETS = {
  /** Batched items/s over unbatched at the highest concurrency, both models. */
  batchedVsUnbatched: 5,
  /** Heavy model: batched items/s at the highest concurrency over the in-process ceiling. */
  heavyBatchedVsCeiling: 0.7,
} as const;

export type Mode = "unbatched" | "batched";

export interface ServedRun extends LoadResult {
  mode: Mode;
  concurrency: number;
  /** Server process CPU (user + system) per answered item, µs. */
  serverCpuUsPerItem: number;
  /** This (load generator) process's CPU per answered item, µs. */
  clientCpuUsPerItem: number;
  /** Batched runs: what the dispatcher did during the run (from /metrics). */
  batches?: BatchCounters;
}

export interface ModelReport {
  model: string;
  label: string;
  threads: number;
  /** Model sessions in the server, each with `threads` threads. */
  sessions: number;
  maxBatchSize: number;
  maxLatencyMs: number;
  budgetNote: string;
  ceilingPoints: CeilingPoint[];
  ceiling: CeilingPoint;
  /** The ceiling's best point measured again right before the batched run at the top concurrency (median over rounds). */
  ceilingAtTop: number;
  /** Every run of every round, when there was more than one round (`runs` holds their medians). */
  samples?: ServedRun[];
  /** In-process run time of a full batch (maxBatchSize) at the servers' thread count. */
  fullBatchMs: number;
  runs: ServedRun[];
}

/** One line of the table from the rounds of one run: medians of rates, latencies and CPU; totals of counts. */
export function combineRuns(rounds: readonly ServedRun[]): ServedRun {
  if (rounds.length === 1) return rounds[0]!;
  const mid = (pick: (run: ServedRun) => number) => median(rounds.map(pick));
  const total = (pick: (run: ServedRun) => number) => rounds.reduce((sum, run) => sum + pick(run), 0);
  const counted = rounds.flatMap((run) => (run.batches ? [run.batches] : []));
  const firstWrong = rounds.find((run) => run.firstWrong)?.firstWrong;
  const firstFailure = rounds.find((run) => run.firstFailure)?.firstFailure;
  return {
    mode: rounds[0]!.mode,
    concurrency: rounds[0]!.concurrency,
    requests: total((run) => run.requests),
    durationS: total((run) => run.durationS),
    itemsPerSecond: mid((run) => run.itemsPerSecond),
    p50Ms: mid((run) => run.p50Ms),
    p99Ms: mid((run) => run.p99Ms),
    meanMs: mid((run) => run.meanMs),
    maxMs: Math.max(...rounds.map((run) => run.maxMs)),
    shed: total((run) => run.shed),
    failed: total((run) => run.failed),
    wrong: total((run) => run.wrong),
    serverCpuUsPerItem: mid((run) => run.serverCpuUsPerItem),
    clientCpuUsPerItem: mid((run) => run.clientCpuUsPerItem),
    ...(counted.length > 0
      ? { batches: { batches: total((run) => run.batches?.batches ?? 0), items: total((run) => run.batches?.items ?? 0), queueWaitSeconds: total((run) => run.batches?.queueWaitSeconds ?? 0), shed: total((run) => run.batches?.shed ?? 0) } }
      : {}),
    ...(firstWrong === undefined ? {} : { firstWrong }),
    ...(firstFailure === undefined ? {} : { firstFailure }),
  };
}

export interface ModelVerdict {
  batchedVsUnbatched: number;
  batchedVsCeiling: number;
  /** maxLatencyMs + 2 × the full batch's run time. */
  p99BoundMs: number;
  worstBatchedP99Ms: number;
  targets: { batchedVsUnbatched: boolean; batchedVsCeiling?: boolean; p99: boolean };
}

export function verdict(report: ModelReport): ModelVerdict {
  const at = (mode: Mode) => runAtTop(report, mode);
  const batchedVsUnbatched = at("batched").itemsPerSecond / at("unbatched").itemsPerSecond;
  // Against the lower of the two ceiling measurements would flatter the server: take the higher.
  const batchedVsCeiling = at("batched").itemsPerSecond / Math.max(report.ceiling.itemsPerSecond, report.ceilingAtTop);
  const p99BoundMs = report.maxLatencyMs + 2 * report.fullBatchMs;
  const worstBatchedP99Ms = Math.max(...report.runs.filter((run) => run.mode === "batched").map((run) => run.p99Ms));
  return {
    batchedVsUnbatched,
    batchedVsCeiling,
    p99BoundMs,
    worstBatchedP99Ms,
    targets: {
      batchedVsUnbatched: batchedVsUnbatched >= TARGETS.batchedVsUnbatched,
      ...(report.model === "heavy" ? { batchedVsCeiling: batchedVsCeiling >= TARGETS.heavyBatchedVsCeiling } : {}),
      p99: worstBatchedP99Ms <= p99BoundMs,
    },
  };
}

const met = (ok: boolean) => (ok ? "met" : "NOT met");
const num = (value: number, digits = 0) => value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

export function formatModel(report: ModelReport, result: ModelVerdict): string {
  const c = report.ceiling;
  const lines = [
    `${report.label}: maxBatchSize ${report.maxBatchSize}, maxLatencyMs ${report.maxLatencyMs} (${report.budgetNote}), ${report.sessions} model session${report.sessions === 1 ? "" : "s"} (maxConcurrentBatches) of ${report.threads} onnxruntime thread${report.threads === 1 ? "" : "s"}`,
    `  in-process ceiling: ${num(c.itemsPerSecond)} items/s (batch ${c.batchSize}, ${c.threads} thread${c.threads === 1 ? "" : "s"}; ${num(report.ceilingAtTop)} measured again before the top-concurrency batched run); one batch of ${report.maxBatchSize}: ${report.fullBatchMs.toFixed(2)} ms; one row alone: ${pointMs(report, 1)}`,
    "",
    `  ${"".padEnd(12)}${"conc".padStart(5)}${"items/s".padStart(11)}${"p50 ms".padStart(9)}${"p99 ms".padStart(9)}${"mean batch".padStart(12)}${"queue ms".padStart(10)}${"server µs/item".padStart(16)}${"client µs/item".padStart(16)}${"503".padStart(6)}`,
    ...report.runs.map((run) => {
      const counted = run.batches && run.batches.batches > 0 ? run.batches : undefined;
      const meanBatch = counted ? (counted.items / counted.batches).toFixed(1) : "-";
      const meanWait = counted ? ((counted.queueWaitSeconds * 1000) / counted.items).toFixed(2) : "-";
      return `  ${run.mode.padEnd(12)}${String(run.concurrency).padStart(5)}${num(run.itemsPerSecond).padStart(11)}${run.p50Ms.toFixed(2).padStart(9)}${run.p99Ms.toFixed(2).padStart(9)}${meanBatch.padStart(12)}${meanWait.padStart(10)}${run.serverCpuUsPerItem.toFixed(0).padStart(16)}${run.clientCpuUsPerItem.toFixed(0).padStart(16)}${String(run.shed).padStart(6)}`;
    }),
    "",
    `  batched / unbatched at the top concurrency: ${result.batchedVsUnbatched.toFixed(2)}× (target ≥ ${TARGETS.batchedVsUnbatched}×: ${met(result.targets.batchedVsUnbatched)})`,
    `  batched / in-process ceiling:               ${result.batchedVsCeiling.toFixed(2)}×` +
      (result.targets.batchedVsCeiling === undefined ? "" : ` (target ≥ ${TARGETS.heavyBatchedVsCeiling}×: ${met(result.targets.batchedVsCeiling)})`),
    // CPU time per item is much less sensitive than items/s to other load on the machine: it says where the time goes.
    `  CPU per item at the top concurrency: in-process ceiling ${num(report.ceiling.cpuUsPerItem, 1)} µs; batched server ${num(runAtTop(report, "batched").serverCpuUsPerItem, 1)} µs (model included) + load generator ${num(runAtTop(report, "batched").clientCpuUsPerItem, 1)} µs`,
    `  batched p99, worst over concurrencies:      ${result.worstBatchedP99Ms.toFixed(2)} ms vs maxLatencyMs + 2 × full batch = ${result.p99BoundMs.toFixed(2)} ms: ${met(result.targets.p99)}`,
  ];
  return lines.join("\n");
}

/** The run of `mode` at the highest concurrency measured. */
function runAtTop(report: ModelReport, mode: Mode): ServedRun {
  const top = Math.max(...report.runs.map((run) => run.concurrency));
  return report.runs.find((run) => run.mode === mode && run.concurrency === top)!;
}

function pointMs(report: ModelReport, size: number): string {
  const point = report.ceilingPoints.find((p) => p.threads === report.threads && p.batchSize === size);
  return point ? `${point.msPerBatch.toFixed(3)} ms` : "-";
}

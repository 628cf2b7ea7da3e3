import { badRequest, batchQueueFull, methodFailed } from "../errors.js";
import { LatencyModel } from "./cost-model.js";

/** Time as the dispatcher sees it (milliseconds); injected so tests can run on a fake clock. */
export interface BatchClock {
  now(): number;
  /** Calls `fn` after `ms`; returns a function that cancels it. */
  setTimer(fn: () => void, ms: number): () => void;
}

export const systemClock: BatchClock = {
  now: () => performance.now(),
  setTimer: (fn, ms) => {
    // Node's timers round up to 1 ms, far longer than a small model's batch takes: a shorter
    // wait ends on the next turn of the event loop, after the requests already received.
    if (ms < 1) {
      const immediate = setImmediate(fn);
      return () => clearImmediate(immediate);
    }
    const timer = setTimeout(fn, ms);
    return () => clearTimeout(timer);
  },
};

/** Batches the latency model must have seen before it may refuse a call. */
export const MIN_SAMPLES_TO_SHED = 2;
/** Weight the smoothed gap between calls keeps per new call. */
const ARRIVAL_GAP_DECAY = 0.9;

export interface BatchDispatcherOptions {
  maxBatchSize: number;
  maxLatencyMs: number;
  /** The dimension calls are concatenated along (0: the outer array). */
  batchDim?: number;
  /** Batches that may run at once (default 1): for a method that can run batches in parallel. */
  maxConcurrentBatches?: number;
  /** Runs the method on one merged batch (with each call's tag, in order); must return an array with one result per item. */
  run(batch: unknown[], tags: unknown[]): unknown;
  /**
   * How long the oldest call may wait for company, besides the latency deadline: "adaptive"
   * (default) waits at most the predicted run time of the batch as it stands, and only while calls
   * arrive faster than one per that time (so an idle API with an unknown cost runs a call at once,
   * a lone caller is never held back waiting for company that does not come, and a large
   * maxLatencyMs never holds a call for long); a number of ms; or Infinity to wait until the
   * deadline (or a full batch) only.
   */
  maxWaitMs?: number | "adaptive";
  clock?: BatchClock;
  /** A batch was dispatched: its item count and each call's queue wait in milliseconds. */
  onBatch?(size: number, waitsMs: number[]): void;
  /** A call was refused with 503. */
  onShed?(): void;
  /** Weight kept by the cost model per observed batch (0 < decay < 1; default 0.9). */
  costDecay?: number;
}

interface Pending {
  input: unknown[];
  tag: unknown;
  items: number;
  /** Shape of the dimensions before batchDim; only calls of the same outer shape merge. */
  outerKey: string;
  arrival: number;
  resolve(value: unknown[]): void;
  reject(error: unknown): void;
}

/**
 * Adaptive batching for one API. Concurrent calls are queued and merged into one call of the
 * method (at most `maxBatchSize` items; a single call larger than that runs alone, unsplit),
 * then the result is split back to each caller in order.
 *
 * When to dispatch: at once when the queue fills a batch; otherwise at the last moment that
 * still lets the oldest call finish within `maxLatencyMs`, given the predicted run time of the
 * batch (`LatencyModel`, latency(n) ≈ a + b·n, fitted online from every batch).
 * At most `maxConcurrentBatches` batches run at once (default 1); calls arriving while every
 * one of them is taken queue behind them.
 * Shedding: a new call is refused (503 + Retry-After) when the predicted time before its own
 * batch can start (until the first running batch ends, plus the full batches queued ahead of
 * it, shared among the batches that run at once) exceeds `maxLatencyMs`. How long older calls
 * have already waited does not count: on a busy event loop they are late without the queue
 * being long, and refusing a call that would join the very next batch sheds load that costs
 * nothing (bench:batch saw hundreds of such 503s).
 * An idle dispatcher never sheds, even when one batch alone costs more than the budget, and
 * neither does one whose model has not yet seen `MIN_SAMPLES_TO_SHED` batches.
 */
export class BatchDispatcher {
  readonly model: LatencyModel;
  private readonly queue: Pending[] = [];
  private readonly running: { start: number; size: number }[] = [];
  private readonly lanes: number;
  private cancelTimer: (() => void) | undefined;
  private timerAt = Infinity;
  /** Smoothed time between the arrivals of calls (ms); undefined until two have arrived. */
  private arrivalGapMs: number | undefined;
  private lastArrival: number | undefined;
  private readonly clock: BatchClock;
  private readonly batchDim: number;

  constructor(private readonly options: BatchDispatcherOptions) {
    if (!(options.maxBatchSize >= 1)) throw new Error(`maxBatchSize must be at least 1, got ${options.maxBatchSize}`);
    this.clock = options.clock ?? systemClock;
    this.batchDim = options.batchDim ?? 0;
    this.lanes = options.maxConcurrentBatches ?? 1;
    if (!(Number.isInteger(this.lanes) && this.lanes >= 1)) throw new Error(`maxConcurrentBatches must be a positive integer, got ${options.maxConcurrentBatches}`);
    this.model = new LatencyModel(options.costDecay ?? 0.9);
  }

  /** Calls queued, not yet dispatched. */
  get queuedCalls(): number {
    return this.queue.length;
  }

  get isRunning(): boolean {
    return this.running.length > 0;
  }

  /** Submits one call's batch array; resolves with this call's slice of the merged result. */
  submit(input: unknown[], tag?: unknown): Promise<unknown[]> {
    const { outerKey, items } = describe(input, this.batchDim);
    const now = this.clock.now();
    const shedFor = this.shedSeconds(now, items);
    if (shedFor !== undefined) {
      this.options.onShed?.();
      return Promise.reject(batchQueueFull(shedFor, this.options.maxLatencyMs));
    }
    if (this.lastArrival !== undefined) {
      const gap = now - this.lastArrival;
      this.arrivalGapMs = this.arrivalGapMs === undefined ? gap : ARRIVAL_GAP_DECAY * this.arrivalGapMs + (1 - ARRIVAL_GAP_DECAY) * gap;
    }
    this.lastArrival = now;
    return new Promise<unknown[]>((resolve, reject) => {
      this.queue.push({ input, tag, items, outerKey, arrival: now, resolve, reject });
      this.pump();
    });
  }

  /** Seconds to tell a shed caller to wait, or undefined when the call is admitted. */
  private shedSeconds(now: number, items: number): number | undefined {
    const { maxLatencyMs, maxBatchSize } = this.options;
    if (this.running.length === 0 && this.queue.length === 0) return undefined;
    // A fresh server's first batch pays for warm-up (JIT, lazy loading): one sample is no evidence of overload.
    if (this.model.samples < MIN_SAMPLES_TO_SHED) return undefined;
    // Until a batch can start: now if one may still run, else when the first running one ends.
    const laneFree = this.running.length < this.lanes ? 0 : Math.max(0, Math.min(...this.running.map((batch) => batch.start + this.model.predict(batch.size) - now)));
    const queuedItems = this.queue.reduce((sum, call) => sum + call.items, 0);
    const fullAhead = Math.floor(queuedItems / maxBatchSize);
    const waitAhead = laneFree + Math.floor(fullAhead / this.lanes) * this.model.predict(maxBatchSize);
    if (waitAhead <= maxLatencyMs) return undefined;
    const drain = laneFree + Math.ceil(Math.ceil((queuedItems + items) / maxBatchSize) / this.lanes) * this.model.predict(maxBatchSize);
    return Math.max(1, Math.ceil(drain / 1000));
  }

  /** Dispatches while a batch may start and it is time, or sets a timer for when it will be. */
  private pump(): void {
    while (this.running.length < this.lanes && this.queue.length > 0) {
      if (!this.dispatchIfDue()) return;
    }
  }

  /** Dispatches the next batch if it is full or due; else sets the timer. Returns whether it dispatched. */
  private dispatchIfDue(): boolean {
    const batch = this.nextBatch();
    const size = batch.reduce((sum, call) => sum + call.items, 0);
    const now = this.clock.now();
    const full = size >= this.options.maxBatchSize || batch.length < this.compatibleCount();
    const predicted = this.model.predict(size);
    const maxWait = this.options.maxWaitMs ?? "adaptive";
    const dueAt = this.queue[0]!.arrival + Math.min(this.options.maxLatencyMs - predicted, maxWait === "adaptive" ? this.adaptiveWait(predicted) : maxWait);
    if (full || now >= dueAt) {
      this.clearTimer();
      void this.dispatch(batch, size);
      return true;
    }
    if (dueAt !== this.timerAt) {
      this.clearTimer();
      this.timerAt = dueAt;
      this.cancelTimer = this.clock.setTimer(() => {
        this.cancelTimer = undefined;
        this.timerAt = Infinity;
        this.pump();
      }, dueAt - now);
    }
    return false;
  }

  /** The predicted run time of the batch, when another call is expected within it; else no wait. */
  private adaptiveWait(predicted: number): number {
    return this.arrivalGapMs !== undefined && this.arrivalGapMs <= predicted ? predicted : 0;
  }

  /** The calls of the next batch: the oldest, then later calls of its shape in order, up to maxBatchSize items. */
  private nextBatch(): Pending[] {
    const head = this.queue[0]!;
    const batch = [head];
    let size = head.items;
    for (const call of this.queue.slice(1)) {
      if (call.outerKey !== head.outerKey) continue;
      if (size + call.items > this.options.maxBatchSize) break;
      batch.push(call);
      size += call.items;
    }
    return batch;
  }

  /** Calls that could merge with the oldest one (same outer shape). */
  private compatibleCount(): number {
    const key = this.queue[0]!.outerKey;
    return this.queue.filter((call) => call.outerKey === key).length;
  }

  private clearTimer(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.timerAt = Infinity;
  }

  private async dispatch(batch: Pending[], size: number): Promise<void> {
    for (const call of batch) this.queue.splice(this.queue.indexOf(call), 1);
    const start = this.clock.now();
    const running = { start, size };
    this.running.push(running);
    this.options.onBatch?.(size, batch.map((call) => start - call.arrival));
    try {
      let result: unknown;
      let failure: unknown;
      let failed = false;
      try {
        result = await this.options.run(batch.length === 1 ? batch[0]!.input : concat(batch.map((call) => call.input), this.batchDim), batch.map((call) => call.tag));
      } catch (error) {
        failed = true;
        failure = error;
      }
      this.model.observe(size, this.clock.now() - start);
      if (!failed) {
        const got = Array.isArray(result) ? countAlong(result, this.batchDim) : undefined;
        if (got !== undefined && got !== size && !(got === null && size === 0)) {
          failed = true;
          failure = new Error(`The batchable method returned ${got === null ? "an array without dimension " + this.batchDim : got + " results"} for ${size} inputs`);
        } else if (got === undefined) {
          failed = true;
          failure = new Error(`The batchable method returned ${typeof result}, not an array`);
        }
      }
      if (failed) {
        const error = methodFailed(failure);
        for (const call of batch) call.reject(error);
      } else {
        let offset = 0;
        for (const call of batch) {
          call.resolve(sliceAlong(result as unknown[], this.batchDim, offset, offset + call.items));
          offset += call.items;
        }
      }
    } finally {
      this.running.splice(this.running.indexOf(running), 1);
      this.pump();
    }
  }
}

/** Item count along `dim`, and the outer shape key; a ragged outer shape is the caller's 400. */
function describe(input: unknown[], dim: number): { items: number; outerKey: string } {
  if (!Array.isArray(input)) throw badRequest("The batch argument must be an array");
  if (dim === 0) return { items: input.length, outerKey: "" };
  const shape: number[] = [];
  let level: unknown[][] = [input];
  for (let depth = 0; depth < dim; depth++) {
    const length = level[0]!.length;
    shape.push(length);
    const next: unknown[][] = [];
    for (const array of level) {
      if (array.length !== length) throw badRequest(`The batch argument is ragged before batchDim ${dim} (dimension ${depth})`);
      for (const element of array) {
        if (!Array.isArray(element)) throw badRequest(`The batch argument has no dimension ${depth + 1}`);
        next.push(element);
      }
    }
    if (next.length === 0) return { items: 0, outerKey: shape.join("x") };
    level = next;
  }
  const items = level[0]!.length;
  if (level.some((array) => array.length !== items)) throw badRequest(`The batch argument is ragged along batchDim ${dim}`);
  return { items, outerKey: shape.join("x") };
}

/** Concatenates arrays of the same outer shape along `dim`. */
export function concat(arrays: unknown[][], dim: number): unknown[] {
  if (dim === 0) return arrays.flat(1);
  const first = arrays[0]!;
  return first.map((_, index) => concat(arrays.map((array) => array[index] as unknown[]), dim - 1));
}

/** The length along `dim` (following the first element), or null when the outer dimensions are empty, undefined when not arrays. */
function countAlong(array: unknown[], dim: number): number | null | undefined {
  let current: unknown = array;
  for (let depth = 0; depth < dim; depth++) {
    if (!Array.isArray(current)) return undefined;
    if (current.length === 0) return null;
    current = current[0];
  }
  return Array.isArray(current) ? current.length : undefined;
}

/** Items `start..end` along `dim`. */
export function sliceAlong(array: unknown[], dim: number, start: number, end: number): unknown[] {
  if (dim === 0) return array.slice(start, end);
  return array.map((inner) => sliceAlong(inner as unknown[], dim - 1, start, end));
}

import { describe, expect, it } from "vitest";
import { BatchDispatcher, MIN_SAMPLES_TO_SHED, type BatchClock } from "../../runtime/batching/dispatcher.js";
import { LatencyModel } from "../../runtime/batching/cost-model.js";
import { BentocHttpError } from "../../runtime/errors.js";

/** A clock that moves only when told; timers fire in order of their due time. */
class FakeClock implements BatchClock {
  time = 0;
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private ids = 0;
  now = () => this.time;
  setTimer = (fn: () => void, ms: number) => {
    const id = ++this.ids;
    this.timers.push({ at: this.time + Math.max(0, ms), fn, id });
    return () => (this.timers = this.timers.filter((timer) => timer.id !== id));
  };
  get pending(): number {
    return this.timers.length;
  }
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      await flush();
      const next = this.timers.filter((timer) => timer.at <= end).sort((x, y) => x.at - y.at)[0];
      if (!next) break;
      this.timers = this.timers.filter((timer) => timer !== next);
      this.time = next.at;
      next.fn();
    }
    this.time = end;
    await flush();
  }
}

const flush = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

/** A method whose batches are resolved by the test; it records what it was called with. */
function controlledMethod(clock: FakeClock) {
  const calls: { batch: unknown[]; at: number; finish(result?: unknown, costMs?: number): Promise<void>; fail(error: unknown): Promise<void> }[] = [];
  const run = (batch: unknown[]) =>
    new Promise<unknown>((resolve, reject) => {
      calls.push({
        batch,
        at: clock.time,
        finish: async (result = (batch as number[]).map((x) => x * 2), costMs = 0) => {
          clock.time += costMs;
          resolve(result);
          await flush();
        },
        fail: async (error) => {
          reject(error);
          await flush();
        },
      });
    });
  return { calls, run };
}

/** Runs the batches of one item each that the model needs before the dispatcher may shed, then forgets them. */
async function warmUp(dispatcher: BatchDispatcher, method: ReturnType<typeof controlledMethod>, costMs: number): Promise<void> {
  for (let batch = 0; batch < MIN_SAMPLES_TO_SHED; batch++) {
    void dispatcher.submit([0]);
    await flush();
    await method.calls.at(-1)!.finish(undefined, costMs);
  }
  method.calls.length = 0;
}

function settle<T>(promise: Promise<T>) {
  const state: { value?: T; error?: unknown; done: boolean } = { done: false };
  promise.then((value) => Object.assign(state, { value, done: true }), (error: unknown) => Object.assign(state, { error, done: true }));
  return state;
}

describe("BatchDispatcher", () => {
  it("dispatches at once when the batch is full, and splits the result back in order", async () => {
    const clock = new FakeClock();
    const method = controlledMethod(clock);
    const dispatcher = new BatchDispatcher({ maxBatchSize: 4, maxLatencyMs: 1000, maxWaitMs: Infinity, clock, run: method.run });
    const a = settle(dispatcher.submit([1, 2]));
    const b = settle(dispatcher.submit([3]));
    await flush();
    expect(method.calls).toHaveLength(0);
    const c = settle(dispatcher.submit([4]));
    await flush();
    expect(method.calls.map((call) => call.batch)).toEqual([[1, 2, 3, 4]]);
    expect(method.calls[0]!.at).toBe(0);
    await method.calls[0]!.finish();
    expect([a.value, b.value, c.value]).toEqual([[2, 4], [6], [8]]);
  });

  it("never exceeds maxBatchSize: a call that does not fit waits for the next batch; one larger than the limit runs alone", async () => {
    const clock = new FakeClock();
    const method = controlledMethod(clock);
    const sizes: number[] = [];
    const dispatcher = new BatchDispatcher({ maxBatchSize: 3, maxLatencyMs: 1000, maxWaitMs: Infinity, clock, run: method.run, onBatch: (size) => sizes.push(size) });
    const a = settle(dispatcher.submit([1, 2]));
    const b = settle(dispatcher.submit([3, 4]));
    await flush();
    expect(method.calls.map((call) => call.batch)).toEqual([[1, 2]]);
    const big = settle(dispatcher.submit([5, 6, 7, 8, 9]));
    await method.calls[0]!.finish();
    expect(method.calls.map((call) => call.batch)).toEqual([[1, 2], [3, 4]]);
    await method.calls[1]!.finish();
    expect(method.calls[2]!.batch).toEqual([5, 6, 7, 8, 9]);
    await method.calls[2]!.finish();
    expect([a.value, b.value, big.value]).toEqual([[2, 4], [6, 8], [10, 12, 14, 16, 18]]);
    expect(sizes).toEqual([2, 2, 5]);
  });

  it("dispatches a partial batch when waiting longer would break maxLatencyMs for the oldest call", async () => {
    const clock = new FakeClock();
    const method = controlledMethod(clock);
    const dispatcher = new BatchDispatcher({ maxBatchSize: 8, maxLatencyMs: 50, maxWaitMs: Infinity, clock, run: method.run });
    const a = settle(dispatcher.submit([1]));
    await clock.advance(20);
    const b = settle(dispatcher.submit([2]));
    await clock.advance(29);
    expect(method.calls).toHaveLength(0);
    await clock.advance(1);
    expect(method.calls.map((call) => [call.batch, call.at])).toEqual([[[1, 2], 50]]);
    await method.calls[0]!.finish();
    expect([a.value, b.value]).toEqual([[2], [4]]);
  });

  it("learns the batch cost: a known run time moves the dispatch earlier", async () => {
    const clock = new FakeClock();
    const method = controlledMethod(clock);
    const dispatcher = new BatchDispatcher({ maxBatchSize: 8, maxLatencyMs: 50, maxWaitMs: Infinity, clock, run: method.run });
    void dispatcher.submit([1]);
    await clock.advance(50);
    expect(method.calls).toHaveLength(1);
    await method.calls[0]!.finish(undefined, 20); // one item took 20 ms
    expect(dispatcher.model.predict(1)).toBeCloseTo(20);
    const start = clock.time;
    void dispatcher.submit([2]);
    await clock.advance(29);
    expect(method.calls).toHaveLength(1);
    await clock.advance(1);
    expect(method.calls).toHaveLength(2);
    expect(method.calls[1]!.at - start).toBe(30); // 50 ms budget − 20 ms predicted
  });

  it("adaptive wait (the default): an unknown cost runs a lone call at once; a known one waits at most the predicted run time", async () => {
    const clock = new FakeClock();
    const method = controlledMethod(clock);
    const dispatcher = new BatchDispatcher({ maxBatchSize: 8, maxLatencyMs: 60_000, clock, run: method.run });
    void dispatcher.submit([1]);
    await flush();
    expect(method.calls).toHaveLength(1);
    await method.calls[0]!.finish(undefined, 10);
    const start = clock.time;
    void dispatcher.submit([2]);
    await clock.advance(9);
    expect(method.calls).toHaveLength(1);
    await clock.advance(1);
    expect(method.calls[1]!.at - start).toBe(10);
  });

  it("adaptive wait: a lone caller, whose calls come further apart than a batch runs, is never held back for company", async () => {
    const clock = new FakeClock();
    const method = controlledMethod(clock);
    const dispatcher = new BatchDispatcher({ maxBatchSize: 8, maxLatencyMs: 60_000, clock, run: method.run });
    for (let call = 0; call < 5; call++) {
      void dispatcher.submit([call]);
      await flush();
      expect(method.calls).toHaveLength(call + 1); // dispatched at once, no timer
      await method.calls[call]!.finish(undefined, 10);
      await clock.advance(5); // the caller's own turnaround: 15 ms between calls > 10 ms predicted
    }
    expect(clock.pending).toBe(0);
  });

  it("queues calls behind the running batch and sends them together when it ends", async () => {
    const clock = new FakeClock();
    const method = controlledMethod(clock);
    const dispatcher = new BatchDispatcher({ maxBatchSize: 8, maxLatencyMs: 1000, clock, run: method.run });
    void dispatcher.submit([1]);
    await flush();
    const later = [settle(dispatcher.submit([2])), settle(dispatcher.submit([3, 4]))];
    await flush();
    expect(method.calls).toHaveLength(1);
    await method.calls[0]!.finish(undefined, 0); // costs nothing: the queued calls go at once
    expect(method.calls[1]!.batch).toEqual([2, 3, 4]);
    await method.calls[1]!.finish();
    expect(later.map((state) => state.value)).toEqual([[4], [6, 8]]);
  });

  it("maxConcurrentBatches: 2 runs a second full batch while the first runs, and a third waits for one of them", async () => {
    const clock = new FakeClock();
    const method = controlledMethod(clock);
    // maxWaitMs: Infinity: a batch goes when full (or at its deadline), so the batches are predictable.
    const dispatcher = new BatchDispatcher({ maxBatchSize: 2, maxLatencyMs: 1000, maxWaitMs: Infinity, maxConcurrentBatches: 2, clock, run: method.run });
    const first = [settle(dispatcher.submit([1])), settle(dispatcher.submit([2]))];
    const second = [settle(dispatcher.submit([3])), settle(dispatcher.submit([4]))];
    const third = settle(dispatcher.submit([5, 6]));
    await flush();
    expect(method.calls.map((call) => call.batch)).toEqual([[1, 2], [3, 4]]);
    // The second batch ends first: the third starts in its place, before the first ends.
    await method.calls[1]!.finish();
    expect(second.map((state) => state.value)).toEqual([[6], [8]]);
    expect(method.calls.map((call) => call.batch)).toEqual([[1, 2], [3, 4], [5, 6]]);
    expect(first.every((state) => !state.done)).toBe(true);
    await method.calls[0]!.finish();
    await method.calls[2]!.finish();
    expect(first.map((state) => state.value)).toEqual([[2], [4]]);
    expect(third.value).toEqual([10, 12]);
  });

  it("maxConcurrentBatches: the default runs one batch at a time", async () => {
    const clock = new FakeClock();
    const method = controlledMethod(clock);
    const dispatcher = new BatchDispatcher({ maxBatchSize: 2, maxLatencyMs: 1000, maxWaitMs: Infinity, clock, run: method.run });
    for (const item of [1, 2, 3, 4]) void dispatcher.submit([item]);
    await flush();
    expect(method.calls.map((call) => call.batch)).toEqual([[1, 2]]);
    await method.calls[0]!.finish();
    expect(method.calls.map((call) => call.batch)).toEqual([[1, 2], [3, 4]]);
    await method.calls[1]!.finish();
  });

  it("maxConcurrentBatches: shedding counts the queue as shared by the batches that run at once", async () => {
    const clock = new FakeClock();
    const method = controlledMethod(clock);
    const dispatcher = new BatchDispatcher({ maxBatchSize: 1, maxLatencyMs: 100, maxWaitMs: 0, maxConcurrentBatches: 2, clock, run: method.run });
    await warmUp(dispatcher, method, 60); // one batch (of one item) costs 60 ms
    const calls = [1, 2, 3, 4, 5].map((item) => settle(dispatcher.submit([item])));
    await flush();
    // [1] and [2] run at once. [3] starts when one of them ends (60 ms); [4] too, one queued batch
    // shared by two (60 + 0 × 60 ms); [5] has two queued batches ahead: 60 + 1 × 60 = 120 ms > 100.
    expect(method.calls.map((call) => call.batch)).toEqual([[1], [2]]);
    expect(calls.map((state) => (state.error as BentocHttpError | undefined)?.status)).toEqual([undefined, undefined, undefined, undefined, 503]);
    for (let index = 0; index < method.calls.length; index++) await method.calls[index]!.finish(undefined, 0);
    expect(calls.slice(0, 4).map((state) => state.value)).toEqual([[2], [4], [6], [8]]);
  });

  it("refuses a maxConcurrentBatches that is not a positive integer", () => {
    const clock = new FakeClock();
    for (const bad of [0, 1.5, -1]) {
      expect(() => new BatchDispatcher({ maxBatchSize: 2, maxLatencyMs: 10, maxConcurrentBatches: bad, clock, run: () => [] })).toThrow(/maxConcurrentBatches/);
    }
  });

  it("admits a call that joins the next batch even when older calls are already late, and sheds one a full batch further back", async () => {
    const clock = new FakeClock();
    const method = controlledMethod(clock);
    let shed = 0;
    const dispatcher = new BatchDispatcher({ maxBatchSize: 2, maxLatencyMs: 100, maxWaitMs: 0, clock, run: method.run, onShed: () => shed++ });
    await warmUp(dispatcher, method, 40); // the model learns 40 ms per item: a full batch of 2 costs 80 ms
    void dispatcher.submit([1]);
    await flush();
    const queued = settle(dispatcher.submit([2]));
    await clock.advance(110); // the running batch is overdue: the queued call is 110 ms old, past the budget
    const joining = settle(dispatcher.submit([3])); // joins [2] in the next batch: admitted
    await flush();
    expect(joining.error).toBeUndefined();
    // One full batch ([2, 3]) ahead of the next call: 80 ms predicted ≤ 100, admitted…
    const behindOne = settle(dispatcher.submit([4]));
    await flush();
    expect(behindOne.error).toBeUndefined();
    // …but with two full batches ahead (160 ms) the budget cannot be met: 503 + Retry-After.
    void dispatcher.submit([5]);
    const refused = settle(dispatcher.submit([6]));
    await flush();
    expect(refused.error).toBeInstanceOf(BentocHttpError);
    expect((refused.error as BentocHttpError).status).toBe(503);
    expect(Number((refused.error as BentocHttpError).headers["retry-after"])).toBeGreaterThanOrEqual(1);
    expect(shed).toBe(1);
    await method.calls[0]!.finish();
    await method.calls[1]!.finish();
    expect(queued.value).toEqual([4]);
    expect(joining.value).toEqual([6]);
    await method.calls[2]!.finish();
    expect(behindOne.value).toEqual([8]);
    const admitted = settle(dispatcher.submit([7]));
    await clock.advance(100);
    await method.calls[3]!.finish();
    expect(admitted.value).toEqual([14]);
  });

  it("sheds when the predicted time before a new call's batch can start exceeds the budget", async () => {
    const clock = new FakeClock();
    const method = controlledMethod(clock);
    const dispatcher = new BatchDispatcher({ maxBatchSize: 1, maxLatencyMs: 50, clock, run: method.run });
    await warmUp(dispatcher, method, 30); // one batch costs 30 ms
    void dispatcher.submit([2]); // runs at once (idle)
    await flush();
    expect(method.calls).toHaveLength(1);
    void dispatcher.submit([3]); // waits ≤ 30 ms for the running batch: admitted
    // 30 ms left of the running batch + one full batch ahead = 60 ms > 50: shed, saying it is the latency budget
    await expect(dispatcher.submit([4])).rejects.toMatchObject({ status: 503, message: expect.stringMatching(/maxLatencyMs of 50 ms/) });
    expect(dispatcher.queuedCalls).toBe(1);
  });

  it("sheds nothing on a fresh server: one slow warm-up batch is no evidence of overload", async () => {
    const clock = new FakeClock();
    const method = controlledMethod(clock);
    let shed = 0;
    const dispatcher = new BatchDispatcher({ maxBatchSize: 64, maxLatencyMs: 1000, maxWaitMs: 0, clock, run: method.run, onShed: () => shed++ });
    void dispatcher.submit([0]);
    await flush();
    await method.calls[0]!.finish(undefined, 50); // the first batch (one item) pays for warm-up: 50 ms
    expect(dispatcher.model.samples).toBeLessThan(MIN_SAMPLES_TO_SHED);
    // One sample says 50 ms per item, 3.2 s for a full batch; a burst of 300 calls would all be shed past the first batch.
    const burst = Array.from({ length: 300 }, (_, item) => settle(dispatcher.submit([item])));
    await flush();
    for (let index = 1; index < method.calls.length || burst.some((state) => !state.done); index++) {
      await method.calls[index]!.finish(undefined, 5);
    }
    expect(shed).toBe(0);
    expect(burst.map((state) => state.error)).toEqual(burst.map(() => undefined));
    expect(burst[299]!.value).toEqual([598]);
  });

  it("a result of the wrong length fails every caller of that batch with a 500, and the next batch works", async () => {
    const clock = new FakeClock();
    const method = controlledMethod(clock);
    const dispatcher = new BatchDispatcher({ maxBatchSize: 8, maxLatencyMs: 1000, clock, run: method.run });
    void dispatcher.submit([0]);
    await flush();
    const inBatch = [settle(dispatcher.submit([1])), settle(dispatcher.submit([2, 3]))];
    await method.calls[0]!.finish();
    expect(method.calls[1]!.batch).toEqual([1, 2, 3]);
    const next = settle(dispatcher.submit([4]));
    await method.calls[1]!.finish([1, 2]);
    for (const state of inBatch) expect((state.error as BentocHttpError).status).toBe(500);
    await method.calls[2]!.finish();
    expect(next.value).toEqual([8]);
  });

  it("an error thrown by the method reaches every caller of that batch as a 500, and the next batch works", async () => {
    const clock = new FakeClock();
    const method = controlledMethod(clock);
    const dispatcher = new BatchDispatcher({ maxBatchSize: 8, maxLatencyMs: 1000, clock, run: method.run });
    void dispatcher.submit([0]);
    await flush();
    const inBatch = [settle(dispatcher.submit([1])), settle(dispatcher.submit([2]))];
    await method.calls[0]!.finish();
    const next = settle(dispatcher.submit([3]));
    await method.calls[1]!.fail(new Error("boom"));
    for (const state of inBatch) {
      expect((state.error as BentocHttpError).status).toBe(500);
      expect((state.error as { cause?: Error }).cause?.message).toBe("boom");
    }
    await method.calls[2]!.finish();
    expect(next.value).toEqual([6]);
  });

  it("a synchronous throw is handled like a rejection", async () => {
    const dispatcher = new BatchDispatcher({ maxBatchSize: 8, maxLatencyMs: 10, run: () => { throw new Error("sync"); } });
    await expect(dispatcher.submit([1])).rejects.toMatchObject({ status: 500 });
    const ok = new BatchDispatcher({ maxBatchSize: 8, maxLatencyMs: 10, run: (xs) => (xs as number[]).map((x) => x + 1) });
    await expect(ok.submit([1, 2])).resolves.toEqual([2, 3]);
  });

  it("merges along batchDim 1 and splits the result along it", async () => {
    const clock = new FakeClock();
    const method = controlledMethod(clock);
    const dispatcher = new BatchDispatcher({ maxBatchSize: 8, maxLatencyMs: 1000, batchDim: 1, clock, run: method.run });
    void dispatcher.submit([[0], [0]]);
    await flush();
    const a = settle(dispatcher.submit([[1, 2], [3, 4]]));
    const b = settle(dispatcher.submit([[5], [6]]));
    const otherShape = settle(dispatcher.submit([[7], [8], [9]]));
    await method.calls[0]!.finish([[0], [0]]);
    expect(method.calls[1]!.batch).toEqual([[1, 2, 5], [3, 4, 6]]);
    await method.calls[1]!.finish([[10, 20, 50], [30, 40, 60]]);
    expect(a.value).toEqual([[10, 20], [30, 40]]);
    expect(b.value).toEqual([[50], [60]]);
    expect(method.calls[2]!.batch).toEqual([[7], [8], [9]]);
    await method.calls[2]!.finish([[1], [2], [3]]);
    expect(otherShape.value).toEqual([[1], [2], [3]]);
    expect(() => dispatcher.submit([[1, 2], [3]])).toThrow(/ragged/);
  });
});

describe("LatencyModel", () => {
  it("fits latency = a + b·n from observed batches", () => {
    const model = new LatencyModel(0.95);
    for (let i = 0; i < 50; i++) for (const n of [1, 4, 16]) model.observe(n, 2 + 0.5 * n);
    expect(model.predict(0)).toBeCloseTo(2, 5);
    expect(model.predict(10)).toBeCloseTo(7, 5);
  });

  it("follows a cost that changes", () => {
    const model = new LatencyModel(0.5);
    for (let i = 0; i < 20; i++) for (const n of [2, 8]) model.observe(n, n);
    for (let i = 0; i < 40; i++) for (const n of [2, 8]) model.observe(n, 3 * n);
    expect(model.predict(4)).toBeCloseTo(12, 1);
  });
});

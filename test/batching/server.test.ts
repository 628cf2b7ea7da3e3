import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postJson, startBento, type RunningBento } from "../support/bento-server.js";

// A deterministic batchable service: each output is 2x + 1 of its input, whatever batch it ran in.
// Every batch the methods saw is recorded and exposed through `batches`.
const SERVICE = `
import { api, service } from "bentoc";

const seen: number[][] = [];
let running = 0;
let mostAtOnce = 0;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

@service({ traffic: { timeout: 30 } })
export class Batcher {
  /** Throws for a batch that holds a negative number (the poison). */
  @api({ batchable: true, maxBatchSize: 8, maxLatencyMs: 100 })
  async double(xs: number[]): Promise<number[]> {
    seen.push([...xs]);
    await sleep(3);
    if (xs.some((x) => x < 0)) throw new Error("poison in the batch");
    return xs.map((x) => 2 * x + 1);
  }

  /** 200 ms per batch, far beyond its 50 ms budget once calls queue. */
  @api({ batchable: true, maxBatchSize: 4, maxLatencyMs: 50 })
  async slow(xs: number[]): Promise<number[]> {
    await sleep(200);
    return xs.map((x) => x + 1);
  }

  /** Two batches may run at once; records the most that ever did. */
  @api({ batchable: true, maxBatchSize: 4, maxLatencyMs: 2000, maxConcurrentBatches: 2 })
  async parallel(xs: number[]): Promise<number[]> {
    running++;
    mostAtOnce = Math.max(mostAtOnce, running);
    await sleep(150);
    running--;
    return xs.map((x) => x * 10);
  }

  @api()
  async mostParallelBatches(): Promise<number> {
    return mostAtOnce;
  }

  @api()
  async batches(): Promise<number[][]> {
    return seen;
  }
}
`;

/** mulberry32: a seeded PRNG, so a failing run can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let bento: RunningBento;
beforeAll(async () => {
  bento = await startBento(SERVICE);
});
afterAll(async () => {
  await bento?.close();
});

async function batchesSeen(): Promise<number[][]> {
  const response = await postJson(`${bento.url}/batches`, {});
  expect(response.status).toBe(200);
  return response.body as number[][];
}

describe("adaptive batching on a real server", () => {
  it("under randomized concurrent load every caller gets exactly its own results, and no batch exceeds maxBatchSize", async () => {
    const seed = 20261125;
    const rand = random(seed);
    const before = (await batchesSeen()).length;
    let next = 1;
    const calls = Array.from({ length: 200 }, () => {
      const size = 1 + Math.floor(rand() * 3);
      return { input: Array.from({ length: size }, () => next++), delay: Math.floor(rand() * 1000) };
    });
    const responses = await Promise.all(calls.map(async (call) => {
      await sleep(call.delay);
      return postJson(`${bento.url}/double`, { xs: call.input });
    }));
    for (const [index, response] of responses.entries()) {
      expect(response.status, `call ${index} (seed ${seed})`).toBe(200);
      expect(response.body).toEqual(calls[index]!.input.map((x) => 2 * x + 1));
    }
    const batches = (await batchesSeen()).slice(before);
    expect(Math.max(...batches.map((batch) => batch.length))).toBeLessThanOrEqual(8);
    expect(batches.some((batch) => batch.length > 1)).toBe(true);
    expect(batches.flat().sort((x, y) => x - y)).toEqual(calls.flatMap((call) => call.input).sort((x, y) => x - y));
  });

  it("a failing batch fails only its own callers, and later batches succeed", async () => {
    const rand = random(7);
    const before = (await batchesSeen()).length;
    const calls = Array.from({ length: 80 }, (_, index) => ({
      input: [10_000 + index * 10, ...(index % 10 === 3 ? [-(index + 1)] : []), 10_000 + index * 10 + 1],
      delay: Math.floor(rand() * 300),
    }));
    const responses = await Promise.all(calls.map(async (call) => {
      await sleep(call.delay);
      return postJson(`${bento.url}/double`, { xs: call.input });
    }));
    const batches = (await batchesSeen()).slice(before);
    const batchOf = (value: number) => batches.find((batch) => batch.includes(value))!;
    let failed = 0;
    for (const [index, response] of responses.entries()) {
      const poisoned = batchOf(calls[index]!.input[0]!).some((x) => x < 0);
      if (poisoned) {
        failed++;
        expect(response.status).toBe(500);
        expect(response.body.error).toBe("Internal server error");
      } else {
        expect(response.status).toBe(200);
        expect(response.body).toEqual(calls[index]!.input.map((x) => 2 * x + 1));
      }
    }
    expect(failed).toBeGreaterThanOrEqual(8);
    expect(failed).toBeLessThan(calls.length);
    const after = await postJson(`${bento.url}/double`, { xs: [1, 2] });
    expect(after.body).toEqual([3, 5]);
  });

  it("maxConcurrentBatches: 2 runs two batches at once, never three, and every caller gets its own results", async () => {
    const inputs = Array.from({ length: 12 }, (_, index) => [index, 100 + index]);
    const started = performance.now();
    const responses = await Promise.all(inputs.map((xs) => postJson(`${bento.url}/parallel`, { xs })));
    const elapsedMs = performance.now() - started;
    for (const [index, response] of responses.entries()) {
      expect(response.status).toBe(200);
      expect(response.body).toEqual(inputs[index]!.map((x) => x * 10));
    }
    expect((await postJson(`${bento.url}/mostParallelBatches`, {})).body).toBe(2);
    // 24 items in batches of at most 4 = at least 6 batches of 150 ms: 2 at a time take ≥ 450 ms, 1 at a time ≥ 900 ms.
    expect(elapsedMs).toBeGreaterThanOrEqual(440);
  });

  it("sheds with 503 + Retry-After when the queue cannot meet maxLatencyMs, and serves the rest", async () => {
    const responses = await Promise.all(Array.from({ length: 60 }, async (_, index) => {
      await sleep(index * 10);
      return { index, response: await postJson(`${bento.url}/slow`, { xs: [index] }) };
    }));
    const shed = responses.filter(({ response }) => response.status === 503);
    const served = responses.filter(({ response }) => response.status === 200);
    expect(shed.length + served.length).toBe(60);
    expect(shed.length).toBeGreaterThan(0);
    expect(served.length).toBeGreaterThan(0);
    for (const { response } of shed) expect(Number(response.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    for (const { index, response } of served) expect(response.body).toEqual([index + 1]);

    const metrics = await (await fetch(`${bento.url}/metrics`)).text();
    expect(metrics).toMatch(/bentoc_batch_size_count\{api="double"\} \d+/);
    expect(metrics).toMatch(/bentoc_batch_queue_wait_seconds_count\{api="slow"\} \d+/);
    expect(metrics).toContain(`bentoc_batch_shed_total{api="slow"} ${shed.length}`);
  });
});

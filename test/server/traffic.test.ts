import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postJson, startBento, until, type RunningBento } from "../support/bento-server.js";

// Two services in one bento: each has its own traffic options and its own concurrency limit.
const SERVICE = `
import { api, service, type Context, type int32 } from "bentoc";

const state = { entered: 0, open: false, stall: undefined as undefined | { aborted: boolean; afterMs: number; reason: string } };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

@service({ traffic: { maxConcurrency: 2, timeout: 30 } })
export class Limited {
  /** Holds its slot until the test opens the gate (10 s at most). */
  @api()
  async slow(id: int32): Promise<int32> {
    state.entered++;
    for (let waited = 0; !state.open && waited < 10_000; waited += 10) await sleep(10);
    return id;
  }
}

@service({ traffic: { timeout: 1 } })
export class Timed {
  @api()
  async stall(ctx: Context): Promise<string> {
    const started = Date.now();
    await new Promise<void>((resolve) => {
      const fallback = setTimeout(resolve, 5_000);
      ctx.signal.addEventListener("abort", () => {
        clearTimeout(fallback);
        resolve();
      });
    });
    state.stall = { aborted: ctx.signal.aborted, afterMs: Date.now() - started, reason: String((ctx.signal.reason as Error | undefined)?.message) };
    return "finished";
  }

  @api()
  async quick(): Promise<string> {
    return "quick";
  }

  @api()
  async probe(): Promise<{ entered: number; stall?: { aborted: boolean; afterMs: number; reason: string } }> {
    return { entered: state.entered, ...(state.stall ? { stall: state.stall } : {}) };
  }

  @api()
  async open(): Promise<void> {
    state.open = true;
  }
}
`;

let bento: RunningBento;
beforeAll(async () => {
  bento = await startBento(SERVICE);
});
afterAll(() => bento?.close());

const call = (route: string, body: unknown = {}) => postJson(`${bento.url}${route}`, body);
const probe = async () => (await call("/probe")).body as { entered: number; stall?: { aborted: boolean; afterMs: number; reason: string } };

describe("traffic.maxConcurrency", () => {
  it("with 2 + 5 concurrent slow calls, exactly the 5 in excess get 503 with Retry-After and the rest 200", async () => {
    const settled: { id: number; status: number; retryAfter: string | null; body: any }[] = [];
    const calls = Array.from({ length: 7 }, (_, id) =>
      call("/slow", { id }).then((response) => settled.push({ id, status: response.status, retryAfter: response.headers.get("retry-after"), body: response.body })),
    );
    // Two calls hold the slots (waiting on the gate); the other five are turned away at once.
    await until(() => (settled.length === 5 ? true : undefined), "the five calls in excess to be answered", 10_000);
    expect((await probe()).entered).toBe(2);
    expect(settled.map((entry) => entry.status)).toEqual([503, 503, 503, 503, 503]);
    for (const rejected of settled) {
      expect(Number(rejected.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(rejected.body.error).toMatch(/concurrency limit/);
    }
    // Another service of the bento has its own limit: it still answers.
    expect((await call("/quick")).status).toBe(200);

    await call("/open");
    await Promise.all(calls);
    const admitted = settled.filter((entry) => entry.status === 200);
    expect(admitted).toHaveLength(2);
    for (const entry of admitted) expect(entry.body).toBe(entry.id);

    // The slots are given back: calls succeed again.
    const again = await Promise.all([call("/slow", { id: 100 }), call("/slow", { id: 101 })]);
    expect(again.map((response) => response.status)).toEqual([200, 200]);
  });
});

describe("traffic.timeout", () => {
  it("a method slower than the timeout → 504, and its ctx.signal is aborted", async () => {
    const started = Date.now();
    const response = await call("/stall");
    const elapsed = Date.now() - started;
    expect(response.status).toBe(504);
    expect(response.body.error).toMatch(/1 s/);
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(elapsed).toBeLessThan(4_000);
    const { stall } = await until(async () => ((await probe()).stall ? probe() : undefined), "the method to see its signal aborted", 3_000);
    expect(stall).toMatchObject({ aborted: true });
    expect(stall!.afterMs).toBeGreaterThanOrEqual(950);
    expect(stall!.afterMs).toBeLessThan(4_000);
    expect((await call("/quick")).status).toBe(200);
  });
});

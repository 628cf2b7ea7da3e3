import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postJson, startBento, until, type RunningBento } from "../support/bento-server.js";

// Services of one bento calling each other through depends(), in one process: the call takes
// the remote path's terms (arguments copied as JSON, validated and revived; the result checked
// and revived; failures as the client's typed errors; the caller's signal and timeout reaching
// the dependency's Context).
const SERVICE = `
import { api, depends, service, type Context } from "bentoc";
import { BentocClientError, ServerError, TimeoutError, ValidationError } from "bentoc/client";

export interface Stamp {
  at: Date;
  count: bigint;
  tags: string[];
}

const seen: { aborted: string[]; batches: string[][]; release?: () => void } = { aborted: [], batches: [] };
const held = new Promise<void>((resolve) => (seen.release = resolve));

@service()
export class Gateway {
  private readonly clock = depends(Clock);

  /** What the dependency received and returned, as this side sees it. */
  @api()
  async roundTrip(at: string): Promise<{ sentIsDate: boolean; receivedIsDate: boolean; receivedYear: number; countType: string; tagsAfterCall: string[] }> {
    const stamp = { at: new Date(at), count: 12345678901234567890n, tags: ["kept"] };
    const back = await this.clock.stamp({ stamp });
    return { sentIsDate: stamp.at instanceof Date, receivedIsDate: back.at instanceof Date, receivedYear: back.at.getUTCFullYear(), countType: typeof back.count, tagsAfterCall: stamp.tags };
  }

  /** How a failing call fails, by the client's error classes. */
  @api()
  async failure(kind: "invalid" | "throws" | "timeout"): Promise<{ error: string; status: number; path: string | null; isClientError: boolean; message: string }> {
    try {
      if (kind === "invalid") await this.clock.stamp({ stamp: { at: "not a date", count: "1", tags: [] } as never });
      else if (kind === "throws") await this.clock.explode({});
      else await this.clock.sleep({ ms: 5000, label: "timeout" }, { timeoutMs: 50 });
      return { error: "none", status: 0, path: null, isClientError: false, message: "" };
    } catch (error) {
      const known = [ValidationError, ServerError, TimeoutError].find((type) => error instanceof type);
      const failure = error as BentocClientError & { path?: string };
      return { error: known?.name ?? String(error), status: failure.status, path: failure.path ?? null, isClientError: error instanceof BentocClientError, message: failure.message };
    }
  }

  /** Aborts its own call to the dependency after 50 ms: the dependency's Context signal fires. */
  @api()
  async cancel(): Promise<{ caught: string; dependencyAborted: string[] }> {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("caller gave up")), 50);
    let caught = "";
    try {
      await this.clock.sleep({ ms: 5000, label: "cancelled" }, { signal: controller.signal });
    } catch (error) {
      caught = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
    return { caught, dependencyAborted: [...seen.aborted] };
  }

  /** One text through the dependency's batchable API. */
  @api()
  async lengthOf(text: string): Promise<number> {
    const [length] = await this.clock.lengths({ texts: [text] });
    return length!;
  }

  /** Lets the batch holding "hold" finish. */
  @api()
  async release(): Promise<boolean> {
    seen.release!();
    return true;
  }

  /** The batches the dependency's batchable method received. */
  @api()
  async batches(): Promise<string[][]> {
    return seen.batches;
  }

  /** The labels of the dependency's calls whose Context signal fired. */
  @api()
  async abortedLabels(): Promise<string[]> {
    return seen.aborted;
  }

  @api()
  async *relay(count: number): AsyncGenerator<number> {
    for await (const n of this.clock.countdown({ from: count })) yield n * 10;
  }
}

@service()
export class Clock {
  @api()
  async stamp(stamp: Stamp): Promise<Stamp> {
    if (!(stamp.at instanceof Date) || typeof stamp.count !== "bigint") throw new Error("arguments were not revived");
    stamp.tags.push("added by the dependency"); // a copy: the caller's array stays as it was
    return { at: new Date(stamp.at.getTime() + 365 * 24 * 3600 * 1000), count: stamp.count + 1n, tags: stamp.tags };
  }

  @api()
  async explode(): Promise<string> {
    throw new Error("secret internals");
  }

  @api()
  async sleep(ms: number, label: string, ctx: Context): Promise<string> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      ctx.signal.addEventListener("abort", () => {
        clearTimeout(timer);
        seen.aborted.push(label);
        resolve();
      }, { once: true });
    });
    return label;
  }

  @api({ batchable: true, maxBatchSize: 32, maxLatencyMs: 5000 })
  async lengths(texts: string[]): Promise<number[]> {
    seen.batches.push(texts);
    if (texts.includes("hold")) await held; // the test queues the next callers meanwhile
    return texts.map((text) => text.length);
  }

  @api()
  async *countdown(from: number): AsyncGenerator<number> {
    for (let n = from; n > 0; n--) yield n;
  }
}
`;

let bento: RunningBento;
beforeAll(async () => {
  bento = await startBento(SERVICE);
}, 60_000);
afterAll(async () => bento?.close());

const call = async (api: string, body: unknown) => {
  const answer = await postJson(`${bento.url}/${api}`, body, { accept: "application/x-ndjson, application/json" });
  expect(answer.status, answer.text).toBe(200);
  return answer;
};

describe("a dependency served by the same process", () => {
  it("gets revived arguments (Date, bigint) as a copy, and its result comes back revived", async () => {
    const { body } = await call("roundTrip", { at: "2026-01-02T03:04:05.000Z" });
    expect(body).toEqual({ sentIsDate: true, receivedIsDate: true, receivedYear: 2027, countType: "bigint", tagsAfterCall: ["kept"] });
  });

  it("fails as the client's typed errors: 400 with the failing path, 500 telling nothing of the cause, a timeout with status 0", async () => {
    expect((await call("failure", { kind: "invalid" })).body).toMatchObject({ error: "ValidationError", status: 400, path: "/stamp/at", isClientError: true });
    const thrown = (await call("failure", { kind: "throws" })).body;
    expect(thrown).toMatchObject({ error: "ServerError", status: 500, isClientError: true });
    expect(thrown.message).not.toContain("secret internals");
    expect((await call("failure", { kind: "timeout" })).body).toMatchObject({ error: "TimeoutError", status: 0, isClientError: true });
    expect((await call("abortedLabels", {})).body).toContain("timeout"); // the dependency's signal fired at the timeout
  });

  it("aborts the dependency's Context signal when the caller's signal aborts, and throws the signal's reason to the caller", async () => {
    const { body } = await call("cancel", {});
    expect(body.caught).toBe("caller gave up");
    expect(body.dependencyAborted).toContain("cancelled");
  });

  it("puts calls through the dependency and calls of its own route in the same batches", async () => {
    // A first batch holds the method, so the callers that come next queue together behind it.
    const holding = call("lengths", { texts: ["hold"] });
    await until(async () => ((await call("batches", {})).body as string[][]).length === 1 || undefined, "the first batch to run");
    const viaGateway = Array.from({ length: 8 }, (_, i) => call("lengthOf", { text: "g".repeat(i + 1) }));
    const direct = Array.from({ length: 3 }, (_, i) => call("lengths", { texts: ["d".repeat(i + 10)] }));
    await until(async () => {
      const metrics = await (await fetch(`${bento.url}/metrics`)).text();
      const inFlight = (route: string) => Number(new RegExp(`bentoc_requests_in_flight\\{route="${route}"\\} (\\d+)`).exec(metrics)?.[1] ?? 0);
      return (inFlight("/lengthOf") === 8 && inFlight("/lengths") === 4) || undefined;
    }, "every caller to be admitted");
    await call("release", {});
    const answers = await Promise.all([holding, ...viaGateway, ...direct]);
    expect(answers.map((answer) => answer.body)).toEqual([[4], 1, 2, 3, 4, 5, 6, 7, 8, [10], [11], [12]]);
    const batches = (await call("batches", {})).body as string[][];
    expect(batches.flat().sort()).toEqual(["hold", ...Array.from({ length: 8 }, (_, i) => "g".repeat(i + 1)), ...Array.from({ length: 3 }, (_, i) => "d".repeat(i + 10))].sort());
    // Merged: the callers through the gateway and the route's own share a batch.
    expect(batches.length).toBeLessThan(12);
    expect(batches.some((batch) => batch.some((text) => text.startsWith("g")) && batch.some((text) => text.startsWith("d")))).toBe(true);
  });

  it("relays a stream element by element", async () => {
    const { text } = await call("relay", { count: 3 });
    expect(text.trim().split("\n").map((line) => JSON.parse(line))).toEqual([30, 20, 10]);
  });
});

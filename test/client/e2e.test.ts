// The generated client against the generated server, both for real: the service below is
// compiled and served in this process on 127.0.0.1, the client is generated from the same
// manifest, bundled with esbuild and imported, and every IO kind goes over the wire.
import { createHash } from "node:crypto";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeFilesAtomically } from "../../cli/write-files.js";
import { generateClient } from "../../generators/client/index.js";
import { buildBento, until, type BuiltBento, type RunningBento } from "../support/bento-server.js";
import { freePort } from "../support/ports.js";

const SERVICE = `
import { api, service, task, type Context } from "bentoc";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ticks = { started: 0, yielded: 0, finished: 0 };

/** One order of the shop. */
export interface Order {
  id: string;
  placedAt: Date;
  /** In cents; may exceed 2^53. */
  amount: bigint;
  tags?: string[];
}

export interface Receipt {
  count: number;
  total: bigint;
  latest: Date | null;
  signature: Uint8Array;
  orders: Order[];
}

export interface Tick {
  n: number;
  at: Date;
}

export interface Digest {
  name: string;
  size: number;
  sha256: string;
  label: string;
  level: number;
}

@service({ traffic: { timeout: 1, maxConcurrency: 2 } })
export class Shop {
  /** Sums orders; a discount in cents comes off the total. */
  @api()
  async total(orders: Order[], discount: bigint = 0n): Promise<Receipt> {
    const total = orders.reduce((sum, order) => sum + order.amount, 0n) - discount;
    const latest = orders.reduce<Date | null>((max, order) => (max === null || order.placedAt > max ? order.placedAt : max), null);
    const signature = new TextEncoder().encode("total=" + total.toString());
    return { count: orders.length, total, latest, signature, orders };
  }

  @api()
  async digest(file: File, label: string, options: { level: number }): Promise<Digest> {
    const bytes = new Uint8Array(await file.arrayBuffer());
    const sha256 = await crypto.subtle.digest("SHA-256", bytes);
    const hex = Array.from(new Uint8Array(sha256), (byte) => byte.toString(16).padStart(2, "0")).join("");
    return { name: file.name, size: bytes.length, sha256: hex, label, level: options.level };
  }

  @api()
  async digestMany(pages: File[], payload: Uint8Array): Promise<{ names: string[]; sizes: number[]; payload: number }> {
    return { names: pages.map((page) => page.name), sizes: pages.map((page) => page.size), payload: payload.length };
  }

  @api()
  async *ticks(count: number, delayMs: number = 5, ctx?: Context): AsyncGenerator<Tick> {
    ticks.started++;
    try {
      for (let n = 0; n < count && !ctx?.signal.aborted; n++) {
        await sleep(delayMs);
        yield { n, at: new Date(Date.UTC(2025, 0, 1, 0, 0, n)) };
        ticks.yielded++;
      }
    } finally {
      ticks.finished++;
    }
  }

  @api()
  async tickState(): Promise<{ started: number; yielded: number; finished: number }> {
    return { ...ticks };
  }

  @api()
  async fail(): Promise<string> {
    throw new Error("the database password is hunter2");
  }

  @api()
  async slow(ms: number): Promise<string> {
    await sleep(ms);
    return "done after " + ms;
  }

  /** Trains in the background; the caller says for how long. */
  @task()
  async train(epochs: number, delayMs: number, ctx: Context): Promise<{ epochs: number; finishedAt: Date; checksum: bigint }> {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, delayMs);
      ctx.signal.addEventListener("abort", () => { clearTimeout(timer); reject(new Error("cancelled")); });
    });
    if (epochs < 0) throw new Error("negative epochs");
    return { epochs, finishedAt: new Date(Date.UTC(2030, 0, 1)), checksum: 2n ** 65n };
  }
}
`;

interface Order {
  id: string;
  placedAt: Date;
  amount: bigint;
  tags?: string[];
}
interface ErrorLike extends Error {
  status: number;
  requestId?: string;
  body?: { error: string; path?: string };
  path?: string;
  retryAfterMs?: number;
}
type Stream<T> = AsyncIterable<T>;
interface TaskStatus {
  task_id: string;
  status: string;
  created_at: Date;
  executed_at: Date | null;
}
interface TaskHandle<T> {
  id: string;
  status(): Promise<TaskStatus>;
  get(): Promise<T>;
  cancel(): Promise<TaskStatus>;
  retry(): Promise<TaskHandle<T>>;
  result(options?: { signal?: AbortSignal; pollIntervalMs?: number }): Promise<T>;
}
/** The generated module, as this test uses it (its real types are checked in types.test.ts). */
interface ClientModule {
  ShopClient: new (options: { baseUrl: string; retries?: number; timeoutMs?: number; fetch?: (url: string, init: RequestInit) => Promise<Response> }) => {
    waitReady(options?: { timeoutMs?: number }): Promise<void>;
    total(args: { orders: Order[]; discount?: bigint }, options?: { timeoutMs?: number }): Promise<{ count: number; total: bigint; latest: Date | null; signature: Uint8Array; orders: Order[] }>;
    digest(args: { file: Blob | Uint8Array; label: string; options: { level: number } }): Promise<{ name: string; size: number; sha256: string; label: string; level: number }>;
    digestMany(args: { pages: (Blob | Uint8Array)[]; payload: Blob | Uint8Array }): Promise<{ names: string[]; sizes: number[]; payload: number }>;
    ticks(args: { count: number; delayMs?: number }, options?: { signal?: AbortSignal }): Stream<{ n: number; at: Date }>;
    tickState(): Promise<{ started: number; yielded: number; finished: number }>;
    fail(): Promise<string>;
    slow(args: { ms: number }, options?: { timeoutMs?: number }): Promise<string>;
    train: {
      submit(args: { epochs: number; delayMs: number }): Promise<TaskHandle<{ epochs: number; finishedAt: Date; checksum: bigint }>>;
      handle(taskId: string): TaskHandle<unknown>;
    };
  };
  BentocClientError: new (...args: never[]) => ErrorLike;
  ConflictError: new (...args: never[]) => ErrorLike;
  ValidationError: new (...args: never[]) => ErrorLike;
  NotFoundError: new (...args: never[]) => ErrorLike;
  UnavailableError: new (...args: never[]) => ErrorLike;
  ServerError: new (...args: never[]) => ErrorLike;
  TimeoutError: new (...args: never[]) => ErrorLike;
  ConnectionError: new (...args: never[]) => ErrorLike;
  TaskFailedError: new (...args: never[]) => ErrorLike & { task: TaskStatus };
}

let built: BuiltBento;
let bento: RunningBento;
let generated: ClientModule;
let client: InstanceType<ClientModule["ShopClient"]>;

beforeAll(async () => {
  built = await buildBento(SERVICE);
  bento = await built.start({ taskStore: "memory" });
  const clientDir = path.join(built.dir, "client");
  writeFilesAtomically(clientDir, generateClient(built.manifest));
  // As a browser app would: bundled for no platform, so a Node built-in would fail the build.
  await build({ entryPoints: [path.join(clientDir, "client.ts")], outfile: path.join(clientDir, "client.mjs"), bundle: true, format: "esm", platform: "neutral", target: "es2022", logLevel: "silent" });
  generated = (await import(pathToFileURL(path.join(clientDir, "client.mjs")).href)) as ClientModule;
  client = new generated.ShopClient({ baseUrl: bento.url });
  await client.waitReady({ timeoutMs: 5_000 });
});

afterAll(async () => {
  await bento?.close();
  built?.remove();
});

/** The error a promise rejects with (the test fails if it resolves). */
async function rejection(promise: Promise<unknown>): Promise<ErrorLike> {
  const outcome = await promise.then(() => undefined, (error: unknown) => error as ErrorLike);
  if (outcome === undefined) throw new Error("expected the call to fail");
  return outcome;
}

/** A fetch that counts the requests it sends. */
function countingFetch(): { fetch: (url: string, init: RequestInit) => Promise<Response>; count(): number } {
  let count = 0;
  return { fetch: (url, init) => (count++, fetch(url, init)), count: () => count };
}

describe("generated client ↔ generated server", () => {
  it("sends and revives Date, bigint and bytes in JSON", async () => {
    const orders: Order[] = [
      { id: "a", placedAt: new Date("2025-03-01T10:00:00.000Z"), amount: 2n ** 60n, tags: ["x"] },
      { id: "b", placedAt: new Date("2025-03-02T11:30:00.000Z"), amount: 5n },
    ];
    const receipt = await client.total({ orders, discount: 3n });
    expect(receipt.total).toBe(2n ** 60n + 2n);
    expect(receipt.latest).toEqual(new Date("2025-03-02T11:30:00.000Z"));
    expect(receipt.orders[0]!.placedAt).toBeInstanceOf(Date);
    expect(receipt.orders[0]!.amount).toBe(2n ** 60n);
    expect(receipt.signature).toBeInstanceOf(Uint8Array);
    expect(new TextDecoder().decode(receipt.signature)).toBe(`total=${2n ** 60n + 2n}`);
    expect((await client.total({ orders: [] })).latest).toBeNull();
  });

  it("uploads files as multipart parts, byte for byte", async () => {
    const bytes = new Uint8Array(300_000).map((_, index) => (index * 31) % 256);
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    const digest = await client.digest({ file: new File([bytes], "scan.bin"), label: "a label", options: { level: 3 } });
    expect(digest).toEqual({ name: "scan.bin", size: bytes.length, sha256, label: "a label", level: 3 });
    // A label that reads like JSON stays text; bytes without a name go under the argument's.
    const fromBytes = await client.digest({ file: bytes, label: "[1, 2]", options: { level: 0 } });
    expect(fromBytes).toMatchObject({ name: "file", sha256, label: "[1, 2]" });
    const many = await client.digestMany({ pages: [new File(["one"], "1.txt"), new Blob(["three"])], payload: new Uint8Array([1, 2, 3, 4]) });
    expect(many).toEqual({ names: ["1.txt", "pages"], sizes: [3, 5], payload: 4 });
  });

  it("streams SSE elements, revived, and `break` ends the server's generator", async () => {
    const all: { n: number; at: Date }[] = [];
    for await (const tick of client.ticks({ count: 3, delayMs: 1 })) all.push(tick);
    expect(all.map((tick) => tick.n)).toEqual([0, 1, 2]);
    expect(all[2]!.at).toEqual(new Date("2025-01-01T00:00:02.000Z"));

    const before = await client.tickState();
    const seen: number[] = [];
    for await (const tick of client.ticks({ count: 100_000, delayMs: 2 })) {
      seen.push(tick.n);
      if (seen.length === 3) break;
    }
    expect(seen).toEqual([0, 1, 2]);
    const after = await until(async () => {
      const state = await client.tickState();
      return state.finished > before.finished ? state : undefined;
    }, "the stream's finally to run on the server");
    expect(after.started).toBe(before.started + 1);
    expect(after.yielded - before.yielded).toBeLessThan(1_000);
  });

  it("aborting the signal ends a stream too", async () => {
    const before = await client.tickState();
    const controller = new AbortController();
    const reason = new Error("enough");
    const error = await rejection((async () => {
      for await (const tick of client.ticks({ count: 100_000, delayMs: 2 }, { signal: controller.signal })) {
        if (tick.n === 1) controller.abort(reason);
      }
    })());
    expect(error).toBe(reason);
    await until(async () => ((await client.tickState()).finished > before.finished ? true : undefined), "the aborted stream to end on the server");
  });

  it("400: ValidationError with the failing path and the request id", async () => {
    const error = await rejection(client.total({ orders: [{ id: 7 } as unknown as Order] }));
    expect(error).toBeInstanceOf(generated.ValidationError);
    expect(error).toBeInstanceOf(generated.BentocClientError);
    expect(error.status).toBe(400);
    expect(error.path).toMatch(/^\/orders\/0/);
    expect(error.requestId).toMatch(/.+/);
    expect(error.message).toContain("POST /total");
  });

  it("404: NotFoundError", async () => {
    const elsewhere = new generated.ShopClient({ baseUrl: `${bento.url}/nothing-here` });
    const error = await rejection(elsewhere.tickState());
    expect(error).toBeInstanceOf(generated.NotFoundError);
    expect(error.status).toBe(404);
  });

  it("500: ServerError, sent once, with nothing of the cause", async () => {
    const counter = countingFetch();
    const counted = new generated.ShopClient({ baseUrl: bento.url, fetch: counter.fetch });
    const error = await rejection(counted.fail());
    expect(error).toBeInstanceOf(generated.ServerError);
    expect(error.status).toBe(500);
    expect(JSON.stringify(error.body)).not.toContain("hunter2");
    expect(counter.count()).toBe(1);
  });

  it("503 at the concurrency limit: UnavailableError without retries, success with them after Retry-After", async () => {
    const busy = [client.slow({ ms: 600 }), client.slow({ ms: 600 })];
    await new Promise((resolve) => setTimeout(resolve, 50));
    const noRetry = new generated.ShopClient({ baseUrl: bento.url, retries: 0 });
    const error = await rejection(noRetry.slow({ ms: 0 }));
    expect(error).toBeInstanceOf(generated.UnavailableError);
    expect(error.status).toBe(503);
    expect(error.retryAfterMs).toBe(1_000);

    const counter = countingFetch();
    const retrying = new generated.ShopClient({ baseUrl: bento.url, fetch: counter.fetch });
    const started = Date.now();
    expect(await retrying.slow({ ms: 0 })).toBe("done after 0");
    expect(counter.count()).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    await Promise.all(busy);
  });

  it("timeouts: TimeoutError from the client's own timer (status 0) and from the server's 504, never retried", async () => {
    const counter = countingFetch();
    const counted = new generated.ShopClient({ baseUrl: bento.url, fetch: counter.fetch });
    const local = await rejection(counted.slow({ ms: 500 }, { timeoutMs: 100 }));
    expect(local).toBeInstanceOf(generated.TimeoutError);
    expect(local.status).toBe(0);
    const remote = await rejection(counted.slow({ ms: 1_500 }));
    expect(remote).toBeInstanceOf(generated.TimeoutError);
    expect(remote.status).toBe(504);
    expect(counter.count()).toBe(2);
  });

  it("tasks: submit gives a handle whose status, get (revived), retry and cancel use the task routes", async () => {
    const handle = await client.train.submit({ epochs: 2, delayMs: 100 });
    const early = await rejection(handle.get());
    expect([early.constructor, early.status]).toEqual([generated.ConflictError, 409]);
    const done = await until(async () => {
      const status = await handle.status();
      return status.status === "success" ? status : undefined;
    }, "the task to succeed");
    expect(done).toMatchObject({ task_id: handle.id, created_at: expect.any(Date), executed_at: expect.any(Date) });
    expect(await handle.get()).toEqual({ epochs: 2, finishedAt: new Date(Date.UTC(2030, 0, 1)), checksum: 2n ** 65n });
    const again = await handle.retry();
    expect(again.id).not.toBe(handle.id);

    const long = await client.train.submit({ epochs: 1, delayMs: 60_000 });
    expect((await long.cancel()).status).toBe("cancelled");
    expect(await rejection(client.train.handle("no-such-task").status())).toBeInstanceOf(generated.NotFoundError);
  });

  it("tasks: result() waits for the end; the revived result, or a TaskFailedError saying how the task ended", async () => {
    const handle = await client.train.submit({ epochs: 3, delayMs: 100 });
    expect(await handle.result({ pollIntervalMs: 20 })).toEqual({ epochs: 3, finishedAt: new Date(Date.UTC(2030, 0, 1)), checksum: 2n ** 65n });

    const failing = await client.train.submit({ epochs: -1, delayMs: 1 });
    const failed = await rejection(failing.result({ pollIntervalMs: 20 })) as ErrorLike & { task: TaskStatus };
    expect(failed).toBeInstanceOf(generated.TaskFailedError);
    expect(failed).toBeInstanceOf(generated.BentocClientError);
    expect(failed.task).toMatchObject({ task_id: failing.id, status: "failure" });
    expect(failed.message).not.toMatch(/negative epochs/);

    const long = await client.train.submit({ epochs: 1, delayMs: 60_000 });
    const waiting = rejection(long.result({ pollIntervalMs: 20 }));
    await long.cancel();
    expect((await waiting as ErrorLike & { task: TaskStatus }).task.status).toBe("cancelled");

    const longer = await client.train.submit({ epochs: 1, delayMs: 60_000 });
    const controller = new AbortController();
    const stopped = rejection(longer.result({ signal: controller.signal, pollIntervalMs: 20 }));
    controller.abort(new Error("gave up"));
    expect((await stopped).message).toBe("gave up");
    expect((await longer.status()).status).not.toBe("cancelled");
    await longer.cancel();
  });

  it("a refused connection is retried, then a ConnectionError", async () => {
    const port = await freePort();
    const counter = countingFetch();
    const nowhere = new generated.ShopClient({ baseUrl: `http://127.0.0.1:${port}`, retries: 2, fetch: counter.fetch });
    const error = await rejection(nowhere.tickState());
    expect(error).toBeInstanceOf(generated.ConnectionError);
    expect(error.status).toBe(0);
    expect(counter.count()).toBe(3);
  });
});



describe("bentoc/client: createClient reads /docs.json and calls by name", () => {
  it("calls, streams, uploads, submits tasks and fails like the generated client", async () => {
    const { createClient, ValidationError } = (await import("bentoc/client")) as typeof import("../../sdk/client/index.js");
    const dynamic = await createClient(bento.url);
    expect(dynamic.apis.map((api) => `${api.kind} ${api.name}`)).toEqual(expect.arrayContaining(["unary total", "stream ticks", "unary digest", "task train"]));

    const receipt = await dynamic.call<{ total: bigint; latest: Date; signature: Uint8Array }>("total", {
      orders: [{ id: "a", placedAt: new Date("2025-05-05T05:05:05.000Z"), amount: 2n ** 70n }],
    });
    expect(receipt.total).toBe(2n ** 70n);
    expect(receipt.latest).toEqual(new Date("2025-05-05T05:05:05.000Z"));
    expect(receipt.signature).toBeInstanceOf(Uint8Array);

    const ticks: Date[] = [];
    for await (const tick of dynamic.stream<{ at: Date }>("ticks", { count: 2, delayMs: 1 })) ticks.push(tick.at);
    expect(ticks).toEqual([new Date("2025-01-01T00:00:00.000Z"), new Date("2025-01-01T00:00:01.000Z")]);

    const bytes = new TextEncoder().encode("hello");
    const digest = await dynamic.call<{ sha256: string; label: string }>("digest", { file: bytes, label: "plain", options: { level: 1 } });
    expect(digest).toMatchObject({ sha256: createHash("sha256").update(bytes).digest("hex"), label: "plain" });

    const handle = await dynamic.submit<{ finishedAt: Date; checksum: bigint }>("train", { epochs: 1, delayMs: 1 });
    await until(async () => ((await handle.status()).status === "success" ? true : undefined), "the task to succeed");
    expect(await handle.get()).toMatchObject({ finishedAt: new Date(Date.UTC(2030, 0, 1)), checksum: 2n ** 65n });

    await expect(dynamic.call("total", { orders: "none" })).rejects.toBeInstanceOf(ValidationError);
    expect(() => dynamic.call("nope")).toThrow(/no API named 'nope'/);
    expect(() => dynamic.call("ticks")).toThrow(/stream\(\)/);
  });
});

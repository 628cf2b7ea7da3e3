import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateClient } from "../../generators/client/index.js";
import { buildBento, postJson, until, type BuiltBento, type SpawnedBento } from "../support/bento-server.js";
import { logLines } from "../support/log-lines.js";

// A service calling another through depends(), run in three modes: both services of one bento
// in one process (the call goes in-process, on the remote path's terms: arguments copied as
// JSON, validated and revived; the result checked and revived); the same bento split
// (BENTOC_SERVICE per process, the dependency at BENTOC_DEPENDENCY_CLOCK_URL, over HTTP); and
// the Clock as a bento of its own, which the gateway's bento calls through Clock's generated
// client (depends(ClockClient), at the same variable). The same assertions hold in all three:
// typed errors, the caller's signal and timeout reaching the dependency's Context, streams, tasks,
// shared batches.

/** The caller; `target` is what it passes to depends(), `renamed` how that names Clock's API 'label'. */
const gateway = (target: string, renamed: string) => `@service()
export class Gateway {
  private readonly clock = depends(${target});

  /** Which processes answer: this one, and the dependency's. */
  @api()
  async pids(): Promise<{ gateway: number; clock: number }> {
    return { gateway: process.pid, clock: await this.clock.pid({}) };
  }

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
      else await this.clock.sleep({ ms: 5000, label: "timeout" }, { timeoutMs: 100 });
      return { error: "none", status: 0, path: null, isClientError: false, message: "" };
    } catch (error) {
      const known = [ValidationError, ServerError, TimeoutError].find((type) => error instanceof type);
      const failure = error as BentocClientError & { path?: string };
      return { error: known?.name ?? String(error), status: failure.status, path: failure.path ?? null, isClientError: error instanceof BentocClientError, message: failure.message };
    }
  }

  /** Aborts its own call to the dependency after 100 ms. */
  @api()
  async cancel(): Promise<{ caught: string }> {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("caller gave up")), 100);
    try {
      await this.clock.sleep({ ms: 5000, label: "cancelled" }, { signal: controller.signal });
      return { caught: "" };
    } catch (error) {
      return { caught: (error as Error).message };
    }
  }

  /** Calls an API the dependency renamed: the handle's methods are the class's. */
  @api()
  async renamed(): Promise<string> {
    return this.clock.${renamed}({});
  }

  /** This request's id, and the one the dependency's Context got when passed this Context. */
  @api()
  async requestIds(ctx: Context): Promise<{ mine: string; dependency: string }> {
    return { mine: ctx.requestId, dependency: await this.clock.requestId({}, { context: ctx }) };
  }

  /** Submits the dependency's task and waits for its result through the handle. */
  @api()
  async tallyVia(items: string[], ctx: Context): Promise<{ count: number; atIsDate: boolean; final: string; misuse: string }> {
    const handle = await this.clock.tally.submit({ items }, { context: ctx });
    const result = await handle.result({ pollIntervalMs: 20 });
    const status = await handle.status();
    let misuse = "";
    try {
      // Typed as not callable through a generated client: the cast calls it anyway, as plain JavaScript could.
      await (this.clock.tally as unknown as (args: object) => Promise<unknown>)({ items });
    } catch (error) {
      misuse = (error as Error).message;
    }
    return { count: result.count, atIsDate: result.at instanceof Date, final: status.status, misuse };
  }

  /** One text through the dependency's batchable API. */
  @api()
  async lengthOf(text: string): Promise<number> {
    const [length] = await this.clock.lengths({ texts: [text] });
    return length!;
  }

  @api()
  async *relay(count: number): AsyncGenerator<number> {
    for await (const n of this.clock.countdown({ from: count })) yield n * 10;
  }
}
`;

const CLOCK = `export interface Stamp {
  at: Date;
  count: bigint;
  tags: string[];
}

const seen: { aborted: string[]; batches: string[][]; release?: () => void } = { aborted: [], batches: [] };
const held = new Promise<void>((resolve) => (seen.release = resolve));

@service()
export class Clock {
  @api()
  async pid(): Promise<number> {
    return process.pid;
  }

  @api({ name: "label" })
  async currentLabel(): Promise<string> {
    return "clock";
  }

  @api()
  async requestId(ctx: Context): Promise<string> {
    return ctx.requestId;
  }

  @api()
  async stamp(stamp: Stamp): Promise<Stamp> {
    if (!(stamp.at instanceof Date) || typeof stamp.count !== "bigint") throw new Error("arguments were not revived");
    stamp.tags.push("added by the dependency");
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

  @task()
  async tally(items: string[]): Promise<{ count: number; at: Date }> {
    return { count: items.length, at: new Date("2026-12-07T00:00:00Z") };
  }

  /** The labels of the calls whose Context signal fired. */
  @api()
  async abortedLabels(): Promise<string[]> {
    return seen.aborted;
  }

  @api({ batchable: true, maxBatchSize: 32, maxLatencyMs: 5000 })
  async lengths(texts: string[]): Promise<number[]> {
    seen.batches.push(texts);
    if (texts.includes("hold")) await held; // the test queues the next callers meanwhile
    return texts.map((text) => text.length);
  }

  /** The batches \`lengths\` received. */
  @api()
  async batches(): Promise<string[][]> {
    return seen.batches;
  }

  /** Lets the batch holding "hold" finish. */
  @api()
  async release(): Promise<boolean> {
    seen.release!();
    return true;
  }

  @api()
  async *countdown(from: number): AsyncGenerator<number> {
    for (let n = from; n > 0; n--) yield n;
  }
}
`;

/** Both services in one bento; the handle's methods are the class's, so 'label' is reached as currentLabel. */
const ONE_BENTO = `import { api, depends, service, task, type Context } from "bentoc";
import { BentocClientError, ServerError, TimeoutError, ValidationError } from "bentoc/client";
${gateway("Clock", "currentLabel")}
${CLOCK}`;

/** The Clock alone, as a bento of its own. */
const CLOCK_BENTO = `import { api, service, task, type Context } from "bentoc";
${CLOCK}`;

/** The gateway alone, calling that bento's Clock through its generated client (written beside it, in clock-client/), whose members are API names. */
const GATEWAY_BENTO = `import { api, depends, service, type Context } from "bentoc";
import { BentocClientError, ClockClient, ServerError, TimeoutError, ValidationError } from "./clock-client/client.js";
${gateway("ClockClient", "label")}`;

let bento: BuiltBento;
const built: BuiltBento[] = [];
const running: SpawnedBento[] = [];
beforeAll(async () => {
  bento = await buildBento(ONE_BENTO);
  built.push(bento);
}, 60_000);
afterAll(async () => {
  for (const process of running) await process.close();
  for (const each of built) each.remove();
});

async function spawn(env: NodeJS.ProcessEnv, from = bento): Promise<SpawnedBento> {
  const started = await from.spawn({ env });
  running.push(started);
  return started;
}

/** The Clock's own bento, and the gateway's: a folder inside the Clock's holding the gateway and Clock's generated client. */
let twoBuilt: Promise<{ clock: BuiltBento; gateway: BuiltBento }> | undefined;
const twoBentos = () => (twoBuilt ??= buildTwoBentos());
async function buildTwoBentos(): Promise<{ clock: BuiltBento; gateway: BuiltBento }> {
  const clock = await buildBento(CLOCK_BENTO);
  built.push(clock);
  const folder = path.join(clock.dir, "gateway");
  for (const [file, text] of generateClient(clock.manifest)) {
    fs.mkdirSync(path.dirname(path.join(folder, "clock-client", file)), { recursive: true });
    fs.writeFileSync(path.join(folder, "clock-client", file), text);
  }
  fs.writeFileSync(path.join(folder, "service.ts"), GATEWAY_BENTO);
  const gateway = await buildBento({ file: path.join(folder, "service.ts") });
  built.push(gateway);
  return { clock, gateway };
}

const post = async (url: string, api: string, body: unknown) => {
  const answer = await postJson(`${url}/${api}`, body, { accept: "application/x-ndjson, application/json" });
  expect(answer.status, answer.text).toBe(200);
  return answer;
};

interface Mode {
  name: string;
  start(): Promise<{ gateway: string; clock: string; split: boolean }>;
}

const MODES: Mode[] = [
  {
    name: "served by one process",
    async start() {
      const all = await spawn({});
      return { gateway: all.url, clock: all.url, split: false };
    },
  },
  {
    name: "split: each service in its own process (BENTOC_SERVICE), the dependency at BENTOC_DEPENDENCY_CLOCK_URL",
    async start() {
      const clock = await spawn({ BENTOC_SERVICE: "Clock" });
      const gateway = await spawn({ BENTOC_SERVICE: "Gateway", BENTOC_DEPENDENCY_CLOCK_URL: clock.url });
      return { gateway: gateway.url, clock: clock.url, split: true };
    },
  },
  {
    name: "of another bento, through its generated client, at BENTOC_DEPENDENCY_CLOCK_URL",
    async start() {
      const bentos = await twoBentos();
      const clock = await spawn({}, bentos.clock);
      const gateway = await spawn({ BENTOC_DEPENDENCY_CLOCK_URL: clock.url }, bentos.gateway);
      return { gateway: gateway.url, clock: clock.url, split: true };
    },
  },
];

describe.each(MODES)("a dependency $name", (mode) => {
  let urls: { gateway: string; clock: string; split: boolean };
  beforeAll(async () => {
    urls = await mode.start();
  }, 60_000);

  it("answers from the process the mode says", async () => {
    const { body } = await post(urls.gateway, "pids", {});
    if (urls.split) expect(body.clock).not.toBe(body.gateway);
    else expect(body.clock).toBe(body.gateway);
    expect((await post(urls.clock, "pid", {})).body).toBe(body.clock);
  });

  it("gets revived arguments (Date, bigint), and its result comes back revived", async () => {
    const { body } = await post(urls.gateway, "roundTrip", { at: "2026-01-02T03:04:05.000Z" });
    expect(body).toMatchObject({ sentIsDate: true, receivedIsDate: true, receivedYear: 2027, countType: "bigint" });
  });

  it("fails as the client's typed errors: 400 with the failing path, 500 telling nothing of the cause, a timeout with status 0 that aborts the dependency", async () => {
    expect((await post(urls.gateway, "failure", { kind: "invalid" })).body).toMatchObject({ error: "ValidationError", status: 400, path: "/stamp/at", isClientError: true });
    const thrown = (await post(urls.gateway, "failure", { kind: "throws" })).body;
    expect(thrown).toMatchObject({ error: "ServerError", status: 500, isClientError: true });
    expect(thrown.message).not.toContain("secret internals");
    expect((await post(urls.gateway, "failure", { kind: "timeout" })).body).toMatchObject({ error: "TimeoutError", status: 0, isClientError: true });
    await until(async () => ((await post(urls.clock, "abortedLabels", {})).body as string[]).includes("timeout") || undefined, "the dependency's signal to fire at the timeout");
  });

  it("aborts the dependency's Context signal when the caller's signal aborts, and throws the signal's reason to the caller", async () => {
    expect((await post(urls.gateway, "cancel", {})).body).toEqual({ caught: "caller gave up" });
    await until(async () => ((await post(urls.clock, "abortedLabels", {})).body as string[]).includes("cancelled") || undefined, "the dependency's signal to fire");
  });

  it("passes the caller's request id on to the dependency, given the caller's Context", async () => {
    const answer = await postJson(`${urls.gateway}/requestIds`, {}, { "x-request-id": "trace-7f3a" });
    expect(answer.body).toEqual({ mine: "trace-7f3a", dependency: "trace-7f3a" });
  });

  it("submits a task of the dependency and gets its revived result through the task handle; calling a task API is refused", async () => {
    const { body } = await post(urls.gateway, "tallyVia", { items: ["a", "b", "c"] });
    expect(body).toEqual({ count: 3, atIsDate: true, final: "success", misuse: "tally is a task API: submit it with .tally.submit(args), which returns its task handle" });
  });

  it("reaches an API the dependency renamed (by its method's name in the bento, by the API's name through the client)", async () => {
    expect((await post(urls.gateway, "renamed", {})).body).toBe("clock");
  });

  it("relays a stream element by element", async () => {
    const { text } = await post(urls.gateway, "relay", { count: 3 });
    expect(text.trim().split("\n").map((line) => JSON.parse(line))).toEqual([30, 20, 10]);
  });

  it("puts calls through the dependency and calls of its own route in the same batches", async () => {
    // A first batch holds the method, so the callers that come next queue together behind it.
    const holding = post(urls.clock, "lengths", { texts: ["hold"] });
    await until(async () => ((await post(urls.clock, "batches", {})).body as string[][]).length === 1 || undefined, "the first batch to run");
    const viaGateway = Array.from({ length: 8 }, (_, i) => post(urls.gateway, "lengthOf", { text: "g".repeat(i + 1) }));
    const direct = Array.from({ length: 3 }, (_, i) => post(urls.clock, "lengths", { texts: ["d".repeat(i + 10)] }));
    const inFlight = async (url: string, route: string) => Number(new RegExp(`bentoc_requests_in_flight\\{route="${route}"\\} (\\d+)`).exec(await (await fetch(`${url}/metrics`)).text())?.[1] ?? 0);
    // Split, the gateway's calls arrive at the clock's own route too.
    await until(async () => ((await inFlight(urls.gateway, "/lengthOf")) === 8 && (await inFlight(urls.clock, "/lengths")) === (urls.split ? 12 : 4)) || undefined, "every caller to be admitted");
    await post(urls.clock, "release", {});
    const answers = await Promise.all([holding, ...viaGateway, ...direct]);
    expect(answers.map((answer) => answer.body)).toEqual([[4], 1, 2, 3, 4, 5, 6, 7, 8, [10], [11], [12]]);
    const batches = (await post(urls.clock, "batches", {})).body as string[][];
    expect(batches.flat().sort()).toEqual(["hold", ...Array.from({ length: 8 }, (_, i) => "g".repeat(i + 1)), ...Array.from({ length: 3 }, (_, i) => "d".repeat(i + 10))].sort());
    expect(batches.length).toBeLessThan(12);
    expect(batches.some((batch) => batch.some((text) => text.startsWith("g")) && batch.some((text) => text.startsWith("d")))).toBe(true);
  });
});

describe("a gateway whose dependency is down", () => {
  it.each([
    ["split from its bento", async () => [await spawn({ BENTOC_SERVICE: "Clock" }), (clock: SpawnedBento) => spawn({ BENTOC_SERVICE: "Gateway", BENTOC_DEPENDENCY_CLOCK_URL: clock.url })] as const],
    ["calling another bento's service", async () => {
      const bentos = await twoBentos();
      return [await spawn({}, bentos.clock), (clock: SpawnedBento) => spawn({ BENTOC_DEPENDENCY_CLOCK_URL: clock.url }, bentos.gateway)] as const;
    }],
  ])("(%s) answers 503 with retry-after from the caller, not a 500, and the caller's /readyz says which dependency it cannot reach", async (_kind, start) => {
    const [clock, startGateway] = await start();
    const gateway = await startGateway(clock);
    expect((await post(gateway.url, "pids", {})).body.clock).toBe(clock.child.pid);
    expect((await fetch(`${gateway.url}/readyz`)).status).toBe(200);
    await clock.close();
    const answer = await postJson(`${gateway.url}/pids`, {});
    expect([answer.status, answer.body.error, answer.headers.get("retry-after")]).toEqual([503, "A service this API depends on is unavailable; retry later", "1"]);
    const ready = await until(async () => {
      const response = await fetch(`${gateway.url}/readyz`);
      return response.status === 503 ? ((await response.json()) as { status: string; error: string }) : undefined;
    }, "the gateway to say it is not ready", 10_000);
    expect(ready).toEqual({ status: "degraded", error: `Dependencies are unreachable: Clock (${clock.url}); retry later` });
  }, 60_000);
});

describe("a bento whose dependency is configured wrongly", () => {
  it.each([
    ["split", { BENTOC_SERVICE: "Gateway" }, "service Gateway depends on Clock, which this process does not serve: set BENTOC_DEPENDENCY_CLOCK_URL"],
    ["split", { BENTOC_SERVICE: "Nope" }, "BENTOC_SERVICE must name services of this bento (Gateway, Clock), comma-separated; got 'Nope'"],
    ["calling another bento's", {}, "service Gateway depends on Clock, a service of the bento "],
    ["calling another bento's", { BENTOC_DEPENDENCY_CLOCK_URL: "clock:3000" }, "BENTOC_DEPENDENCY_CLOCK_URL must be an http:// or https:// URL; got 'clock:3000'"],
  ])("(the %s gateway) with %o stops at start-up with one line naming the variable, exit 2", async (kind, env, named) => {
    const from = kind === "split" ? bento : (await twoBentos()).gateway;
    const started = from.spawn({ env, timeoutMs: 20_000 });
    const error = await started.then(() => undefined, (failure: Error) => failure);
    expect(error?.message).toMatch(/exited \(2\) before it was ready/);
    const fatal = logLines(error!.message.slice(error!.message.indexOf("\n") + 1)).filter((line) => line.level === 60);
    expect(fatal).toHaveLength(1);
    expect(String(fatal[0]!.msg)).toContain(named);
    expect(fatal[0]!.err).toBeUndefined(); // no stack trace
  }, 60_000);
});

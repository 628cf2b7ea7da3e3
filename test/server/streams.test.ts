import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postJson, startBento, until, type RunningBento } from "../support/bento-server.js";

const TOTAL = 1_000_000;
const SERVICE = `
import { api, service, type Context, type int32 } from "bentoc";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const state = { pulls: 0, closed: [] as { tag: string; aborted: boolean }[] };

export interface Point {
  i: int32;
  at: Date;
  big: bigint;
}

@service()
export class Streams {
  @api()
  async *letters(): AsyncGenerator<string> {
    yield "a";
    yield "b";
    yield "c";
  }

  @api()
  async *points(count: int32): AsyncGenerator<Point> {
    for (let i = 0; i < count; i++) yield { i, at: new Date(Date.UTC(2024, 0, 1 + i)), big: 2n ** 60n + BigInt(i) };
  }

  @api()
  async *endless(tag: string, ctx: Context): AsyncGenerator<string> {
    try {
      for (let i = 0; ; i++) {
        yield tag + "-" + i;
        await sleep(10);
      }
    } finally {
      state.closed.push({ tag, aborted: ctx.signal.aborted });
    }
  }

  /** ${TOTAL} elements of \`size\` bytes; counts how many the server pulled. */
  @api()
  async *firehose(size: int32): AsyncGenerator<string> {
    const chunk = "x".repeat(size);
    for (let i = 0; i < ${TOTAL}; i++) {
      state.pulls++;
      yield chunk;
    }
  }

  /** Waits \`ms\` before each of its two elements, as a model slow to give a token does. */
  @api()
  async *slow(/** @maximum 5000 */ ms: int32, tag: string): AsyncGenerator<string> {
    try {
      await sleep(ms);
      yield "first";
      await sleep(ms);
      yield "second";
    } finally {
      state.closed.push({ tag, aborted: false });
    }
  }

  @api()
  async *broken(): AsyncGenerator<string> {
    yield "first";
    throw new Error("secret: stream internals");
  }

  @api()
  async probe(): Promise<{ pulls: number; closed: { tag: string; aborted: boolean }[] }> {
    return state;
  }
}
`;

let bento: RunningBento;
const KEEP_ALIVE_MS = 100;
beforeAll(async () => {
  bento = await startBento(SERVICE, { sseKeepAliveMs: KEEP_ALIVE_MS });
});
afterAll(() => bento?.close());

async function stream(route: string, body: unknown, accept?: string): Promise<{ status: number; type: string | null; text: string; headers: Headers }> {
  const response = await fetch(`${bento.url}${route}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(accept ? { accept } : {}) },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: response.status, type: response.headers.get("content-type"), text: await response.text(), headers: response.headers };
}

const probe = async () => (await postJson(`${bento.url}/probe`, {})).body as { pulls: number; closed: { tag: string; aborted: boolean }[] };

/** Starts a streaming call with node:http and hands back the response once its headers arrived. */
function openStream(route: string, body: unknown, accept = "text/event-stream"): Promise<{ request: http.ClientRequest; response: http.IncomingMessage }> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const request = http.request(`${bento.url}${route}`, {
      method: "POST",
      headers: { "content-type": "application/json", "content-length": Buffer.byteLength(payload), accept },
      timeout: 10_000,
    });
    request.on("response", (response) => resolve({ request, response }));
    request.on("error", reject);
    request.end(payload);
  });
}

describe("streams chosen by Accept", () => {
  it("SSE: one data event per element, the default", async () => {
    for (const accept of ["text/event-stream", undefined, "*/*", "application/json;q=0.5, text/event-stream"]) {
      const response = await stream("/letters", {}, accept);
      expect(response.status, String(accept)).toBe(200);
      expect(response.type).toBe("text/event-stream; charset=utf-8");
      expect(response.headers.get("cache-control")).toBe("no-cache");
      expect(response.text).toBe('data: "a"\n\ndata: "b"\n\ndata: "c"\n\n');
    }
  });

  it("NDJSON: one JSON line per element", async () => {
    const response = await stream("/letters", {}, "application/x-ndjson");
    expect(response.status).toBe(200);
    expect(response.type).toMatch(/^application\/x-ndjson/);
    expect(response.text).toBe('"a"\n"b"\n"c"\n');
  });

  it("text/plain: the strings themselves, in order", async () => {
    const response = await stream("/letters", {}, "text/plain");
    expect(response.status).toBe(200);
    expect(response.type).toBe("text/plain; charset=utf-8");
    expect(response.text).toBe("abc");
  });

  it("object elements are encoded through their schema (Date, bigint)", async () => {
    const sse = await stream("/points", { count: 2 }, "text/event-stream");
    expect(sse.text).toBe(
      'data: {"i":0,"at":"2024-01-01T00:00:00.000Z","big":"1152921504606846976"}\n\n' +
        'data: {"i":1,"at":"2024-01-02T00:00:00.000Z","big":"1152921504606846977"}\n\n',
    );
    const ndjson = await stream("/points", { count: 2 }, "application/x-ndjson");
    expect(ndjson.text.split("\n").filter(Boolean).map((line) => JSON.parse(line))).toEqual([
      { i: 0, at: "2024-01-01T00:00:00.000Z", big: "1152921504606846976" },
      { i: 1, at: "2024-01-02T00:00:00.000Z", big: "1152921504606846977" },
    ]);
    const empty = await stream("/points", { count: 0 }, "text/event-stream");
    expect(empty.status).toBe(200);
    expect(empty.text).toBe("");
  });

  it("Accept is negotiated: quality values, wildcards and case, the API's order between equals", async () => {
    const cases: Array<[string, string, string]> = [
      ["/points", "application/x-ndjson, */*;q=0.1", "application/x-ndjson"],
      ["/points", "text/event-stream;q=0.2, application/x-ndjson;q=0.9", "application/x-ndjson"],
      ["/points", "Application/X-NDJSON", "application/x-ndjson"],
      ["/points", "text/*", "text/event-stream"],
      ["/letters", "text/*;q=0.5, text/plain", "text/plain"],
      ["/letters", "*/*;q=0.5, application/json", "text/event-stream"],
    ];
    for (const [route, accept, chosen] of cases) {
      const response = await stream(route, route === "/points" ? { count: 1 } : {}, accept);
      expect(response.status, accept).toBe(200);
      expect(response.type?.split(";")[0], accept).toBe(chosen);
    }
  });

  it("an Accept the stream cannot serve → 406; a stream's input is validated like any other → 400", async () => {
    expect((await stream("/points", { count: 1 }, "text/event-stream;q=0, application/xml")).status).toBe(406);
    expect((await stream("/points", { count: 1 }, "text/plain")).status).toBe(406);
    expect((await stream("/letters", {}, "application/xml")).status).toBe(406);
    const invalid = await stream("/points", { count: "2" });
    expect(invalid.status).toBe(400);
    expect(JSON.parse(invalid.text).path).toBe("/count");
  });

  it("a generator that throws ends an SSE stream with an error event that leaks nothing", async () => {
    const response = await stream("/broken", {});
    expect(response.status).toBe(200);
    expect(response.text).toBe('data: "first"\n\nevent: error\ndata: {"error":"The stream failed","status":500}\n\n');
  });
});

describe("keep-alive comments", () => {
  it("an SSE stream that waits for its next element sends comments meanwhile, which leave the events as they are", async () => {
    const response = await stream("/slow", { ms: 5 * KEEP_ALIVE_MS, tag: "kept" });
    expect(response.status).toBe(200);
    const comments = response.text.split(": keep-alive\n\n").length - 1;
    // About 4 in each wait of 5 keep-alive periods; timers may run late, never early.
    expect(comments).toBeGreaterThanOrEqual(4);
    expect(comments).toBeLessThanOrEqual(10);
    expect(response.text.replaceAll(": keep-alive\n\n", "")).toBe('data: "first"\n\ndata: "second"\n\n');
    expect(response.text.indexOf(": keep-alive")).toBe(0);
  });

  it("NDJSON and text streams get none (a comment is no element there), nor does a stream that does not wait", async () => {
    expect((await stream("/slow", { ms: 3 * KEEP_ALIVE_MS, tag: "ndjson" }, "application/x-ndjson")).text).toBe('"first"\n"second"\n');
    expect((await stream("/slow", { ms: 3 * KEEP_ALIVE_MS, tag: "text" }, "text/plain")).text).toBe("firstsecond");
    expect((await stream("/letters", {}, "text/event-stream")).text).toBe('data: "a"\n\ndata: "b"\n\ndata: "c"\n\n');
  });

  it("a client that leaves while the stream waits still closes the generator", async () => {
    const { request, response } = await openStream("/slow", { ms: 4 * KEEP_ALIVE_MS, tag: "left" });
    await new Promise<void>((resolve) => response.setEncoding("utf8").once("data", () => resolve()));
    request.destroy();
    await until(async () => (await probe()).closed.find((entry) => entry.tag === "left"), "the generator's finally", 5_000);
  });
});

describe("stream lifecycle", () => {
  it("a client that disconnects mid-stream closes the generator: its finally runs and its signal is aborted", async () => {
    const { request, response } = await openStream("/endless", { tag: "gone" });
    let received = "";
    await new Promise<void>((resolve) => {
      response.setEncoding("utf8").on("data", (chunk: string) => {
        received += chunk;
        if (received.includes('"gone-2"')) resolve();
      });
    });
    expect(received.startsWith('data: "gone-0"\n\ndata: "gone-1"\n\n')).toBe(true);
    request.destroy();
    const closed = await until(async () => (await probe()).closed.find((entry) => entry.tag === "gone"), "the generator's finally", 5_000);
    expect(closed).toEqual({ tag: "gone", aborted: true });
    // The abandoned request is no longer in flight, and it was counted.
    const metrics = await until(async () => {
      const text = await (await fetch(`${bento.url}/metrics`)).text();
      return /^bentoc_requests_in_flight\{route="\/endless"\} 0$/m.test(text) ? text : undefined;
    }, "the in-flight gauge of /endless to return to 0", 3_000);
    expect(metrics).toMatch(/^bentoc_requests_total\{[^}]*route="\/endless"[^}]*\} 1$/m);
  });

  it("a fetch reader that aborts mid-stream also closes the generator", async () => {
    const controller = new AbortController();
    const response = await fetch(`${bento.url}/endless`, { method: "POST", headers: { "content-type": "application/json", accept: "application/x-ndjson" }, body: JSON.stringify({ tag: "aborted" }), signal: controller.signal });
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toMatch(/^"aborted-0"\n/);
    controller.abort();
    await until(async () => (await probe()).closed.find((entry) => entry.tag === "aborted"), "the generator's finally", 5_000);
  });

  it("a reader that stops reading does not make the server pull the generator without bound", async () => {
    const before = (await probe()).pulls;
    const { request, response } = await openStream("/firehose", { size: 1024 });
    response.pause();
    // Wait for the pulls to settle: socket buffers full, the server's stream paused.
    let last = -1;
    const settled = await until(async () => {
      await new Promise((resolve) => setTimeout(resolve, 150));
      const pulls = (await probe()).pulls - before;
      const done = pulls > 0 && pulls === last ? pulls : undefined;
      last = pulls;
      return done;
    }, "the server to stop pulling", 10_000);
    // What sits in kernel socket buffers and stream buffers: a few MiB at most, far from the 1 GB the generator offers.
    expect(settled).toBeLessThan(TOTAL / 50);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await probe()).pulls - before).toBe(settled);
    request.destroy();
  });
});

// The client runtime against a scripted fetch: which failures it retries (and which it never
// re-sends), stream framing, the codec, multipart bodies, task routes and /docs.json reading.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { endpointsOf, type Endpoint } from "../../manifest/routes.js";
import { codecFor, jsonTextOf, type SchemaSet } from "../../sdk/client/codec.js";
import { ConnectionError, ServerError, TimeoutError, UnavailableError, ValidationError } from "../../sdk/client/errors.js";
import { serverSentEvents } from "../../sdk/client/framing.js";
import { apisOfDocument } from "../../sdk/client/openapi.js";
import { BentocTransport } from "../../sdk/client/transport.js";
import type { ApiDescriptor, FetchFunction } from "../../sdk/client/types.js";
import { FIXTURES_DIR } from "../support/fixtures.js";

type Answer = Response | Error | ((url: string, init: RequestInit) => Response | Promise<Response>);

/** A fetch that answers from a script, one entry per request, and records what was sent. */
function scriptedFetch(...answers: Answer[]): { fetch: FetchFunction; calls: { url: string; init: RequestInit }[] } {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch: FetchFunction = async (url, init) => {
    calls.push({ url, init });
    const answer = answers[Math.min(calls.length, answers.length) - 1]!;
    if (answer instanceof Error) throw answer;
    return typeof answer === "function" ? answer(url, init) : answer.clone();
  };
  return { fetch, calls };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
const socketError = (code: string) => Object.assign(new TypeError("fetch failed"), { cause: Object.assign(new Error(`connect ${code}`), { code }) });
const NO_SCHEMAS: SchemaSet = { defs: {}, refPrefix: "#/$defs/" };
const UNARY: ApiDescriptor = { name: "total", route: "/total", kind: "unary" };

function transport(fetch: FetchFunction, options: { retries?: number; timeoutMs?: number } = {}, schemas = NO_SCHEMAS): BentocTransport {
  return new BentocTransport({ baseUrl: "http://bento.test/prefix/", fetch, ...options }, schemas);
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(() => { throw new Error("expected a failure"); }, (error: unknown) => error);
}

describe("retries: only where the server cannot have started the call", () => {
  it("sends again after refused connections", async () => {
    const script = scriptedFetch(socketError("ECONNREFUSED"), socketError("ECONNREFUSED"), json(200, 42));
    expect(await transport(script.fetch).call(UNARY, {})).toBe(42);
    expect(script.calls.map((call) => call.url)).toEqual(Array(3).fill("http://bento.test/prefix/total"));
  });

  it("gives up with a ConnectionError once the retries are spent", async () => {
    const script = scriptedFetch(socketError("ECONNREFUSED"));
    expect(await failure(transport(script.fetch, { retries: 1 }).call(UNARY, {}))).toBeInstanceOf(ConnectionError);
    expect(script.calls).toHaveLength(2);
  });

  it.each([
    ["a connection reset (the request may have arrived)", socketError("ECONNRESET"), ConnectionError],
    ["a network error with no code (a browser cannot tell)", new TypeError("Failed to fetch"), ConnectionError],
    ["500", json(500, { error: "Internal server error" }), ServerError],
    ["504", json(504, { error: "The API did not finish within the 1 s traffic timeout" }), TimeoutError],
    ["503 without Retry-After", json(503, { error: "Server is closing" }), UnavailableError],
    ["400", json(400, { error: "Invalid input", path: "/a" }), ValidationError],
  ])("never re-sends after %s", async (_what, answer, kind) => {
    const script = scriptedFetch(answer, json(200, "sent twice"));
    expect(await failure(transport(script.fetch).call(UNARY, {}))).toBeInstanceOf(kind);
    expect(script.calls).toHaveLength(1);
  });

  it("waits as long as Retry-After says, then sends again", async () => {
    const script = scriptedFetch(json(503, { error: "busy" }, { "retry-after": "0" }), json(200, "ok"));
    expect(await transport(script.fetch).call(UNARY, {})).toBe("ok");
    expect(script.calls).toHaveLength(2);
  });

  it("fails at once when Retry-After is beyond the call's timeout", async () => {
    const script = scriptedFetch(json(503, { error: "busy" }, { "retry-after": "30" }), json(200, "ok"));
    const started = Date.now();
    const error = await failure(transport(script.fetch, { timeoutMs: 2_000 }).call(UNARY, {}));
    expect(error).toBeInstanceOf(UnavailableError);
    expect((error as UnavailableError).retryAfterMs).toBe(30_000);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(script.calls).toHaveLength(1);
  });

  it("times out with a TimeoutError, status 0, and aborts the request", async () => {
    let signal: AbortSignal | undefined;
    const script = scriptedFetch((_url, init) => new Promise<Response>((_resolve, reject) => {
      signal = init.signal!;
      signal.addEventListener("abort", () => reject(signal!.reason));
    }));
    const error = await failure(transport(script.fetch).call(UNARY, {}, { timeoutMs: 50 }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).status).toBe(0);
    expect(signal?.aborted).toBe(true);
  });

  it("keeps the server's error body and request id", async () => {
    const script = scriptedFetch(json(400, { error: "Invalid input: /a must be number", path: "/a", details: [{ path: "/a", message: "must be number" }] }, { "x-request-id": "req-7" }));
    const error = (await failure(transport(script.fetch).call(UNARY, { a: "x" }))) as ValidationError;
    expect([error.status, error.path, error.requestId, error.details]).toEqual([400, "/a", "req-7", [{ path: "/a", message: "must be number" }]]);
    expect(error.message).toBe("POST /total failed with 400: Invalid input: /a must be number");
  });
});

describe("waitReady", () => {
  it("polls /readyz through refused connections and 503s until it answers 200", async () => {
    const script = scriptedFetch(socketError("ECONNREFUSED"), json(503, { status: "starting" }, { "retry-after": "1" }), json(200, { status: "ready" }));
    await transport(script.fetch).waitReady({ intervalMs: 1 });
    expect(script.calls.map((call) => `${call.init.method} ${call.url}`)).toEqual(Array(3).fill("GET http://bento.test/prefix/readyz"));
  });

  it("gives up with a TimeoutError that says what the last probe got", async () => {
    const script = scriptedFetch(json(503, { status: "starting" }));
    const error = await failure(transport(script.fetch).waitReady({ timeoutMs: 60, intervalMs: 5 }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).message).toMatch(/not ready within 60 ms \(last probe: status 503\)/);
  });
});

describe("streams", () => {
  const chunked = (...chunks: string[]) => new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
      controller.close();
    },
  });

  it("parses SSE split anywhere: CRLF across chunks, multi-line data, comments, a UTF-8 character split in two", async () => {
    const euro = new TextEncoder().encode("€");
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of [": hello\r", "\ndata: 1\r\n\r\nda", "ta: \"a\"\ndata: \"b\"\n\nevent: note\ndata: x"]) controller.enqueue(new TextEncoder().encode(chunk));
        controller.enqueue(new Uint8Array([...new TextEncoder().encode("\n\ndata: \""), euro[0]!]));
        controller.enqueue(new Uint8Array([...euro.slice(1), ...new TextEncoder().encode("\"\n\n")]));
        controller.close();
      },
    });
    const events = [];
    for await (const event of serverSentEvents(body)) events.push([event.event, event.data]);
    expect(events).toEqual([["message", "1"], ["message", "\"a\"\n\"b\""], ["note", "x"], ["message", "\"€\""]]);
  });

  it("turns the server's in-band error event into a ServerError", async () => {
    const script = scriptedFetch(new Response(chunked("data: 1\n\n", "event: error\ndata: {\"error\":\"The stream failed\"}\n\n"), { headers: { "content-type": "text/event-stream" } }));
    const seen: unknown[] = [];
    const error = await failure((async () => {
      for await (const value of transport(script.fetch).stream({ name: "s", route: "/s", kind: "stream", framings: ["text/event-stream"] }, {})) seen.push(value);
    })());
    expect(seen).toEqual([1]);
    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).message).toContain("The stream failed");
  });

  it("asks for SSE and reads NDJSON or text when that is what comes", async () => {
    const ndjson = scriptedFetch(new Response(chunked("{\"a\":1}\n{\"a\"", ":2}\n"), { headers: { "content-type": "application/x-ndjson" } }));
    const values: unknown[] = [];
    for await (const value of transport(ndjson.fetch).stream({ name: "s", route: "/s", kind: "stream", framings: ["application/x-ndjson", "text/event-stream"] }, {})) values.push(value);
    expect(values).toEqual([{ a: 1 }, { a: 2 }]);
    expect(new Headers(ndjson.calls[0]!.init.headers).get("accept")).toBe("text/event-stream");
    const text = scriptedFetch(new Response(chunked("Hel", "lo"), { headers: { "content-type": "text/plain; charset=utf-8" } }));
    const chunks: unknown[] = [];
    for await (const chunk of transport(text.fetch).stream({ name: "s", route: "/s", kind: "stream", framings: ["text/plain"] }, {})) chunks.push(chunk);
    expect(chunks.join("")).toBe("Hello");
  });
});

describe("codec", () => {
  const schemas: SchemaSet = {
    refPrefix: "#/$defs/",
    defs: {
      Event: {
        oneOf: [
          { type: "object", properties: { kind: { const: "plain" } } },
          { type: "object", properties: { kind: { const: "timed" }, at: { type: "string", "x-bentoc-type": "Date" } } },
        ],
      },
      Tree: { type: "object", properties: { size: { type: "string", "x-bentoc-type": "bigint" }, children: { type: "array", items: { $ref: "#/$defs/Tree" } } } },
    },
  };

  it("revives along unions by their discriminators, recursive refs, tuples, records and typed arrays", () => {
    const schema = {
      type: "object",
      properties: {
        events: { type: "array", items: { $ref: "#/$defs/Event" } },
        tree: { $ref: "#/$defs/Tree" },
        pair: { type: "array", prefixItems: [{ type: "string", "x-bentoc-type": "Date" }, true] },
        byName: { type: "object", additionalProperties: { type: ["string", "null"], "x-bentoc-type": "Date" } },
        vector: { type: "array", "x-bentoc-type": "Float32Array" },
        bytes: { type: "string", "x-bentoc-type": "Uint8Array" },
      },
    };
    const revived = codecFor(schema, schemas).revive({
      events: [{ kind: "plain", at: "not a date" }, { kind: "timed", at: "2025-01-01T00:00:00.000Z" }],
      tree: { size: "9007199254740993", children: [{ size: "1", children: [] }] },
      pair: ["2025-02-02T00:00:00.000Z", "2025-02-02T00:00:00.000Z"],
      byName: { a: "2025-03-03T00:00:00.000Z", b: null },
      vector: [0.5, 1.5],
      bytes: "AQID",
    });
    expect(revived).toEqual({
      events: [{ kind: "plain", at: "not a date" }, { kind: "timed", at: new Date("2025-01-01T00:00:00.000Z") }],
      tree: { size: 9007199254740993n, children: [{ size: 1n, children: [] }] },
      pair: [new Date("2025-02-02T00:00:00.000Z"), "2025-02-02T00:00:00.000Z"],
      byName: { a: new Date("2025-03-03T00:00:00.000Z"), b: null },
      vector: new Float32Array([0.5, 1.5]),
      bytes: new Uint8Array([1, 2, 3]),
    });
  });

  it("revives values nested deeper than any limit on schema steps", () => {
    let tree: { size: string; children: unknown[] } = { size: "0", children: [] };
    for (let level = 1; level <= 200; level++) tree = { size: String(level), children: [tree] };
    let revived = codecFor({ $ref: "#/$defs/Tree" }, schemas).revive(tree) as { size: bigint; children: unknown[] };
    while (revived.children.length > 0) revived = revived.children[0] as typeof revived;
    expect(revived.size).toBe(0n);
  });

  it("encodes bigint, Date, bytes, typed arrays and Blobs inside JSON", async () => {
    const schema = {
      type: "object",
      properties: {
        amount: { anyOf: [{ type: "string", "x-bentoc-type": "bigint" }, { type: "null" }] },
        at: { type: "string", "x-bentoc-type": "Date" },
        pcm: { type: "array", "x-bentoc-type": "Int16Array" },
        attachment: { type: "string", "x-bentoc-type": "Blob" },
        raw: { type: "string", "x-bentoc-type": "Uint8Array" },
      },
    };
    const encoded = codecFor(schema, NO_SCHEMAS).encode({
      amount: 2n ** 64n,
      at: new Date("2025-01-01T00:00:00.000Z"),
      pcm: new Int16Array([-1, 2]),
      attachment: new Blob(["hi"]),
      raw: new Uint8Array([255]),
    });
    expect(JSON.parse(await jsonTextOf(encoded))).toEqual({
      amount: "18446744073709551616", at: "2025-01-01T00:00:00.000Z", pcm: [-1, 2], attachment: "aGk=", raw: "/w==",
    });
  });
});

describe("request bodies and routes", () => {
  it("sends multipart with a part per argument: files as files, strings raw, the rest JSON", async () => {
    const script = scriptedFetch(json(200, null));
    const api: ApiDescriptor = { name: "ocr", route: "/ocr", kind: "unary", parts: { scan: "file", pages: "files", title: "text", note: "text-or-json", options: "json" }, input: { type: "object", properties: { options: { type: "object", properties: { at: { type: "string", "x-bentoc-type": "Date" } } } } } };
    await transport(script.fetch).call(api, {
      scan: new File(["%PDF"], "scan.pdf", { type: "application/pdf" }),
      pages: [new Uint8Array([1]), new Blob(["2"])],
      title: "\"quoted\"",
      note: "\"looks like JSON\"",
      options: { at: new Date("2025-01-01T00:00:00.000Z") },
      nothing: null,
      skipped: undefined,
    });
    const form = script.calls[0]!.init.body as FormData;
    expect(form).toBeInstanceOf(FormData);
    expect(new Headers(script.calls[0]!.init.headers).get("content-type")).toBeNull();
    const scan = form.get("scan") as File;
    expect([scan.name, scan.type, await scan.text()]).toEqual(["scan.pdf", "application/pdf", "%PDF"]);
    expect(form.getAll("pages").map((page) => (page as File).name)).toEqual(["pages", "pages"]);
    expect(form.get("title")).toBe("\"quoted\"");
    expect(form.get("note")).toBe(JSON.stringify("\"looks like JSON\""));
    expect(form.get("options")).toBe("{\"at\":\"2025-01-01T00:00:00.000Z\"}");
    expect(form.get("nothing")).toBe("null");
    expect(form.has("skipped")).toBe(false);
  });

  it("refuses a wrong file argument before sending anything", async () => {
    const script = scriptedFetch(json(200, null));
    const api: ApiDescriptor = { name: "ocr", route: "/ocr", kind: "unary", parts: { scan: "file" } };
    const error = await failure(transport(script.fetch).call(api, { scan: "scan.pdf" }));
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toBe("Argument 'scan' is a file: pass a Blob, a File or a Uint8Array");
    expect(script.calls).toHaveLength(0);
  });

  it("speaks the task routes: submit, then status, get, cancel and retry by task_id", async () => {
    const status = { task_id: "t/1", status: "running", created_at: "2025-01-01T00:00:00.000Z", executed_at: null };
    const script = scriptedFetch(
      json(200, { task_id: "t/1", status: "pending" }),
      json(200, status),
      json(200, { finishedAt: "2025-01-02T00:00:00.000Z" }),
      json(200, { ...status, status: "cancelled" }),
      json(200, { ...status, task_id: "t/2" }),
    );
    const api: ApiDescriptor = { name: "train", route: "/train", kind: "task", output: { type: "object", properties: { finishedAt: { type: "string", "x-bentoc-type": "Date" } } } };
    const train = transport(script.fetch).task<{ finishedAt: Date }>(api);
    const handle = await train.submit({ epochs: 2 });
    expect(handle.id).toBe("t/1");
    expect(await handle.status()).toEqual({ ...status, created_at: new Date(status.created_at) });
    expect(await handle.get()).toEqual({ finishedAt: new Date("2025-01-02T00:00:00.000Z") });
    expect((await handle.cancel()).status).toBe("cancelled");
    expect((await handle.retry()).id).toBe("t/2");
    // The client runtime may not import the manifest (it is copied into generated clients): this holds it to the server's table.
    const query = (endpoint: Endpoint) => (endpoint.path.endsWith("/submit") ? "" : "?task_id=t%2F1");
    expect(script.calls.map((call) => `${call.init.method} ${call.url.replace("http://bento.test/prefix", "")}`)).toEqual(
      endpointsOf({ kind: "task", route: "/train", httpMethod: "POST" }).map((endpoint) => `${endpoint.method} ${endpoint.path}${query(endpoint)}`),
    );
  });

  it("reads routes, kinds, parts and framings back from an OpenAPI document", () => {
    const read = (fixture: string) => apisOfDocument(JSON.parse(fs.readFileSync(path.join(FIXTURES_DIR, fixture, "expected", "openapi.json"), "utf8")));
    const tasks = read("tasks").apis;
    expect(tasks.get("batchInference")).toMatchObject({ kind: "task", route: "/jobs/batch-inference" });
    expect(tasks.get("busyNow")).toMatchObject({ kind: "unary", route: "/busyNow" });
    expect([...tasks.keys()].some((name) => name.endsWith("_status"))).toBe(false);
    const files = read("binary-files").apis;
    expect(files.get("ocr")?.parts).toEqual({ document: "file", options: "json", mask: "file" });
    expect(files.get("merge")).toMatchObject({ parts: { pages: "files", title: "text" }, bytes: "Uint8Array" });
    expect(read("streams-text").apis.get("generate")).toMatchObject({ kind: "stream", framings: ["text/event-stream", "application/x-ndjson", "text/plain"] });
  });
});

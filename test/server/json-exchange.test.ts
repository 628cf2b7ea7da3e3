// The lean JSON exchange a remote dependency call goes through (runtime/dependencies/json-exchange.ts),
// against a real HTTP server on 127.0.0.1: the answer and its raw headers, and every way the
// caller's abort reaches it (before it is sent, while it waits for a connection, in flight).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Pool } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RequestContext } from "../../runtime/context.js";
import { CallerAborted, exchangeJson, rawHeader } from "../../runtime/dependencies/json-exchange.js";
import { until } from "../support/bento-server.js";

const arrived: string[] = [];
const held: http.ServerResponse[] = [];
const server = http.createServer((request, response) => {
  let body = "";
  request.setEncoding("utf8").on("data", (chunk: string) => (body += chunk)).on("end", () => {
    arrived.push(`${request.url} ${body}`);
    if (request.url === "/hold") {
      held.push(response);
      return;
    }
    if (request.url === "/shed") {
      response.writeHead(503, { "content-type": "application/json", "retry-after": "7", "X-Request-Id": String(request.headers["x-request-id"]) });
      response.end(JSON.stringify({ error: "busy" }));
      return;
    }
    response.writeHead(200, { "content-type": "application/json" });
    // Two writes, so the body comes in more than one chunk.
    response.write(`{"echo":${body},`);
    response.end(`"id":${JSON.stringify(request.headers["x-request-id"] ?? null)}}`);
  });
});
let pool: Pool;
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  pool = new Pool(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, { connections: 1 });
});
afterAll(async () => {
  for (const response of held) response.destroy();
  await pool.destroy();
  await new Promise((resolve) => server.close(resolve));
});

const post = (path: string, body: string, headers: string[] = ["content-type", "application/json"]) => ({ path, method: "POST" as const, headers, body });
const rejection = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

describe("exchangeJson", () => {
  it("answers the status, the whole body as text, and the raw headers of the answer", async () => {
    const answer = await exchangeJson(pool, post("/echo", `{"n":1}`, ["content-type", "application/json", "x-request-id", "req-1"]), {});
    expect([answer.status, JSON.parse(answer.text)]).toEqual([200, { echo: { n: 1 }, id: "req-1" }]);
    const shed = await exchangeJson(pool, post("/shed", "{}", ["x-request-id", "req-2"]), {});
    expect([shed.status, rawHeader(shed.rawHeaders, "retry-after"), rawHeader(shed.rawHeaders, "x-request-id"), rawHeader(shed.rawHeaders, "etag")]).toEqual([503, "7", "req-2", undefined]);
  });

  it("sends nothing for a caller whose signal or Context was aborted already", async () => {
    const before = arrived.length;
    const controller = new AbortController();
    controller.abort(new Error("gone before"));
    const bySignal = await rejection(exchangeJson(pool, post("/echo", "1"), { signal: controller.signal }));
    const context = new RequestContext({}, "req-3");
    context.abort(new Error("context gone"));
    const byContext = await rejection(exchangeJson(pool, post("/echo", "2"), { context }));
    expect([bySignal, byContext].map((error) => error instanceof CallerAborted && (error.reason as Error).message)).toEqual(["gone before", "context gone"]);
    expect(await exchangeJson(pool, post("/echo", "3"), {}).then((answer) => answer.status)).toBe(200);
    expect(arrived.slice(before)).toEqual(["/echo 3"]);
  });

  it("tells a caller who aborts while its request waits for the pool's one connection at once, and never sends it", async () => {
    const before = arrived.length;
    const holding = rejection(exchangeJson(pool, post("/hold", "{}"), {}));
    await until(() => arrived.length > before || undefined, "the held request to arrive");
    const context = new RequestContext({}, "req-4");
    const queued = rejection(exchangeJson(pool, post("/echo", "queued"), { context }));
    context.abort(new Error("caller left"));
    const error = await queued;
    expect(error instanceof CallerAborted && (error.reason as Error).message).toBe("caller left");
    held.pop()!.end("{}");
    await holding;
    expect(await exchangeJson(pool, post("/echo", "after"), {}).then((answer) => answer.text)).toBe(`{"echo":after,"id":null}`);
    expect(arrived.slice(before)).toEqual(["/hold {}", "/echo after"]);
  });

  it("aborts a request in flight with the caller's reason", async () => {
    const before = arrived.length;
    const controller = new AbortController();
    const inFlight = rejection(exchangeJson(pool, post("/hold", "{}"), { signal: controller.signal }));
    await until(() => arrived.length > before || undefined, "the held request to arrive");
    controller.abort(new Error("no longer needed"));
    const error = await inFlight;
    expect(error instanceof CallerAborted && (error.reason as Error).message).toBe("no longer needed");
    // The aborted request's connection is closed; the pool opens another for the next one.
    expect(await exchangeJson(pool, post("/echo", "next"), {}).then((answer) => answer.status)).toBe(200);
  });

  it("rejects with undici's error, not a CallerAborted, when the server is not there", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const origin = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));
    const nowhere = new Pool(origin);
    const error = await rejection(exchangeJson(nowhere, post("/echo", "{}"), {}));
    await nowhere.destroy();
    expect(error).toBeInstanceOf(Error);
    expect((error as { code?: string }).code).toBe("ECONNREFUSED");
  });
});

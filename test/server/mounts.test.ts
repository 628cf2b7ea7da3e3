// Routes of a service's own beside its APIs (@mount): a Fastify plugin and a plain Node handler,
// served by the bento's server as a container runs it (main.mjs as a child process): same port,
// request ids, readiness, access lines, metrics and graceful stop; not in the OpenAPI document.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildBento, postJson, until, type BuiltBento, type SpawnedBento } from "../support/bento-server.js";
import { logLines } from "../support/log-lines.js";

const SERVICE = `
import type { IncomingMessage, ServerResponse } from "node:http";
import { api, mount, service, type FastifyInstance } from "bentoc";

@service()
export class Shop {
  private orders = 0;

  @api()
  async order(item: string): Promise<number> {
    return ++this.orders;
  }

  /** An admin area: a Fastify plugin, with a schema of its own. */
  @mount("/admin")
  admin(app: FastifyInstance): void {
    app.get("/", async () => ({ orders: this.orders }));
    app.post("/reset", { schema: { body: { type: "object", required: ["confirm"], properties: { confirm: { const: true } } } } }, async () => {
      this.orders = 0;
      return { reset: true };
    });
    app.get("/broken", async () => {
      throw new Error("secret admin internals");
    });
  }

  /** Webhooks with their own signature check: a plain Node handler, reading the raw body itself. */
  @mount("/hooks")
  async hooks(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.url === "/hooks/throw") throw new Error("secret hook internals");
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    if (request.url === "/hooks/slow") await new Promise((resolve) => setTimeout(resolve, 400));
    const body = Buffer.concat(chunks).toString("utf8");
    response.writeHead(request.headers["x-signature"] === "ok" ? 202 : 401, { "content-type": "text/plain" });
    response.end(\`\${request.method} \${request.url} \${request.headers["content-type"] ?? "-"} \${body}\`);
  }
}
`;

let built: BuiltBento;
let bento: SpawnedBento;
beforeAll(async () => {
  built = await buildBento(SERVICE);
  bento = await built.spawn();
}, 60_000);
afterAll(async () => {
  await bento?.close();
  built?.remove();
});

describe("a mounted Fastify plugin", () => {
  it("serves its routes under the prefix, beside the APIs, with the request id", async () => {
    expect((await postJson(`${bento.url}/order`, { item: "tea" })).body).toBe(1);
    const admin = await fetch(`${bento.url}/admin`, { headers: { "x-request-id": "admin-1" } });
    expect([admin.status, admin.headers.get("x-request-id"), await admin.json()]).toEqual([200, "admin-1", { orders: 1 }]);
    const refused = await postJson(`${bento.url}/admin/reset`, { confirm: false });
    expect(refused.status).toBe(400);
    expect((await postJson(`${bento.url}/admin/reset`, { confirm: true })).body).toEqual({ reset: true });
    expect(await (await fetch(`${bento.url}/admin/`)).json()).toEqual({ orders: 0 });
  });

  it("answers a route's failure with the server's 500, telling nothing of it, and logs it", async () => {
    const broken = await fetch(`${bento.url}/admin/broken`, { headers: { "x-request-id": "broken-1" } });
    const text = await broken.text();
    expect([broken.status, JSON.parse(text)]).toEqual([500, { error: "Internal server error", request_id: "broken-1" }]);
    expect(text).not.toContain("secret");
    await until(() => logLines(bento.output()).find((line) => line.reqId === "broken-1" && line.level === 50), "the failure to be logged");
  });
});

describe("a mounted Node handler", () => {
  it("gets every method and path below the prefix with the body unread, whatever its type", async () => {
    const signed = await fetch(`${bento.url}/hooks/github?delivery=7`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", "x-signature": "ok" }, body: "payload=%7B%7D" });
    expect([signed.status, await signed.text()]).toEqual([202, "POST /hooks/github?delivery=7 application/x-www-form-urlencoded payload=%7B%7D"]);
    expect(signed.headers.get("x-request-id")).toMatch(/\S/);
    const unsigned = await fetch(`${bento.url}/hooks`, { method: "PUT", headers: { "content-type": "application/json" }, body: "{not json" });
    expect([unsigned.status, await unsigned.text()]).toEqual([401, "PUT /hooks application/json {not json"]);
  });

  it("answers 500 when the handler throws before answering, and logs it", async () => {
    const thrown = await fetch(`${bento.url}/hooks/throw`, { headers: { "x-request-id": "hook-throw" } });
    expect([thrown.status, await thrown.json()]).toEqual([500, { error: "Internal server error", request_id: "hook-throw" }]);
    await until(() => logLines(bento.output()).find((line) => line.reqId === "hook-throw" && line.msg === "the mounted handler threw"), "the failure to be logged");
  });
});

describe("mounted routes and the server's own", () => {
  it("leave the OpenAPI document and the server's routes as they were, and count in the access log and metrics", async () => {
    const document = (await (await fetch(`${bento.url}/docs.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(document.paths).filter((path) => path.startsWith("/admin") || path.startsWith("/hooks"))).toEqual([]);
    expect((await fetch(`${bento.url}/readyz`)).status).toBe(200);
    await fetch(`${bento.url}/admin`, { headers: { "x-request-id": "counted-admin" } });
    const access = await until(() => logLines(bento.output()).find((line) => line.msg === "request" && line.reqId === "counted-admin"), "the access line");
    expect(access).toMatchObject({ method: "GET", status: 200 });
    const metrics = await (await fetch(`${bento.url}/metrics`)).text();
    expect(metrics).toMatch(/bentoc_requests_total\{route="\/admin",method="GET",status="200"\} [1-9]/);
  });

  it("finish a mounted request in flight on SIGTERM before the process exits 0", async () => {
    const own = await built.spawn();
    const slow = fetch(`${own.url}/hooks/slow`, { method: "POST", headers: { "x-signature": "ok" }, body: "x" });
    await until(() => logLines(own.output()).length > 0 || undefined, "the server to log");
    await new Promise((resolve) => setTimeout(resolve, 100));
    own.child.kill("SIGTERM");
    const answer = await slow;
    expect([answer.status, await answer.text()]).toEqual([202, "POST /hooks/slow text/plain;charset=UTF-8 x"]);
    expect(await own.exited).toBe(0);
  });
});

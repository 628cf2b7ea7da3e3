import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { buildBento, postJson, until, type BuiltBento, type SpawnedBento } from "../support/bento-server.js";
import { logLines } from "../support/log-lines.js";
import { freePort } from "../support/ports.js";

const SERVICE = `
import { api, service, type int32 } from "bentoc";

let entered = 0;

@service({ traffic: { timeout: 20 } })
export class Logged {
  @api()
  async echo(id: int32): Promise<int32> {
    return id;
  }

  @api()
  async slow(id: int32, ms: int32): Promise<int32> {
    entered++;
    await new Promise((resolve) => setTimeout(resolve, ms));
    return id;
  }

  @api()
  async entered(): Promise<int32> {
    return entered;
  }

  @api()
  async explode(): Promise<int32> {
    throw new Error("the method blew up");
  }

  @api()
  async *count(n: int32): AsyncGenerator<int32> {
    for (let i = 0; i < n; i++) yield i;
  }

  /** Returns what its schema does not allow: the server answers 500. */
  @api()
  async broken(): Promise<{ name: string }> {
    return {} as { name: string };
  }

  /** Throws outside any request, after answering: the process crashes. */
  @api()
  async crash(): Promise<int32> {
    setTimeout(() => {
      throw new Error("crashed on purpose");
    }, 50);
    return 0;
  }
}
`;

const accessLines = (output: string) => logLines(output).filter((line) => line.msg === "request");

let built: BuiltBento;
let bento: SpawnedBento | undefined;
beforeAll(async () => {
  built = await buildBento(SERVICE);
});
afterEach(async () => {
  await bento?.close();
  bento = undefined;
});
afterAll(() => built?.remove());

/** SIGTERM, then the whole output once the process has exited 0. */
async function stop(running: SpawnedBento): Promise<string> {
  running.child.kill("SIGTERM");
  expect(await running.exited, running.output()).toBe(0);
  return running.output();
}

describe("request logging of main.mjs (JSON logs)", () => {
  it("writes exactly one access line per request, with method, route, status, duration, bytes and request id, and no Fastify request lines", async () => {
    bento = await built.spawn();
    const count = 25;
    const responses = await Promise.all(Array.from({ length: count }, (_, id) => postJson(`${bento!.url}/echo`, { id }, { "x-request-id": `call-${id}` })));
    expect(responses.map((response) => response.status)).toEqual(Array(count).fill(200));
    const missing = await postJson(`${bento.url}/nowhere`, {}, { "x-request-id": "missing-1" });
    expect(missing.status).toBe(404);

    const output = await stop(bento);
    const lines = accessLines(output);
    expect(lines).toHaveLength(count + 1);
    for (let id = 0; id < count; id++) {
      const line = lines.find((candidate) => candidate.reqId === `call-${id}`);
      expect(line, `access line of call-${id}`).toMatchObject({ level: 30, method: "POST", route: "/echo", status: 200, bytes: String(id).length });
      expect(typeof line!.durationMs).toBe("number");
      // The line is written without pino (access-log.ts), in the form pino gives its lines.
      expect(Object.keys(line!)).toEqual(["level", "time", "pid", "hostname", "reqId", "method", "route", "status", "durationMs", "bytes", "msg"]);
    }
    expect(lines.find((line) => line.reqId === "missing-1")).toMatchObject({ method: "POST", status: 404 });
    const messages = logLines(output).map((line) => line.msg);
    expect(messages).not.toContain("incoming request");
    expect(messages).not.toContain("request completed");
    // Turning Fastify's lines off the deprecated way printed a FastifyDeprecation warning at every start.
    expect(output).not.toMatch(/Deprecation|FSTDEP/);
  });

  it("writes exactly one line for every kind of response: a stream, a result that fails its schema, a malformed body, another route, a wrong method", async () => {
    bento = await built.spawn();
    const { url } = bento;
    const stream = await fetch(`${url}/count`, { method: "POST", headers: { "content-type": "application/json", "x-request-id": "stream-1" }, body: JSON.stringify({ n: 3 }) });
    const streamed = await stream.text();
    expect(stream.status).toBe(200);
    expect((await postJson(`${url}/broken`, {}, { "x-request-id": "broken-1" })).status).toBe(500);
    const malformed = await fetch(`${url}/echo`, { method: "POST", headers: { "content-type": "application/json", "x-request-id": "malformed-1" }, body: "{" });
    expect(malformed.status).toBe(400);
    expect((await fetch(`${url}/readyz`, { headers: { "x-request-id": "ready-1" } })).status).toBe(200);
    expect((await fetch(`${url}/echo`, { headers: { "x-request-id": "get-1" } })).status).toBe(405);

    const lines = accessLines(await stop(bento));
    const linesOf = (id: string) => lines.filter((line) => line.reqId === id);
    expect(linesOf("stream-1")).toMatchObject([{ method: "POST", route: "/count", status: 200, bytes: Buffer.byteLength(streamed) }]);
    expect(linesOf("broken-1")).toMatchObject([{ route: "/broken", status: 500 }]);
    expect(linesOf("malformed-1")).toMatchObject([{ route: "/echo", status: 400 }]);
    expect(linesOf("ready-1")).toMatchObject([{ method: "GET", route: "/readyz", status: 200 }]);
    expect(linesOf("get-1")).toMatchObject([{ method: "GET", status: 405 }]);
  });

  it("after SIGTERM, the access lines of finished and in-flight requests are all in the output", async () => {
    bento = await built.spawn();
    const { url } = bento;
    const finished = await Promise.all([1, 2, 3].map((id) => postJson(`${url}/echo`, { id }, { "x-request-id": `done-${id}` })));
    expect(finished.map((response) => response.status)).toEqual([200, 200, 200]);
    const inFlight = [1, 2, 3].map((id) => postJson(`${url}/slow`, { id, ms: 600 }, { "x-request-id": `slow-${id}` }));
    await until(async () => ((await postJson(`${url}/entered`, {})).body === 3 ? true : undefined), "the slow calls to be in flight", 5_000);

    const output = await stop(bento);
    expect((await Promise.all(inFlight)).map((response) => response.status)).toEqual([200, 200, 200]);
    const byId = new Map(accessLines(output).map((line) => [line.reqId, line]));
    for (const id of [1, 2, 3]) {
      expect(byId.get(`done-${id}`), output).toMatchObject({ route: "/echo", status: 200 });
      expect(byId.get(`slow-${id}`), output).toMatchObject({ route: "/slow", status: 200 });
    }
  });

  it("logs an error thrown inside a method at error level, beside the request's access line", async () => {
    bento = await built.spawn();
    const response = await postJson(`${bento.url}/explode`, {}, { "x-request-id": "boom-1" });
    expect(response.status).toBe(500);

    const output = await stop(bento);
    const errors = logLines(output).filter((line) => line.level >= 50 && line.reqId === "boom-1");
    expect(errors).toHaveLength(1);
    expect(errors[0]!.err?.message).toBe("the method blew up");
    expect(accessLines(output).filter((line) => line.reqId === "boom-1")).toMatchObject([{ route: "/explode", status: 500 }]);
  });

  it("on a crash, the buffered access lines and the uncaught exception (as fatal) are written before the process exits", async () => {
    bento = await built.spawn();
    const calls = await Promise.all([1, 2, 3].map((id) => postJson(`${bento!.url}/echo`, { id }, { "x-request-id": `before-crash-${id}` })));
    expect(calls.map((response) => response.status)).toEqual([200, 200, 200]);
    expect((await postJson(`${bento.url}/crash`, {}, { "x-request-id": "crash-1" })).status).toBe(200);

    expect(await bento.exited).toBe(1);
    const output = bento.output();
    const ids = accessLines(output).map((line) => line.reqId);
    expect(ids, output).toEqual(expect.arrayContaining(["before-crash-1", "before-crash-2", "before-crash-3", "crash-1"]));
    expect(logLines(output).filter((line) => line.level === 60).map((line) => line.err?.message)).toEqual(["crashed on purpose"]);
  });
});

describe("request logging of main.mjs (pretty lines)", () => {
  it("with BENTOC_LOG_FORMAT=pretty, the access line is a readable line with the same fields", async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [built.mainFile], {
      cwd: built.dir,
      env: { ...process.env, BENTOC_PORT: String(port), BENTOC_HOST: "127.0.0.1", BENTOC_LOG_FORMAT: "pretty", BENTOC_LOG_LEVEL: "info", BENTOC_TASK_STORE: "memory", NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    try {
      const url = `http://127.0.0.1:${port}`;
      await until(async () => ((await fetch(`${url}/readyz`).catch(() => undefined))?.status === 200 ? true : undefined), "the pretty bento to be ready", 15_000);
      expect((await postJson(`${url}/echo`, { id: 7 }, { "x-request-id": "pretty-1" })).status).toBe(200);
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
    } finally {
      child.kill("SIGKILL");
    }
    // pino-pretty: "[time] INFO (…): request", then one indented "key: value" line per field.
    const entries = output.split(/\n(?=\[)/); // each entry starts with "[time]"
    const access = entries.filter((entry) => /^\[[^\]]+\] INFO.*: request\n/.test(entry) && entry.includes('reqId: "pretty-1"'));
    expect(access, output).toHaveLength(1);
    const fields = access[0]!;
    expect(fields).toMatch(/route: "\/echo"/);
    expect(fields).toMatch(/status: 200/);
    expect(output).not.toMatch(/^\{"level"/m); // no JSON lines
  });
});


import http from "node:http";
import { setTimeout as delay } from "node:timers/promises";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postJson, startBento, type RunningBento } from "../support/bento-server.js";

const SERVICE = `
import { api, service, type Context, type int32 } from "bentoc";

export interface Address {
  street: string;
  /** @minLength 2 */
  city: string;
  zip?: string;
}

export interface Person {
  name: string;
  /** @minimum 0 @maximum 150 */
  age: int32;
  address: Address;
  tags?: string[];
}

export interface Moment {
  year: number;
  isDate: boolean;
  nType: string;
  next: bigint;
  dayAfter: Date;
}

@service()
export class Calls {
  @api()
  async greet(name: string, punctuation = "!", times: int32 = 2, extras: string[] = ["x"]): Promise<{ text: string; extras: string[] }> {
    extras.push("pushed"); // a default must be fresh on every call, never shared between requests
    return { text: (name + punctuation).repeat(times), extras };
  }

  @api()
  async moment(when: Date, n: bigint, step: bigint = 10n): Promise<Moment> {
    return { year: when.getUTCFullYear(), isDate: when instanceof Date, nType: typeof n, next: n + step, dayAfter: new Date(when.getTime() + 86_400_000) };
  }

  @api()
  async register(person: Person): Promise<string> {
    return person.name + "@" + person.address.city + ":" + Object.getPrototypeOf(person).constructor.name;
  }

  @api()
  async fail(kind: "plain" | "status" | "string" | "nothing"): Promise<string> {
    if (kind === "plain") throw new Error("secret: db password hunter2");
    if (kind === "status") throw Object.assign(new Error("secret: upstream token abc123"), { statusCode: 400, code: "E_UPSTREAM" });
    if (kind === "string") throw "secret: a thrown string";
    throw undefined;
  }

  @api()
  async unserializable(): Promise<{ count?: number; extra?: unknown }> {
    return { count: 1, extra: { secret: 10n } }; // a bigint where the type says "any JSON value"
  }

  @api()
  async nothing(): Promise<void> {}

  @api()
  async create(ctx: Context, id: string): Promise<{ id: string; requestId: string }> {
    ctx.response.status = 201;
    ctx.response.headers["x-created-id"] = id;
    ctx.response.headers["location"] = "/items/" + id;
    return { id, requestId: ctx.requestId };
  }
}
`;

const BODY_LIMIT = 64 * 1024;
let bento: RunningBento;
beforeAll(async () => {
  bento = await startBento(SERVICE, { bodyLimit: BODY_LIMIT });
});
afterAll(() => bento?.close());

const call = (route: string, body: unknown, headers?: Record<string, string>) => postJson(`${bento.url}${route}`, body, headers);
const send = (route: string, body: BodyInit, headers: Record<string, string>) =>
  fetch(`${bento.url}${route}`, { method: "POST", headers, body, signal: AbortSignal.timeout(15_000) });

/**
 * POSTs a chunked JSON body (no Content-Length) in separate writes, apart in time so the server
 * reads them apart. Resolves with the response, which may come before every part was sent;
 * `end: false` leaves the body unfinished, so only an early answer resolves.
 */
function sendInParts(route: string, parts: Buffer[], { end = true } = {}): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const request = http.request(`${bento.url}${route}`, { method: "POST", headers: { "content-type": "application/json", "transfer-encoding": "chunked" } }, (response) => {
      answered = true;
      let text = "";
      response.setEncoding("utf8").on("data", (chunk: string) => (text += chunk)).on("end", () => {
        resolve({ status: response.statusCode!, text });
        request.destroy();
      });
    });
    request.on("error", (error) => answered || reject(error)); // after an early answer the server may close mid-body
    void (async () => {
      for (const part of parts) {
        if (answered || request.destroyed) return;
        request.write(part);
        await delay(30);
      }
      if (end) request.end();
    })();
  });
}

describe("a valid call", () => {
  it("answers 200 with the typed result", async () => {
    const response = await call("/register", { person: { name: "Ada", age: 36, address: { street: "1 Main St", city: "London" } } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(response.body).toBe("Ada@London:Object");
  });

  it("revives Date and bigint arguments, and encodes them in the result", async () => {
    const response = await call("/moment", { when: "2024-02-29T12:00:00.000Z", n: "9007199254740993" });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ year: 2024, isDate: true, nType: "bigint", next: "9007199254741003", dayAfter: "2024-03-01T12:00:00.000Z" });
  });

  it("applies default parameter values when the argument is absent, fresh for every call", async () => {
    for (let round = 0; round < 2; round++) {
      const response = await call("/greet", { name: "Ada" });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ text: "Ada!Ada!", extras: ["x", "pushed"] });
    }
    const given = await call("/greet", { name: "Bo", punctuation: "?", times: 1, extras: [] });
    expect(given.body).toEqual({ text: "Bo?", extras: ["pushed"] });
    const bigintDefault = await call("/moment", { when: "2000-01-01T00:00:00Z", n: "1" });
    expect(bigintDefault.body.next).toBe("11");
  });

  it.each([
    ["gzip", zlib.gzipSync],
    ["deflate", zlib.deflateSync],
    ["br", zlib.brotliCompressSync],
    ["GZip", zlib.gzipSync],
  ] as const)("decodes a %s body within the limit", async (encoding, compress) => {
    const response = await send("/greet", compress(JSON.stringify({ name: "Zip", times: 1 })), { "content-type": "application/json", "content-encoding": encoding });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ text: "Zip!", extras: ["x", "pushed"] });
  });
});

describe("a body read in parts", () => {
  it("joins the parts, with a character split between two of them", async () => {
    const bytes = Buffer.from(JSON.stringify({ name: "Zoë", times: 1 }));
    const split = bytes.indexOf(Buffer.from("ë")) + 1; // between the two bytes of "ë"
    const response = await sendInParts("/greet", [bytes.subarray(0, split), bytes.subarray(split)]);
    expect(response.status).toBe(200);
    expect(JSON.parse(response.text)).toEqual({ text: "Zoë!", extras: ["x", "pushed"] });
  });

  it("a chunked body that grows past the limit → 413, without waiting for its end", async () => {
    const part = Buffer.from(`{"name":"${"x".repeat(BODY_LIMIT / 2)}`);
    const response = await sendInParts("/greet", [part, part, part], { end: false });
    expect(response.status).toBe(413);
    expect(JSON.parse(response.text).error).toContain(String(BODY_LIMIT));
  }, 10_000);
});

describe("invalid input", () => {
  const person = { name: "Ada", age: 36, address: { street: "1 Main St", city: "London" } };
  it.each([
    ["a wrong type", "/greet", { name: 42 }, "/name"],
    ["a string for a number (no coercion)", "/greet", { name: "Ada", times: "3" }, "/times"],
    ["a missing required argument", "/greet", { punctuation: "?" }, "/name"],
    ["a violated constraint", "/register", { person: { ...person, age: 151 } }, "/person/age"],
    ["a nested violated constraint", "/register", { person: { ...person, address: { street: "x", city: "L" } } }, "/person/address/city"],
    ["a missing nested property", "/register", { person: { ...person, address: { city: "London" } } }, "/person/address/street"],
    ["a non-integer for an int32", "/register", { person: { ...person, age: 1.5 } }, "/person/age"],
    ["a malformed date-time", "/moment", { when: "yesterday", n: "1" }, "/when"],
    ["a malformed bigint", "/moment", { when: "2024-01-01T00:00:00Z", n: "12abc" }, "/n"],
    ["a value outside the enum", "/fail", { kind: "other" }, "/kind"],
  ])("%s → 400 naming the path", async (_case, route, body, failingPath) => {
    const response = await call(route, body);
    expect(response.status).toBe(400);
    expect(response.body.path).toBe(failingPath);
    expect(response.body.error).toContain(failingPath);
    expect(response.body.details.map((detail: { path: string }) => detail.path)).toContain(failingPath);
  });

  it("a body that is not JSON → 400", async () => {
    const response = await send("/greet", "{ not json", { "content-type": "application/json" });
    expect(response.status).toBe(400);
    expect((await response.json()).error).toBeTypeOf("string");
  });

  it("a body that starts with a byte-order mark parses as without it", async () => {
    const response = await send("/greet", "\ufeff" + JSON.stringify({ name: "Bom", times: 1 }), { "content-type": "application/json" });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ text: "Bom!", extras: ["x", "pushed"] });
  });

  it("a JSON body that is not an object → 400", async () => {
    for (const body of ["[]", '"Ada"', "null", "3"]) {
      const response = await send("/greet", body, { "content-type": "application/json" });
      expect(response.status, body).toBe(400);
    }
  });
});

describe("rejected requests", () => {
  it("an unknown route → 404 JSON", async () => {
    for (const [method, route] of [["POST", "/nope"], ["GET", "/"], ["GET", "/greet/more"]] as const) {
      const response = await fetch(`${bento.url}${route}`, { method });
      expect(response.status, `${method} ${route}`).toBe(404);
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      expect((await response.json()).error).toContain(route);
    }
  });

  it("a known route called with another method → 405 JSON, with the methods it answers in Allow", async () => {
    for (const [method, route, allow] of [["GET", "/greet", "POST"], ["DELETE", "/greet?x=1", "POST"], ["POST", "/livez", "GET, HEAD"], ["PUT", "/docs/swagger-ui.css", "GET, HEAD"]] as const) {
      const response = await fetch(`${bento.url}${route}`, { method });
      expect(response.status, `${method} ${route}`).toBe(405);
      expect(response.headers.get("allow"), `${method} ${route}`).toBe(allow);
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      const body = await response.json();
      expect(body.error).toContain(route.split("?")[0]);
      expect(body.request_id).toBe(response.headers.get("x-request-id"));
    }
  });

  it("a body over the limit → 413", async () => {
    const response = await call("/greet", { name: "x".repeat(BODY_LIMIT + 1) });
    expect(response.status).toBe(413);
    expect(response.body.error).toContain(String(BODY_LIMIT));
  });

  it("a gzip body whose decoded size is over the limit (encoded size under it) → 413", async () => {
    const body = zlib.gzipSync(JSON.stringify({ name: " ".repeat(4 * BODY_LIMIT) }));
    expect(body.length).toBeLessThan(BODY_LIMIT);
    const response = await send("/greet", body, { "content-type": "application/json", "content-encoding": "gzip" });
    expect(response.status).toBe(413);
  });

  it("a content encoding the server does not know → 415 naming the ones it does", async () => {
    const response = await send("/greet", JSON.stringify({ name: "a" }), { "content-type": "application/json", "content-encoding": "zstd-ish" });
    expect(response.status).toBe(415);
    const body = await response.json();
    expect(body.error).toContain("'zstd-ish'");
    expect(body.error).toContain("gzip");
  });

  it("a body that claims gzip but is not → 400", async () => {
    const response = await send("/greet", JSON.stringify({ name: "a" }), { "content-type": "application/json", "content-encoding": "gzip" });
    expect(response.status).toBe(400);
    expect((await response.json()).error).toContain("gzip");
  });

  it.each(["text/plain", "application/x-www-form-urlencoded", "application/xml", "multipart/form-data; boundary=x"])("content type %s, which the API does not declare → 415", async (type) => {
    const response = await send("/greet", type.startsWith("application/x-www") ? "name=Ada" : "name", { "content-type": type });
    expect(response.status).toBe(415);
    expect((await response.json()).error).toContain("application/json");
  });

  it.each([
    ["__proto__ at the top", '{"__proto__": {"polluted": true}, "name": "Ada"}'],
    ["__proto__ nested", '{"person": {"name": "Ada", "age": 3, "address": {"street": "s", "city": "London", "__proto__": {"polluted": true}}}}'],
    ["constructor.prototype", '{"person": {"name": "Ada", "age": 3, "address": {"street": "s", "city": "London"}, "constructor": {"prototype": {"polluted": true}}}}'],
    // JSON.parse reads these as the plain keys; only the library's scan catches them.
    ["__proto__ spelt with \\u escapes", '{"\\u005f_proto__": {"polluted": true}, "name": "Ada"}'],
    ["constructor spelt with \\u escapes", '{"person": {"name": "Ada", "age": 3, "address": {"street": "s", "city": "London"}, "\\u0063onstructor": {"prototype": {"polluted": true}}}}'],
  ])("a prototype-poisoning payload (%s) → 400", async (_case, body) => {
    const response = await send(body.includes("person") ? "/register" : "/greet", body, { "content-type": "application/json" });
    expect(response.status).toBe(400);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("a method that throws", () => {
  it.each(["plain", "status", "string", "nothing"])("(%s) → 500 with no stack and no message internals", async (kind) => {
    const response = await call("/fail", { kind });
    expect(response.status).toBe(500);
    expect(Object.keys(response.body).sort()).toEqual(["error", "request_id"]);
    expect(response.body.error).toBe("Internal server error");
    expect(response.text).not.toMatch(/secret|hunter2|abc123|E_UPSTREAM|\bat \S+ \(|service\.ts|\.mjs/);
  });
});

describe("results", () => {
  it("a void method answers JSON null", async () => {
    const response = await call("/nothing", {});
    expect(response.status).toBe(200);
    expect(response.text).toBe("null");
  });

  it("an API without arguments also takes no body at all, but not a JSON null", async () => {
    expect((await fetch(`${bento.url}/nothing`, { method: "POST" })).status).toBe(200);
    expect((await send("/nothing", "null", { "content-type": "application/json" })).status).toBe(400);
  });

  it("a result that cannot be serialised → 500 in the usual error shape, leaking nothing", async () => {
    const response = await call("/unserializable", {});
    expect(response.status).toBe(500);
    expect(response.body).toEqual({ error: "Internal server error", request_id: response.headers.get("x-request-id") });
  });
});

describe("Context", () => {
  it("delivers the status and headers the method set", async () => {
    const response = await call("/create", { id: "42" }, { "x-request-id": "req-abc.123" });
    expect(response.status).toBe(201);
    expect(response.headers.get("x-created-id")).toBe("42");
    expect(response.headers.get("location")).toBe("/items/42");
    expect(response.body).toEqual({ id: "42", requestId: "req-abc.123" });
  });

  it("echoes x-request-id, and generates one when it is absent or unusable", async () => {
    const given = await call("/greet", { name: "a" }, { "x-request-id": "trace-7" });
    expect(given.headers.get("x-request-id")).toBe("trace-7");
    const generated = await call("/create", { id: "1" });
    const id = generated.headers.get("x-request-id")!;
    expect(id).toMatch(/^[A-Za-z0-9]{5}-[0-9a-z]{1,6}$/);
    expect(generated.body.requestId).toBe(id);
    const other = await call("/greet", { name: "a" });
    expect(other.headers.get("x-request-id")).not.toBe(id);
    expect(other.headers.get("x-request-id")!.split("-")[0]).toBe(id.split("-")[0]);
    // A generated id sent back (a retry, a downstream call) is taken as it is.
    expect((await call("/greet", { name: "a" }, { "x-request-id": id })).headers.get("x-request-id")).toBe(id);
    const hostile = await call("/greet", { name: "a" }, { "x-request-id": "bad id with spaces" });
    expect(hostile.headers.get("x-request-id")).toMatch(/^[A-Za-z0-9]{5}-[0-9a-z]{1,6}$/);
    const failed = await call("/greet", {}, { "x-request-id": "trace-8" });
    expect(failed.status).toBe(400);
    expect(failed.headers.get("x-request-id")).toBe("trace-8");
    expect(failed.body.request_id).toBe("trace-8");
  });
});

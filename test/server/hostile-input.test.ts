// Hostile traffic against a served bento (issue #19): a few thousand generated requests (bodies,
// content types, encodings, multipart shapes, methods, paths) and raw malformed HTTP on a socket,
// against APIs with JSON, files, a stream, a task and batching. Every request must be answered,
// never with a status of 500 or more (503 under load is allowed), and the server must still serve
// a good call afterwards. Seeded and bounded in count; no timing is asserted.
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postJson, startBento, type RunningBento } from "../support/bento-server.js";
import { seededRandom } from "../support/seeded-random.js";

const SERVICE = `
import { api, service, task, type Context } from "bentoc";

export interface Order {
  id: string;
  /** @minimum 0 */
  amount: number;
  tags?: string[];
  placedAt: Date;
  total?: bigint;
}

@service({ traffic: { maxConcurrency: 256 } })
export class Hostile {
  @api()
  async place(order: Order, note?: string): Promise<{ id: string; amount: number }> {
    return { id: order.id, amount: order.amount };
  }

  @api()
  async upload(file: File, pages: File[], label: string): Promise<{ size: number; pages: number }> {
    return { size: file.size, pages: pages.length };
  }

  @api()
  async *ticks(count: number): AsyncGenerator<{ n: number }> {
    for (let n = 0; n < Math.min(count, 5); n++) yield { n };
  }

  @api({ batchable: true, maxBatchSize: 16, maxLatencyMs: 20 })
  async double(xs: number[]): Promise<number[]> {
    return xs.map((x) => x * 2);
  }

  @task()
  async index(docs: string[], ctx: Context): Promise<number> {
    return docs.length;
  }
}
`;

const ROUTES = ["/place", "/upload", "/ticks", "/double", "/index/submit", "/index/status", "/index/get", "/index/cancel", "/index/retry", "/docs.json", "/readyz", "/metrics"];
const ODD_PATHS = [
  "/", "/%", "/..%2f..%2fetc", `/${"a".repeat(3000)}`, "/place?x=%zz", "/place/", "//place", "/place%00",
  `/index/status?task_id=${"x".repeat(5000)}`, "/index/get?task_id=%00%ff", "/index/status?task_id=../../x", "/index/get?task_id=1&task_id=2",
];
const METHODS = ["POST", "GET", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"];
const CONTENT_TYPES = [
  "application/json", "application/json; charset=utf-8", "application/json; charset=latin1", "text/plain", "", "application/x-www-form-urlencoded",
  "multipart/form-data", "multipart/form-data; boundary=", `multipart/form-data; boundary=${"b".repeat(300)}`, "multipart/form-data; boundary=xyz",
  "application/x-ndjson", "application/octet-stream", "application/json; boundary=x", "*/*", "application/JSON",
];
const ENCODINGS = [undefined, "gzip", "deflate", "br", "identity", "compress", "gzip, gzip"];

function pick<T>(next: () => number, list: readonly T[]): T {
  return list[Math.floor(next() * list.length)]!;
}

function nested(depth: number): unknown {
  return depth === 0 ? 1 : { a: [nested(depth - 1)] };
}

const JSON_BODIES: ((next: () => number) => string | Buffer)[] = [
  () => JSON.stringify({ order: { id: "o1", amount: 5, placedAt: "2025-01-01T00:00:00Z" } }),
  () => JSON.stringify({ order: { id: "o1", amount: -1, placedAt: "yesterday", total: "12x" } }),
  () => JSON.stringify({ order: { id: 1, amount: "5", placedAt: null }, note: { deep: true } }),
  () => JSON.stringify({ xs: [1, 2, "3"] }),
  () => JSON.stringify({ xs: Array.from({ length: 2000 }, (_, i) => i) }),
  () => JSON.stringify({ count: 3 }),
  () => JSON.stringify({ docs: ["a", "b"] }),
  () => JSON.stringify({ task_id: "x".repeat(5000) }),
  () => JSON.stringify({ task_id: "../../etc/passwd" }),
  () => JSON.stringify(nested(400)),
  () => '{"__proto__": {"polluted": true}, "xs": [1]}',
  () => '{"constructor": {"prototype": {"polluted": true}}, "xs": [1]}',
  () => '{"xs": [1e400, -0, 1e-400]}',
  () => '{"order": ',
  () => "[".repeat(5000),
  () => "null",
  () => '"just a string"',
  () => "",
  (next) => Buffer.from(Array.from({ length: 64 + Math.floor(next() * 512) }, () => Math.floor(next() * 256))),
  () => "\uFEFF{\"xs\": [1]}",
  () => Buffer.from([0xff, 0xfe, 0x7b, 0x7d]),
];

function multipartBody(next: () => number, boundary: string): Buffer {
  const parts = [
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.bin"\r\nContent-Type: application/octet-stream\r\n\r\n${"x".repeat(Math.floor(next() * 100))}\r\n`,
    `--${boundary}\r\nContent-Disposition: form-data; name="file"\r\n\r\nnot a file\r\n`,
    `--${boundary}\r\nContent-Disposition: form-data; name="label"\r\n\r\n{"not": "a string"}\r\n`,
    `--${boundary}\r\nContent-Disposition: form-data; name="pages"; filename="p.txt"\r\n\r\npage\r\n`,
    `--${boundary}\r\nContent-Disposition: form-data; name="__proto__"\r\n\r\n{"x":1}\r\n`,
    `--${boundary}\r\nContent-Disposition: form-data\r\n\r\nno name\r\n`,
    `--${boundary}\r\nContent-Disposition: form-data; name="unknown"; filename="u"\r\n\r\nu\r\n`,
  ];
  const chosen = parts.filter(() => next() < 0.5).join("");
  const ending = pick(next, [`--${boundary}--\r\n`, "", `--${boundary}`, "--wrong--\r\n"]);
  return Buffer.from(chosen + ending);
}

interface Outcome {
  label: string;
  status: number;
}

async function send(base: string, next: () => number, index: number): Promise<Outcome> {
  const method = next() < 0.7 ? "POST" : pick(next, METHODS);
  const path = next() < 0.85 ? pick(next, ROUTES) : pick(next, ODD_PATHS);
  const contentType = pick(next, CONTENT_TYPES);
  const multipart = contentType.startsWith("multipart/form-data") && next() < 0.8;
  const boundary = /boundary=([^;]*)/.exec(contentType)?.[1] ?? "xyz";
  const body = method === "GET" || method === "HEAD" ? undefined : multipart ? multipartBody(next, boundary || "xyz") : pick(next, JSON_BODIES)(next);
  const headers: Record<string, string> = {};
  if (contentType) headers["content-type"] = contentType;
  const encoding = pick(next, ENCODINGS);
  if (encoding) headers["content-encoding"] = encoding;
  if (next() < 0.2) headers.accept = pick(next, ["text/event-stream", "application/x-ndjson", "text/html", "image/png", "*/*;q=0"]);
  if (next() < 0.05) headers["x-request-id"] = "\u00ff".repeat(100);
  const label = `#${index} ${method} ${path.slice(0, 60)} ${contentType.slice(0, 40)} ${encoding ?? ""}`;
  try {
    const payload = Buffer.isBuffer(body) ? new Uint8Array(body) : body;
    const response = await fetch(base + path, { method, headers, body: payload, signal: AbortSignal.timeout(30_000) });
    await response.arrayBuffer();
    return { label, status: response.status };
  } catch (error) {
    return { label: `${label}: ${(error as Error).message}`, status: -1 };
  }
}

/** Raw bytes on a socket: what comes back first (the status line), or the connection's end. */
function rawExchange(port: number, request: string | Buffer): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    let received = "";
    const done = () => {
      socket.destroy();
      resolve(received.split("\r\n")[0] ?? "");
    };
    socket.setTimeout(30_000, done);
    socket.on("data", (chunk) => {
      received += chunk.toString("latin1");
      if (received.includes("\r\n")) done();
    });
    socket.on("error", done);
    socket.on("end", done);
    socket.write(request, () => socket.end());
  });
}

const RAW_REQUESTS: (string | Buffer)[] = [
  "GARBAGE\r\n\r\n",
  "POST /place HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{}",
  "POST /place HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
  "POST /place HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n{}{}{}",
  "POST /place HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
  "POST /place HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\n0\r\n\r\n",
  `GET /${"a".repeat(100_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
  `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${"b".repeat(100_000)}\r\n\r\n`,
  "GET / HTTP/9.9\r\nHost: x\r\n\r\n",
  "POST /place HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",
  Buffer.from([0x16, 0x03, 0x01, 0x00, 0xa5, 0x01, 0x00]), // a TLS ClientHello on a plain port
  "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=zz\r\nContent-Length: 40\r\n\r\n--zz\r\nContent-Disposition: form-data",
  "\r\n\r\n\r\n",
];

let bento: RunningBento;

beforeAll(async () => {
  bento = await startBento(SERVICE, { taskStore: "memory" });
});
afterAll(async () => {
  await bento?.close();
});

describe("a served bento under hostile traffic", () => {
  it("answers 2000 generated requests, none with a 5xx but 503, and still serves a good call", async () => {
    const next = seededRandom(19); // seeded, so a failure names a request that happens again
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const outcomes: Outcome[] = [];
    // 2000 requests, 25 at a time: bounded in count, and each by its own 30 s abort.
    for (let start = 0; start < 2000; start += 25) {
      outcomes.push(...(await Promise.all(Array.from({ length: 25 }, (_, offset) => send(bento.url, next, start + offset)))));
    }
    const unanswered = outcomes.filter((outcome) => outcome.status === -1);
    const serverErrors = outcomes.filter((outcome) => outcome.status >= 500 && outcome.status !== 503);
    expect(unanswered.map((outcome) => outcome.label)).toEqual([]);
    expect(serverErrors.map((outcome) => `${outcome.status} ${outcome.label}`)).toEqual([]);
    // Most hostile requests are refused; the valid ones among them still succeed.
    expect(outcomes.filter((outcome) => outcome.status >= 400 && outcome.status < 500).length).toBeGreaterThan(1000);
    expect(outcomes.some((outcome) => outcome.status === 200)).toBe(true);

    const good = await postJson(`${bento.url}/double`, { xs: [1, 2] });
    expect(good.status).toBe(200);
    expect(good.body).toEqual([2, 4]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    global.gc?.();
    // Memory stays bounded: 2000 requests leave no more than a generous 256 MB behind.
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(256 * 1024 * 1024);
  }, 300_000);

  it("answers or closes every malformed raw HTTP request, never with a 5xx, and keeps serving", async () => {
    const port = Number(new URL(bento.url).port);
    for (const request of RAW_REQUESTS) {
      const statusLine = await rawExchange(port, request);
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
      expect(status >= 500 && status !== 503, `${JSON.stringify(String(request).slice(0, 60))} → ${statusLine}`).toBe(false);
    }
    const good = await postJson(`${bento.url}/double`, { xs: [3] });
    expect(good.body).toEqual([6]);
  }, 120_000);
});

import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildBento, postJson, until, type BuiltBento, type RunningBento } from "../support/bento-server.js";

// @onStartup waits for this file, so the test decides when startup ends.
const GATE = path.join(os.tmpdir(), `bentoc-startup-gate-${randomUUID()}`);

const SERVICE = `
import fs from "node:fs";
import { api, onStartup, service } from "bentoc";

/** Says hello. */
@service()
export class Greeter {
  private greeting = "unset";

  @onStartup
  async load(): Promise<void> {
    for (let waited = 0; !fs.existsSync(${JSON.stringify(GATE)}) && waited < 20_000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
    this.greeting = "Hello";
  }

  /** Greets someone after a pause of \`ms\` milliseconds. */
  @api()
  async slowHello(/** @maximum 1000 */ ms: number): Promise<string> {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return this.greeting;
  }

  /** Greets someone. @param name Who to greet. */
  @api()
  async hello(/** @minLength 1 */ name: string): Promise<string> {
    return this.greeting + ", " + name;
  }
}
`;

let built: BuiltBento;
const running: RunningBento[] = [];
beforeAll(async () => {
  built = await buildBento(SERVICE);
});
afterAll(async () => {
  await Promise.all(running.map((bento) => bento.close()));
  built?.remove();
  fs.rmSync(GATE, { force: true });
});

async function start(options: Parameters<BuiltBento["start"]>[0] = {}, waitForReady = true): Promise<RunningBento> {
  const bento = await built.start(options, { waitForReady });
  running.push(bento);
  return bento;
}

const get = (url: string, headers: Record<string, string> = {}) => fetch(url, { headers, signal: AbortSignal.timeout(10_000) });

/** The request counters of a Prometheus text exposition, keyed "route method status". */
function requestCounts(metrics: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of metrics.split("\n")) {
    const match = /^bentoc_requests_total\{([^}]*)\} (\d+(?:\.\d+)?)$/.exec(line);
    if (!match) continue;
    const labels = Object.fromEntries([...match[1]!.matchAll(/(\w+)="([^"]*)"/g)].map((label) => [label[1], label[2]]));
    counts.set(`${labels.route} ${labels.method} ${labels.status}`, Number(match[2]));
  }
  return counts;
}

describe("readiness and liveness", () => {
  it("/readyz is 503 until the @onStartup hook finished, then 200; /livez is 200 throughout; APIs wait for startup", async () => {
    const bento = await start({}, false);
    const starting = await get(`${bento.url}/readyz`);
    expect(starting.status).toBe(503);
    expect(starting.headers.get("retry-after")).toBeTruthy();
    expect((await get(`${bento.url}/livez`)).status).toBe(200);
    const early = await postJson(`${bento.url}/hello`, { name: "early" });
    expect(early.status).toBe(503);
    expect(early.headers.get("retry-after")).toBeTruthy();

    fs.writeFileSync(GATE, "");
    await bento.ready;
    const ready = await get(`${bento.url}/readyz`);
    expect(ready.status).toBe(200);
    expect((await get(`${bento.url}/livez`)).status).toBe(200);
    expect((await postJson(`${bento.url}/hello`, { name: "Ada" })).body).toBe("Hello, Ada");
  });
});

describe("/metrics", () => {
  it("counts exactly the requests sent, by route, method and status", async () => {
    fs.writeFileSync(GATE, "");
    const bento = await start();
    for (const name of ["a", "b", "c"]) expect((await postJson(`${bento.url}/hello`, { name })).status).toBe(200);
    for (const body of [{}, { name: "" }]) expect((await postJson(`${bento.url}/hello`, body)).status).toBe(400);
    expect((await postJson(`${bento.url}/no/such/route`, {})).status).toBe(404);
    expect((await postJson(`${bento.url}/another-missing-route`, {})).status).toBe(404);
    expect((await get(`${bento.url}/livez`)).status).toBe(200);

    const expected = new Map([
      ["/hello POST 200", 3],
      ["/hello POST 400", 2],
      ["unmatched POST 404", 2], // unknown URLs share one label: no unbounded series
      ["/livez GET 200", 1],
    ]);
    // onResponse may run just after the client has its answer; wait (briefly) for the last count.
    const counts = await until(async () => {
      const text = await (await get(`${bento.url}/metrics`)).text();
      const found = requestCounts(text);
      return sumWithoutMetrics(found) >= 8 ? { found, text } : undefined;
    }, "the metrics to count every request", 3_000);
    expect(new Map([...counts.found].filter(([key]) => !key.startsWith("/metrics ")))).toEqual(expected);
    expect(counts.text).toMatch(/^bentoc_request_duration_seconds_count\{[^}]*route="\/hello"[^}]*\} 5$/m);
    expect(counts.text).toMatch(/^bentoc_requests_in_flight\{route="\/hello"\} 0$/m);
  });
});

describe("/metrics latency", () => {
  it("measures each API call from its arrival, also with logging off (the test servers log nothing)", async () => {
    fs.writeFileSync(GATE, "");
    const bento = await start();
    expect((await postJson(`${bento.url}/slowHello`, { ms: 120 })).status).toBe(200);
    expect((await postJson(`${bento.url}/no/such/route`, {})).status).toBe(404);
    const text = await until(async () => {
      const metrics = await (await get(`${bento.url}/metrics`)).text();
      return /bentoc_request_duration_seconds_count\{[^}]*route="\/slowHello"[^}]*\} 1$/m.test(metrics) ? metrics : undefined;
    }, "the slow call to be counted", 3_000);
    const sample = (name: string, route: string, extra = "") =>
      Number(new RegExp(`^${name}\\{[^}]*route="${route}"[^}]*${extra}[^}]*\\} (\\S+)$`, "m").exec(text)?.[1]);
    const slowSeconds = sample("bentoc_request_duration_seconds_sum", "/slowHello");
    // Node's timers count from the event loop's cached time, which can be up to a millisecond
    // behind performance.now(): a 120 ms sleep may measure a hair under 120 ms.
    expect(slowSeconds).toBeGreaterThanOrEqual(0.118);
    expect(slowSeconds).toBeLessThan(5);
    // It falls in the 0.25 s bucket, not in the 0.1 s one.
    expect(sample("bentoc_request_duration_seconds_bucket", "/slowHello", 'le="0.1"')).toBe(0);
    expect(sample("bentoc_request_duration_seconds_bucket", "/slowHello", 'le="0.25"')).toBe(1);
    // A request that no route answers is timed too.
    expect(sample("bentoc_request_duration_seconds_sum", "unmatched")).toBeGreaterThan(0);
  });
});

function sumWithoutMetrics(counts: Map<string, number>): number {
  return [...counts].filter(([key]) => !key.startsWith("/metrics ")).reduce((sum, [, count]) => sum + count, 0);
}

describe("API docs", () => {
  it("/docs.json is the OpenAPI document of the bento", async () => {
    fs.writeFileSync(GATE, "");
    const bento = running[0] ?? (await start());
    const response = await get(`${bento.url}/docs.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    const document = await response.json();
    expect(document.openapi).toMatch(/^3\.1\./);
    expect(Object.keys(document.paths)).toContain("/hello");
    expect(document.paths["/hello"].post).toBeDefined();
  });

  it("/docs serves Swagger UI from the package: every script and stylesheet it links answers 200, none is remote", async () => {
    fs.writeFileSync(GATE, "");
    const bento = running[0] ?? (await start());
    const page = await get(`${bento.url}/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await page.text();
    const assets = [...html.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
    expect(assets.filter((asset) => asset.endsWith(".js"))).not.toHaveLength(0);
    expect(assets.filter((asset) => asset.endsWith(".css"))).not.toHaveLength(0);
    for (const asset of assets) {
      expect(asset, "an asset from the network").not.toMatch(/^(https?:)?\/\//);
      const response = await get(new URL(asset, `${bento.url}/docs`).href);
      expect(response.status, asset).toBe(200);
      expect((await response.arrayBuffer()).byteLength, asset).toBeGreaterThan(0);
    }
  });
});

describe("the server's root", () => {
  it("sends a browser (Accept: text/html) to the docs, and answers any other client with the JSON 404", async () => {
    fs.writeFileSync(GATE, "");
    const bento = running[0] ?? (await start());
    const browser = await fetch(`${bento.url}/`, { headers: { accept: "text/html,application/xhtml+xml,*/*;q=0.8" }, redirect: "manual" });
    expect([browser.status, browser.headers.get("location")]).toEqual([302, "./docs"]);
    expect(new URL(browser.headers.get("location")!, `${bento.url}/`).href).toBe(`${bento.url}/docs`);
    const client = await get(`${bento.url}/`, { accept: "application/json", "x-request-id": "root-1" });
    expect([client.status, await client.json()]).toEqual([404, { error: "No API at GET /", request_id: "root-1" }]);
  });
});

describe("CORS", () => {
  const origin = "http://app.example";
  const preflight = (url: string, from = origin) =>
    fetch(`${url}/hello`, { method: "OPTIONS", headers: { origin: from, "access-control-request-method": "POST", "access-control-request-headers": "content-type" } });

  it("sends no CORS headers when it is not enabled", async () => {
    fs.writeFileSync(GATE, "");
    const bento = await start();
    const response = await postJson(`${bento.url}/hello`, { name: "x" }, { origin });
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
    const options = await preflight(bento.url);
    expect(options.headers.get("access-control-allow-origin")).toBeNull();
    expect(options.headers.get("access-control-allow-methods")).toBeNull();
  });

  it("answers preflights and allows the origin when enabled for all", async () => {
    fs.writeFileSync(GATE, "");
    const bento = await start({ cors: true });
    const response = await postJson(`${bento.url}/hello`, { name: "x" }, { origin });
    expect(response.status).toBe(200);
    expect([origin, "*"]).toContain(response.headers.get("access-control-allow-origin"));
    expect(response.headers.get("access-control-expose-headers")).toMatch(/x-request-id/);
    const options = await preflight(bento.url);
    expect(options.status).toBe(204);
    expect([origin, "*"]).toContain(options.headers.get("access-control-allow-origin"));
    expect(options.headers.get("access-control-allow-methods")).toMatch(/POST/);
    // The preflight route answers OPTIONS at every path; an unknown path is still unknown.
    expect((await postJson(`${bento.url}/no/such/route`, {})).status).toBe(404);
  });

  it("allows only the listed origins", async () => {
    fs.writeFileSync(GATE, "");
    const bento = await start({ cors: [origin] });
    expect((await postJson(`${bento.url}/hello`, { name: "x" }, { origin })).headers.get("access-control-allow-origin")).toBe(origin);
    const other = await postJson(`${bento.url}/hello`, { name: "x" }, { origin: "http://evil.example" });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
    expect((await preflight(bento.url, "http://evil.example")).headers.get("access-control-allow-origin")).toBeNull();
  });
});

// The generated client in a real browser: headless Chromium (Debian's, driven by playwright-core)
// loads a page from one 127.0.0.1 server whose script, bundled with the generated client by
// esbuild for the browser, calls the example service on another 127.0.0.1 server. The calls are
// cross-origin, so they work only because the service answers CORS; a second copy of the service
// without CORS shows the same calls failing. The page writes what it saw into `window.results`.
import { createHash } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { build } from "esbuild";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeFilesAtomically } from "../../cli/write-files.js";
import { generateClient } from "../../generators/client/index.js";
import { REPO_ROOT, buildBento, until, type BuiltBento, type RunningBento } from "../support/bento-server.js";
import { CHROMIUM, CHROMIUM_FLAGS, hasChromium } from "../support/chromium.js";
import { typeCheck } from "./typecheck.js";

declare global {
  interface Window {
    /** What the page's script saw; set once it is done. */
    results?: unknown;
  }
}

/** The bytes the page uploads: `(i * 31) % 256` for i < UPLOAD_SIZE, as the page makes them. */
const UPLOAD_SIZE = 100_000;
const UPLOAD_NAME = "upload.bin";
const UPLOAD_TEXT = "héllo, browser ✓";
/** Words the early-`break` stream would send, one every LONG_DELAY_MS, if the browser did not cancel it. */
const LONG_WORDS = 200;
const LONG_DELAY_MS = 100;

/**
 * The page's script, bundled with the generated client. `?api=` is the service's URL; `mode=full`
 * calls every API, `mode=probe` calls each once (for the server without CORS) and records how
 * each call failed and how many requests the client sent.
 */
const PAGE_SCRIPT = `
import { BentocClientError, ConnectionError, QuickstartClient, UnavailableError, ValidationError } from "./client.js";

interface ErrorReport {
  kind: string;
  name: string;
  status: number | undefined;
  requestId: string | undefined;
  path: string | undefined;
  retryAfterMs: number | undefined;
  message: string;
}

type Results = Record<string, unknown>;

declare global {
  interface Window {
    results?: Results;
  }
}

function report(error: unknown): ErrorReport {
  const kind = error instanceof ValidationError ? "ValidationError"
    : error instanceof UnavailableError ? "UnavailableError"
    : error instanceof ConnectionError ? "ConnectionError"
    : error instanceof BentocClientError ? "BentocClientError"
    : "other";
  const client = error instanceof BentocClientError ? error : undefined;
  return {
    kind,
    name: error instanceof Error ? error.name : typeof error,
    status: client?.status,
    requestId: client?.requestId,
    path: error instanceof ValidationError ? error.path : undefined,
    retryAfterMs: error instanceof UnavailableError ? error.retryAfterMs : undefined,
    message: error instanceof Error ? error.message : String(error),
  };
}

async function failure(call: () => Promise<unknown>): Promise<ErrorReport | "no error"> {
  try {
    await call();
    return "no error";
  } catch (error) {
    return report(error);
  }
}

function uploadBytes(): Uint8Array<ArrayBuffer> {
  return Uint8Array.from({ length: ${UPLOAD_SIZE} }, (_, index) => (index * 31) % 256);
}

async function full(api: string): Promise<Results> {
  const client = new QuickstartClient({ baseUrl: api, timeoutMs: 10_000 });
  await client.waitReady({ timeoutMs: 5_000 });

  const positive = await client.sentiment({ text: "I love this great library" });
  const negative = await client.sentiment({ text: "An awful, sad day." });
  const invalid = await failure(() => client.sentiment({ text: "" }));

  const words: string[] = [];
  for await (const word of client.echo({ prompt: "streams arrive word by word", delayMs: 5 })) words.push(word);

  const long = Array.from({ length: ${LONG_WORDS} }, (_, index) => "w" + index).join(" ");
  const early: string[] = [];
  const started = performance.now();
  for await (const word of client.echo({ prompt: long, delayMs: ${LONG_DELAY_MS} })) {
    early.push(word);
    if (early.length === 2) break;
  }
  const earlyMs = Math.round(performance.now() - started);

  const digestFile = await client.digest({ file: new File([uploadBytes()], "${UPLOAD_NAME}", { type: "application/octet-stream" }) });
  const digestBytes = await client.digest({ file: new TextEncoder().encode("${UPLOAD_TEXT}") });
  const digestBlob = await client.digest({ file: new Blob(["${UPLOAD_TEXT}"], { type: "text/plain" }) });

  // The request id header is readable cross-origin only if the server exposes it.
  const raw = await fetch(api + "/sentiment", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ text: "good" }) });
  await raw.text();
  const exposedRequestId = raw.headers.get("x-request-id");

  return { origin: location.origin, positive, negative, invalid, words, early, earlyMs, digestFile, digestBytes, digestBlob, exposedRequestId };
}

async function probe(api: string): Promise<Results> {
  let requests = 0;
  const client = new QuickstartClient({ baseUrl: api, timeoutMs: 10_000, fetch: (url, init) => (requests++, fetch(url, init)) });
  const sentiment = await failure(() => client.sentiment({ text: "good" }));
  const stream = await failure(async () => {
    for await (const word of client.echo({ prompt: "a b", delayMs: 0 })) void word;
  });
  const digest = await failure(() => client.digest({ file: new TextEncoder().encode("${UPLOAD_TEXT}") }));
  return { origin: location.origin, sentiment, stream, digest, requests };
}

/** The service is at its concurrency limit (the test holds every slot for a while). */
async function busy(api: string): Promise<Results> {
  const once = new QuickstartClient({ baseUrl: api, retries: 0 });
  const turnedAway = await failure(() => once.sentiment({ text: "good" }));
  let requests = 0;
  const retrying = new QuickstartClient({ baseUrl: api, timeoutMs: 10_000, fetch: (url, init) => (requests++, fetch(url, init)) });
  const started = performance.now();
  const retried = await retrying.sentiment({ text: "good" });
  return { origin: location.origin, turnedAway, retried, requests, retriedMs: Math.round(performance.now() - started) };
}

async function main(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const api = params.get("api") ?? "";
  try {
    const mode = params.get("mode");
    window.results = mode === "probe" ? await probe(api) : mode === "busy" ? await busy(api) : await full(api);
  } catch (error) {
    window.results = { pageFailed: report(error), stack: error instanceof Error ? String(error.stack) : "" };
  }
  document.getElementById("out")!.textContent = JSON.stringify(window.results, null, 2);
}

void main();
`;

const INDEX_HTML = `<!doctype html>
<html lang="en">
<meta charset="utf-8">
<title>bentoc client in the browser</title>
<link rel="icon" href="data:,">
<pre id="out">running…</pre>
<script type="module" src="/page.js"></script>
</html>
`;

interface ErrorReport {
  kind: string;
  name: string;
  status?: number;
  requestId?: string;
  path?: string;
  retryAfterMs?: number;
  message: string;
}

interface FullResults {
  origin: string;
  positive: unknown;
  negative: unknown;
  invalid: ErrorReport;
  words: string[];
  early: string[];
  earlyMs: number;
  digestFile: unknown;
  digestBytes: unknown;
  digestBlob: unknown;
  exposedRequestId: string | null;
  pageFailed?: ErrorReport;
  stack?: string;
}

interface ProbeResults {
  origin: string;
  sentiment: ErrorReport;
  stream: ErrorReport;
  digest: ErrorReport;
  requests: number;
  pageFailed?: ErrorReport;
  stack?: string;
}

interface BusyResults {
  origin: string;
  turnedAway: ErrorReport;
  retried: unknown;
  requests: number;
  retriedMs: number;
  pageFailed?: ErrorReport;
  stack?: string;
}

/** A server for the page and its script, on its own port: another origin than the service's. */
interface PageServer {
  origin: string;
  close(): Promise<void>;
}

async function servePage(script: string): Promise<PageServer> {
  const files: Record<string, { type: string; body: string }> = {
    "/": { type: "text/html; charset=utf-8", body: INDEX_HTML },
    "/page.js": { type: "text/javascript; charset=utf-8", body: script },
  };
  const server = http.createServer((request, response) => {
    const file = files[new URL(request.url ?? "/", "http://page").pathname];
    response.writeHead(file ? 200 : 404, { "content-type": file?.type ?? "text/plain", "cache-control": "no-store" });
    response.end(file?.body ?? "not found");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

/** The in-flight gauge of a route, from the service's /metrics. */
async function inFlight(url: string, route: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(5_000) })).text();
  const line = text.split("\n").find((candidate) => candidate.startsWith(`bentoc_requests_in_flight{route="${route}"} `));
  if (line === undefined) throw new Error(`/metrics has no in-flight gauge for ${route}:\n${text}`);
  return Number(line.split(" ").pop());
}

describe.skipIf(!hasChromium)(`generated client in headless Chromium, cross-origin${hasChromium ? "" : ` (skipped: ${CHROMIUM} not installed)`}`, () => {
  let built: BuiltBento | undefined;
  let withCors: RunningBento | undefined;
  let withoutCors: RunningBento | undefined;
  let pages: PageServer | undefined;
  let context: BrowserContext | undefined;
  let profile: string | undefined;
  let generatedClient = new Map<string, string>();
  /** What the browser said, for failure messages. */
  const browserLog: string[] = [];

  beforeAll(async () => {
    built = await buildBento({ file: path.join(REPO_ROOT, "examples/quickstart/service.ts") });
    withCors = await built.start({ cors: true });
    withoutCors = await built.start({ cors: false });

    generatedClient = generateClient(built.manifest);
    const clientDir = path.join(built.dir, "client");
    writeFilesAtomically(clientDir, generatedClient);
    fs.writeFileSync(path.join(clientDir, "page.ts"), PAGE_SCRIPT);
    const bundle = await build({
      entryPoints: [path.join(clientDir, "page.ts")],
      bundle: true,
      format: "esm",
      platform: "browser",
      target: "chrome120",
      sourcemap: "inline",
      write: false,
      logLevel: "silent",
    });
    pages = await servePage(bundle.outputFiles[0]!.text);

    profile = fs.mkdtempSync(path.join(os.tmpdir(), "bentoc-chromium-"));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_FLAGS,
      timeout: 30_000,
    });
    context.setDefaultTimeout(20_000);
  }, 90_000);

  afterAll(async () => {
    const closing: Promise<unknown>[] = [];
    if (context) closing.push(context.close().catch(() => undefined));
    if (pages) closing.push(pages.close());
    if (withCors) closing.push(withCors.close());
    if (withoutCors) closing.push(withoutCors.close());
    await Promise.allSettled(closing);
    built?.remove();
    if (profile) fs.rmSync(profile, { recursive: true, force: true });
  }, 30_000);

  /**
   * Opens the page for `api` and `mode`, waits for `window.results`, and runs `whileOpen` before
   * closing the page (closing it would cancel whatever requests it still has open).
   */
  async function resultsOf<T>(api: string, mode: "full" | "probe" | "busy", whileOpen?: () => Promise<unknown>): Promise<T> {
    const page: Page = await context!.newPage();
    page.on("console", (message) => browserLog.push(`[${mode} console.${message.type()}] ${message.text()}`));
    page.on("pageerror", (error) => browserLog.push(`[${mode} pageerror] ${error.message}`));
    page.on("requestfailed", (request) => browserLog.push(`[${mode} requestfailed] ${request.method()} ${request.url()}: ${request.failure()?.errorText}`));
    try {
      await page.goto(`${pages!.origin}/?api=${encodeURIComponent(api)}&mode=${mode}`, { waitUntil: "load", timeout: 10_000 });
      await page.waitForFunction(() => window.results !== undefined, undefined, { timeout: 30_000 });
      const results = await page.evaluate(() => window.results);
      // What the page rendered is the same object: the page really ran (and the DOM says so too).
      expect(JSON.parse((await page.textContent("#out"))!)).toEqual(results);
      await whileOpen?.();
      return results as T;
    } catch (error) {
      throw new Error(`${(error as Error).message}\nBrowser log:\n${browserLog.join("\n")}`, { cause: error });
    } finally {
      await page.close().catch(() => undefined);
    }
  }

  it("the page script type-checks against the generated client in a strict browser project", () => {
    const files = new Map([...generatedClient, ["page.ts", PAGE_SCRIPT]]);
    expect(typeCheck(files, "browser")).toEqual([]);
  });

  it("calls JSON, streams SSE (to the end and with an early break) and uploads files from another origin", async () => {
    // Checked while the page is still open: the browser cancelled the request of the stream the
    // page broke out of (2 of LONG_WORDS words), so the server is no longer sending it.
    const streamEnded = () => until(async () => ((await inFlight(withCors!.url, "/echo")) === 0 ? true : undefined), "the broken-off stream to end on the server", 5_000);
    const results = await resultsOf<FullResults>(withCors!.url, "full", streamEnded);
    if (results.pageFailed) throw new Error(`The page failed: ${JSON.stringify(results.pageFailed)}\n${results.stack}\nBrowser log:\n${browserLog.join("\n")}`);

    // Two origins: the page's server is not the service.
    expect(results.origin).toBe(pages!.origin);
    expect(new URL(withCors!.url).origin).not.toBe(results.origin);

    expect(results.positive).toEqual({ label: "positive", score: 1 });
    expect(results.negative).toEqual({ label: "negative", score: 1 });
    expect(results.invalid).toMatchObject({ kind: "ValidationError", name: "ValidationError", status: 400, path: "/text" });
    expect(results.invalid.requestId).toMatch(/.+/);

    expect(results.words).toEqual(["streams", "arrive", "word", "by", "word"]);
    expect(results.early).toEqual(["w0", "w1"]);
    // Two words at LONG_DELAY_MS each, not LONG_WORDS of them.
    expect(results.earlyMs).toBeLessThan(5_000);

    const uploaded = Uint8Array.from({ length: UPLOAD_SIZE }, (_, index) => (index * 31) % 256);
    const text = new TextEncoder().encode(UPLOAD_TEXT);
    const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
    expect(results.digestFile).toEqual({ name: UPLOAD_NAME, bytes: UPLOAD_SIZE, sha256: sha256(uploaded) });
    // Bytes and a Blob without a name go under the argument's name.
    expect(results.digestBytes).toEqual({ name: "file", bytes: text.length, sha256: sha256(text) });
    expect(results.digestBlob).toEqual({ name: "file", bytes: text.length, sha256: sha256(text) });

    expect(results.exposedRequestId).toMatch(/.+/);
  }, 60_000);

  it("without CORS the same cross-origin calls fail in the browser (once each, as ConnectionError), though the server answers", async () => {
    // From Node, where no CORS applies, the server without CORS works.
    const direct = await fetch(`${withoutCors!.url}/sentiment`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ text: "good" }), signal: AbortSignal.timeout(5_000) });
    expect([direct.status, await direct.json()]).toEqual([200, { label: "positive", score: 0.75 }]);

    const results = await resultsOf<ProbeResults>(withoutCors!.url, "probe");
    if (results.pageFailed) throw new Error(`The page failed: ${JSON.stringify(results.pageFailed)}\n${results.stack}`);
    for (const call of [results.sentiment, results.stream, results.digest]) {
      expect(call).toMatchObject({ kind: "ConnectionError", status: 0 });
    }
    // A blocked response looks like a network failure, and the request may have run: no retries.
    expect(results.requests).toBe(3);
    // Chromium says why: the CORS policy.
    expect(browserLog.some((line) => line.startsWith("[probe console.error]") && /blocked by CORS policy/.test(line))).toBe(true);
  }, 60_000);

  it("at the concurrency limit the browser reads Retry-After (an exposed header) and the client retries after it", async () => {
    // Every slot of the service (maxConcurrency 32) held by a stream that lasts about 2 s.
    const LIMIT = built!.manifest.services[0]!.config.traffic.maxConcurrency!;
    const hold = new AbortController();
    const holding = Array.from({ length: LIMIT }, () =>
      fetch(`${withCors!.url}/echo`, { method: "POST", headers: { "content-type": "application/json", accept: "text/event-stream" }, body: JSON.stringify({ prompt: "one two three four", delayMs: 500 }), signal: hold.signal })
        .then((response) => response.text()));
    try {
      await until(async () => ((await inFlight(withCors!.url, "/echo")) >= LIMIT ? true : undefined), "every slot to be taken", 5_000);
      const results = await resultsOf<BusyResults>(withCors!.url, "busy");
      if (results.pageFailed) throw new Error(`The page failed: ${JSON.stringify(results.pageFailed)}\n${results.stack}`);
      expect(results.turnedAway).toMatchObject({ kind: "UnavailableError", status: 503, retryAfterMs: 1_000 });
      expect(results.retried).toEqual({ label: "positive", score: 0.75 });
      expect(results.requests).toBeGreaterThanOrEqual(2);
      expect(results.retriedMs).toBeGreaterThanOrEqual(900);
      expect((await Promise.all(holding)).every((text) => text.includes("four"))).toBe(true);
    } finally {
      hold.abort();
      await Promise.allSettled(holding);
    }
  }, 60_000);
});

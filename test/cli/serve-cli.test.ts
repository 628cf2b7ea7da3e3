import { spawn, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { freePort } from "../support/ports.js";
import { REPO_ROOT, runCli } from "../support/run-cli.js";
import { sampleSum } from "../workers/cluster-client.js";

// `bentoc serve` run as a user runs it: the built executable as a child process, on 127.0.0.1.

const BIN = path.join(REPO_ROOT, "bin", "bentoc.js");
const EXAMPLE = path.join(REPO_ROOT, "examples/quickstart/service.ts");
const STARTUP_MS = 30_000; // compile + bundle + start, on a loaded machine
const RELOAD_MS = 5_000; // the bound on a reload's edit-to-served time
const STOP_MS = 10_000;

interface Serving {
  child: ChildProcess;
  port: number;
  url: string;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Process ids of the server children, read from their JSON logs. */
  serverPids: () => number[];
}

const serving = new Set<Serving>();
const tempDirs: string[] = [];

afterEach(async () => {
  // Always stop what a test started, whether it passed or not: bentoc, then any server child left.
  for (const run of serving) {
    if (run.child.exitCode === null && run.child.signalCode === null) {
      run.child.kill("SIGTERM");
      const stopped = await Promise.race([run.exit.then(() => true), sleep(STOP_MS).then(() => false)]);
      if (!stopped) run.child.kill("SIGKILL");
    }
    for (const pid of run.serverPids()) if (isAlive(pid)) process.kill(pid, "SIGKILL");
  }
  serving.clear();
});

afterAll(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe("bentoc serve --split", () => {
  it("runs each service another depends on in its own process, the others on the public port, and stops them all on SIGTERM", async () => {
    // A copy: serving writes service.bentoc.d.ts beside the service, which must not land in fixtures/.
    const composed = path.join(serviceDir(fs.readFileSync(path.join(REPO_ROOT, "fixtures/composition/service.ts"), "utf8")), "service.ts");
    const run = await serve(composed, ["--split"]);
    await untilReady(run);
    // The gateway, on the public port, calls its two dependencies in their processes.
    const summary = await postJson(run, "/summarize", { reading: { sensor: "t1", takenAt: "2026-12-07T10:00:00.000Z", values: [1, 2, 3] } });
    expect([summary.status, await summary.json()]).toEqual([200, { sensor: "t1", takenAt: "2026-12-07T10:00:00.000Z", mean: 2, count: 3 }]);
    const shout = await fetch(`${run.url}/shout`, { method: "POST", headers: { "content-type": "application/json", accept: "application/x-ndjson" }, body: JSON.stringify({ text: "split in three" }) });
    expect((await shout.text()).trim().split("\n").map((line) => JSON.parse(line))).toEqual(["SPLIT", "IN", "THREE"]);
    // The dependencies are not served on the public port.
    expect((await postJson(run, "/clean", { reading: { sensor: "t1", takenAt: "2026-12-07T10:00:00.000Z", values: [] } })).status).toBe(404);
    await until(async () => new Set(run.serverPids()).size === 3, STARTUP_MS, "three server processes to log");
    await stopGracefully(run);
  }, 90_000);
});

describe("bentoc serve", () => {
  it("serves the example: a JSON API, an SSE stream and a file upload", async () => {
    const run = await serve(EXAMPLE);
    await untilReady(run);

    const sentiment = await postJson(run, "/sentiment", { text: "I love this, it is great" });
    expect(sentiment.status).toBe(200);
    expect(sentiment.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await sentiment.json()).toEqual({ label: "positive", score: 1 });

    const stream = await fetch(`${run.url}/echo`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream" },
      body: JSON.stringify({ prompt: "hello big  world", delayMs: 0 }),
    });
    expect(stream.status).toBe(200);
    expect(stream.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(await stream.text()).toBe('data: "hello"\n\ndata: "big"\n\ndata: "world"\n\n');

    const bytes = randomBytes(300_000);
    const form = new FormData();
    form.append("file", new Blob([bytes]), "payload.bin");
    const digest = await fetch(`${run.url}/digest`, { method: "POST", body: form });
    expect(digest.status).toBe(200);
    expect(await digest.json()).toEqual({ name: "payload.bin", bytes: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex") });

    // The operational endpoints the README points at.
    expect((await fetch(`${run.url}/readyz`)).status).toBe(200);
    const docs = await fetch(`${run.url}/docs`);
    expect(docs.status).toBe(200);
    expect(docs.headers.get("content-type")).toMatch(/^text\/html/);
    const metrics = await (await fetch(`${run.url}/metrics`)).text();
    expect(metrics).toMatch(/\/sentiment/);

    await stopGracefully(run);
  });

  it("on SIGTERM lets in-flight calls finish, stops the server and exits 0, leaving the port free", async () => {
    const run = await serve(EXAMPLE);
    await untilReady(run);
    const [serverPid] = run.serverPids();
    expect(serverPid).toBeGreaterThan(0);

    const response = await fetch(`${run.url}/echo`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream" },
      body: JSON.stringify({ prompt: "one two three four", delayMs: 250 }),
    });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let received = decoder.decode((await reader.read()).value, { stream: true });
    run.child.kill("SIGTERM");
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received += decoder.decode(value, { stream: true });
    }
    expect(received).toBe('data: "one"\n\ndata: "two"\n\ndata: "three"\n\ndata: "four"\n\n');

    const exit = await within(run.exit, STOP_MS, "bentoc serve to exit after SIGTERM");
    expect(exit).toEqual({ code: 0, signal: null });
    expect(run.stdout()).toMatch(/SIGTERM received/);
    expect(isAlive(serverPid!)).toBe(false);
    expect(await canConnect(run.port)).toBe(false);
    expect(await canListen(run.port)).toBe(true);
  });

  it("on Ctrl-C in a terminal (SIGINT to the whole process group) the server still shuts down gracefully", async () => {
    const run = await serve(EXAMPLE, [], {}, { ownGroup: true });
    await untilReady(run);
    const response = await fetch(`${run.url}/echo`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream" },
      body: JSON.stringify({ prompt: "one two three", delayMs: 300 }),
    });
    const text = response.text();
    text.catch(() => undefined); // awaited below, after the signal
    await sleep(100);
    process.kill(-run.child.pid!, "SIGINT");
    expect(await text).toBe('data: "one"\n\ndata: "two"\n\ndata: "three"\n\n');
    const exit = await within(run.exit, STOP_MS, "bentoc serve to exit after SIGINT");
    expect(exit, run.stderr()).toEqual({ code: 0, signal: null });
    expect(run.stdout()).toMatch(/SIGINT received/);
    for (const pid of run.serverPids()) expect(isAlive(pid)).toBe(false);
    expect(await canListen(run.port)).toBe(true);
  });

  it("loads the .env beside the service without overriding variables already set", async () => {
    const dir = serviceDir(`import { api, service } from "bentoc";

@service()
export class EnvProbe {
  @api()
  async env(): Promise<{ greeting: string; preset: string }> {
    return { greeting: process.env.GREETING ?? "", preset: process.env.PRESET ?? "" };
  }
}
`);
    fs.writeFileSync(path.join(dir, ".env"), '# the service\'s settings\nGREETING="hello from .env"\nPRESET=from-the-file\n');
    const run = await serve(path.join(dir, "service.ts"), [], { PRESET: "from-the-environment", GREETING: undefined });
    await untilReady(run);
    const response = await postJson(run, "/env", {});
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ greeting: "hello from .env", preset: "from-the-environment" });
    await stopGracefully(run);
  });

  it("without --port, listens where BENTOC_PORT in the .env says, as the bento would in a container", async () => {
    const dir = serviceDir(versionService("dotenv-port"));
    const run = await serve(path.join(dir, "service.ts"), [], { BENTOC_PORT: undefined, PORT: undefined }, { portInDotEnv: true });
    await untilReady(run);
    expect(await version(run)).toBe("dotenv-port");
    await stopGracefully(run);
  });

  it("prints a compile error like `bentoc compile`, exits 1 and starts no server", async () => {
    const dir = serviceDir(`import { api, service } from "bentoc";

@service()
export class Broken {
  @api()
  async answer(): Promise<number> {
    const wrong: number = "forty-two";
    return wrong;
  }
}
`);
    const port = await freePort();
    const run = runCli(["serve", path.join(dir, "service.ts"), "--port", String(port)]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/service\.ts:7:11 - error TS2322: Type 'string' is not assignable to type 'number'\./);
    expect(run.stderr).toMatch(/Found 1 error\./);
    expect(run.stderr).toBe(runCli(["compile", path.join(dir, "service.ts"), "-o", path.join(dir, "out")]).stderr);
    expect(run.stdout).toBe("");
    expect(await canConnect(port)).toBe(false);
    expect(fs.existsSync(path.join(dir, ".bentoc"))).toBe(false);
  });

  it.each([["abc"], ["70000"], ["3000.5"], ["-1"], [""]])("rejects --port %j with a one-line error", (value) => {
    const run = runCli(["serve", EXAMPLE, "--port", value]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(`bentoc: error: --port must be a whole number from 0 to 65535; got '${value}'\n`);
  });

  it("--reload serves an edit, keeps the last good server through a broken edit, then picks up a good one", { timeout: 120_000 }, async () => {
    const dir = serviceDir(versionService("v1"));
    const file = path.join(dir, "service.ts");
    const run = await serve(file, ["--reload"]);
    await untilReady(run);
    await until(() => /watching .* for changes/.test(run.stderr()), STARTUP_MS, "the watcher to be ready");
    expect(await version(run)).toBe("v1");

    // A good edit: served within the bound; the time is measured from the write.
    const first = await editAndWait(run, file, "v2");
    // And another, to see the time is not a one-off.
    const second = await editAndWait(run, file, "v3");
    const reported = [...run.stderr().matchAll(/reloaded in (\d+) ms/g)].map((match) => Number(match[1]));
    console.info(`bentoc serve --reload: edit → new code served in ${first} ms and ${second} ms; bentoc reported reloads of ${reported.join(", ")} ms`);
    expect(reported.length).toBeGreaterThanOrEqual(2);

    // A broken edit: diagnostics are printed and the old server keeps answering.
    const mark = run.stderr().length;
    fs.writeFileSync(file, versionService("v4").replace('return { version: "v4" };', 'const n: number = "v4";\n    return { version: String(n) };'));
    await until(() => /the last good server keeps running/.test(run.stderr().slice(mark)), RELOAD_MS * 2, "the broken edit to be reported");
    const report = run.stderr().slice(mark);
    expect(report).toMatch(/service\.ts:\d+:\d+ - error TS2322: Type 'string' is not assignable to type 'number'\./);
    for (let i = 0; i < 5; i++) expect(await version(run)).toBe("v3");

    // Two edits in quick succession (the second arrives while the first reload is under way): the last one wins.
    fs.writeFileSync(file, versionService("v5"));
    await sleep(150);
    fs.writeFileSync(file, versionService("v6"));
    await until(async () => (await version(run).catch(() => undefined)) === "v6", RELOAD_MS * 2, "the last of two quick edits to be served");
    await sleep(500);
    expect(await version(run)).toBe("v6");

    // Saving without a change does not restart the server.
    const servers = run.serverPids().length;
    const beforeSave = run.stderr().length;
    fs.writeFileSync(file, versionService("v6"));
    await until(() => /the server is unchanged/.test(run.stderr().slice(beforeSave)), RELOAD_MS * 2, "the unchanged save to be noticed");
    expect(await version(run)).toBe("v6");
    expect(run.serverPids().length).toBe(servers);

    // SIGTERM with a call in flight: the call completes, the server gets one signal, bentoc exits 0.
    const inFlight = postJson(run, "/slow", { ms: 1_000 }).then(async (response) => ({ status: response.status, body: await response.json() }));
    inFlight.catch(() => undefined); // awaited below, after the stop
    await until(async () => sampleSum(await (await fetch(`${run.url}/metrics`)).text(), "bentoc_requests_in_flight", 'route="/slow"') === 1, RELOAD_MS * 2, "the slow call to be in flight");
    await stopGracefully(run);
    expect(await inFlight).toEqual({ status: 200, body: { version: "v6" } });
    expect(run.stderr()).not.toMatch(/reload failed|internal error|exited with code/);
  });

  it("--reload survives a server that crashes at startup and starts the next good edit", { timeout: 120_000 }, async () => {
    const dir = serviceDir(versionService("v1"));
    const file = path.join(dir, "service.ts");
    const run = await serve(file, ["--reload"]);
    await untilReady(run);
    await until(() => /watching .* for changes/.test(run.stderr()), STARTUP_MS, "the watcher to be ready");

    fs.writeFileSync(file, `if (Date.now() > 0) throw new Error("boom at startup");\n${versionService("v2")}`);
    await until(() => /the server exited with code 1/.test(run.stderr()), RELOAD_MS, "the crash to be reported");
    // The server's own fatal log line says why (logs go to stdout).
    expect(run.stdout()).toMatch(/the service failed to start: boom at startup/);
    expect(run.child.exitCode).toBe(null);
    expect(await canConnect(run.port)).toBe(false);

    await editAndWait(run, file, "v3");
    await stopGracefully(run);
  });

  it("--reload watches the modules the service imports from outside its folder", { timeout: 120_000 }, async () => {
    const root = serviceDir("");
    fs.rmSync(path.join(root, "service.ts"));
    fs.mkdirSync(path.join(root, "shared"));
    fs.mkdirSync(path.join(root, "app"));
    const shared = path.join(root, "shared", "version.ts");
    fs.writeFileSync(shared, 'export const VERSION = "one";\n');
    fs.writeFileSync(path.join(root, "app", "service.ts"), versionService("unused").replace('import { api', 'import { VERSION } from "../shared/version.js";\nimport { api').replaceAll('version: "unused"', "version: VERSION"));
    const run = await serve(path.join(root, "app", "service.ts"), ["--reload"]);
    await untilReady(run);
    await until(() => /watching .* and 1 file it imports from elsewhere for changes/.test(run.stderr()), STARTUP_MS, "the watcher to be ready");
    expect(await version(run)).toBe("one");
    fs.writeFileSync(shared, 'export const VERSION = "two";\n');
    await until(async () => (await version(run).catch(() => undefined)) === "two", RELOAD_MS, "the edit of the imported module to be served");
    await stopGracefully(run);
  });

  it("serves a service written as an ES module file (.mts)", async () => {
    const dir = serviceDir("");
    fs.renameSync(path.join(dir, "service.ts"), path.join(dir, "service.mts"));
    fs.writeFileSync(path.join(dir, "service.mts"), versionService("mts"));
    const run = await serve(path.join(dir, "service.mts"));
    await untilReady(run);
    expect(await version(run)).toBe("mts");
    await stopGracefully(run);
  });

  it("--reload reads a changed .env again", { timeout: 120_000 }, async () => {
    const dir = serviceDir(`import { api, service } from "bentoc";

@service()
export class EnvProbe {
  @api()
  async version(): Promise<{ version: string }> {
    return { version: process.env.VERSION ?? "" };
  }
}
`);
    fs.writeFileSync(path.join(dir, ".env"), "VERSION=one\n");
    const run = await serve(path.join(dir, "service.ts"), ["--reload"], { VERSION: undefined });
    await untilReady(run);
    await until(() => /watching .* for changes/.test(run.stderr()), STARTUP_MS, "the watcher to be ready");
    expect(await version(run)).toBe("one");
    fs.writeFileSync(path.join(dir, ".env"), "VERSION=two\n");
    await until(async () => (await version(run).catch(() => undefined)) === "two", RELOAD_MS, "the new .env to be served");
    await stopGracefully(run);
  });
});

// --- helpers -------------------------------------------------------------------------------

function versionService(version: string): string {
  return `import { api, service, type int32 } from "bentoc";

@service()
export class Versioned {
  @api()
  async version(): Promise<{ version: string }> {
    return { version: "${version}" };
  }

  @api()
  async slow(ms: int32): Promise<{ version: string }> {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return { version: "${version}" };
  }
}
`;
}

/** A temp folder inside the repo (so `bentoc` resolves) holding `service.ts`. */
function serviceDir(source: string): string {
  const dir = fs.mkdtempSync(path.join(REPO_ROOT, ".bentoc-tmp-"));
  tempDirs.push(dir);
  fs.writeFileSync(path.join(dir, "service.ts"), source);
  return dir;
}

/** `portInDotEnv`: no --port; the port goes into the `.env` beside the service instead. */
async function serve(service: string, flags: string[] = [], env: Record<string, string | undefined> = {}, options: { ownGroup?: boolean; portInDotEnv?: boolean } = {}): Promise<Serving> {
  const port = await freePort();
  if (options.portInDotEnv) fs.appendFileSync(path.join(path.dirname(service), ".env"), `BENTOC_PORT=${port}\n`);
  const portFlag = options.portInDotEnv ? [] : ["--port", String(port)];
  const childEnv: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", BENTOC_LOG_FORMAT: "json" };
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete childEnv[key];
    else childEnv[key] = value;
  }
  const child = spawn(process.execPath, [BIN, "serve", service, ...portFlag, ...flags], {
    cwd: REPO_ROOT,
    env: childEnv,
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, as a shell gives a foreground command: a signal to the group reaches all of it.
    detached: options.ownGroup ?? false,
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  const run: Serving = {
    child,
    port,
    url: `http://127.0.0.1:${port}`,
    stdout: () => stdout,
    stderr: () => stderr,
    exit,
    serverPids: () => [...new Set([...stdout.matchAll(/"pid":(\d+)/g)].map((match) => Number(match[1])))],
  };
  serving.add(run);
  return run;
}

async function untilReady(run: Serving): Promise<void> {
  await until(
    async () => {
      if (run.child.exitCode !== null) throw new Error(`bentoc serve exited with ${run.child.exitCode}:\n${run.stderr()}\n${run.stdout()}`);
      const response = await fetch(`${run.url}/readyz`).catch(() => undefined);
      return response?.status === 200;
    },
    STARTUP_MS,
    "the server to be ready",
  );
}

/** Sends SIGTERM and expects a graceful stop: exit 0, no server process left, the port free. */
async function stopGracefully(run: Serving): Promise<void> {
  run.child.kill("SIGTERM");
  const exit = await within(run.exit, STOP_MS, "bentoc serve to exit after SIGTERM");
  expect(exit, run.stderr()).toEqual({ code: 0, signal: null });
  for (const pid of run.serverPids()) expect(isAlive(pid), `server process ${pid}`).toBe(false);
  expect(await canConnect(run.port)).toBe(false);
  expect(await canListen(run.port)).toBe(true);
}

/** Writes a new version of the service and returns the milliseconds until the server answers with it. */
async function editAndWait(run: Serving, file: string, next: string): Promise<number> {
  const started = performance.now();
  fs.writeFileSync(file, versionService(next));
  await until(async () => (await version(run).catch(() => undefined)) === next, RELOAD_MS, `version ${next} to be served`, 20);
  return Math.round(performance.now() - started);
}

async function version(run: Serving): Promise<string> {
  const response = await postJson(run, "/version", {});
  if (response.status !== 200) throw new Error(`status ${response.status}`);
  return ((await response.json()) as { version: string }).version;
}

function postJson(run: Serving, route: string, body: unknown): Promise<Response> {
  return fetch(`${run.url}${route}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body), signal: AbortSignal.timeout(5_000) });
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string, intervalMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

async function within<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: "127.0.0.1" });
    socket.setTimeout(2_000);
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => (socket.destroy(), resolve(false)));
  });
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

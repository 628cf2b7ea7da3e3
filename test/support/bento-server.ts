import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { bundleServer } from "../../cli/bundle.js";
import { formatDiagnostics } from "../../cli/code-frame.js";
import { compileService } from "../../compiler/index.js";
import type { BentoManifest } from "../../manifest/types.js";
import type { BentoServer, ServerOptions } from "../../runtime/index.js";
import { REPO_ROOT } from "./run-cli.js";

export { REPO_ROOT };

/** A service given as source text (written to `service.ts` in a fresh folder) or as a file on disk. */
export type ServiceSource = string | { file: string };

/** A compiled and bundled service, not yet running. */
export interface BuiltBento {
  /** Temp folder inside the repo (so "bentoc" resolves to this package); holds the service and `out/`. */
  dir: string;
  manifest: BentoManifest;
  serverModule: string;
  mainFile: string;
  /** Imports `server.mjs` and starts a server on 127.0.0.1 with a random port. */
  start(options?: ServerOptions, startup?: { waitForReady?: boolean }): Promise<RunningBento>;
  /** Runs `main.mjs` as a child process (working directory: `dir`); its `close()` leaves `dir` in place. */
  spawn(options?: SpawnOptions): Promise<SpawnedBento>;
  remove(): void;
}

export interface RunningBento {
  url: string;
  server: BentoServer;
  /** Settles when `listen()` has run the `@onStartup` hooks (already settled unless `waitForReady: false`). */
  ready: Promise<string>;
  close(): Promise<void>;
}

/**
 * Compiles, bundles and starts a service in this process. `close()` stops the server and
 * removes the temp folder. The test fails with the formatted diagnostics if it does not compile.
 */
export async function startBento(source: ServiceSource, options: ServerOptions = {}, startup: { waitForReady?: boolean } = {}): Promise<RunningBento> {
  return runBuilt(source, (built) => built.start(options, startup));
}

/** Builds the service and runs it with `run`; the temp folder goes with `close()`, or at once if starting fails. */
async function runBuilt<T extends { close(): Promise<void> }>(source: ServiceSource, run: (built: BuiltBento) => Promise<T>): Promise<T> {
  const built = await buildBento(source);
  try {
    const running = await run(built);
    return {
      ...running,
      close: async () => {
        try {
          await running.close();
        } finally {
          built.remove();
        }
      },
    };
  } catch (error) {
    built.remove();
    throw error;
  }
}

/** Writes (when given as text), compiles and bundles a service into a temp folder inside the repo. */
export async function buildBento(source: ServiceSource): Promise<BuiltBento> {
  await ensureRuntimeBuilt();
  const dir = fs.mkdtempSync(path.join(REPO_ROOT, ".bentoc-tmp-"));
  const remove = () => fs.rmSync(dir, { recursive: true, force: true });
  try {
    const serviceFile = typeof source === "string" ? path.join(dir, "service.ts") : path.resolve(source.file);
    if (typeof source === "string") fs.writeFileSync(serviceFile, source);
    const result = compileService(serviceFile);
    if (!result.manifest) {
      throw new Error(`The service does not compile:\n${formatDiagnostics(result.diagnostics, { color: false, cwd: path.dirname(serviceFile) })}`);
    }
    const manifest = result.manifest;
    const outDir = path.join(dir, "out");
    const mainFile = await bundleServer(manifest, serviceFile, outDir);
    const serverModule = path.join(outDir, "server.mjs");
    return {
      dir, manifest, serverModule, mainFile, remove,
      start: (options, startup) => startBuilt(serverModule, options, startup),
      spawn: (options) => spawnBuilt(dir, mainFile, options),
    };
  } catch (error) {
    remove();
    throw error;
  }
}

async function startBuilt(serverModule: string, options: ServerOptions = {}, startup: { waitForReady?: boolean } = {}): Promise<RunningBento> {
  const { createServer } = (await import(pathToFileURL(serverModule).href)) as { createServer(options: ServerOptions): BentoServer };
  const server = createServer({ port: 0, host: "127.0.0.1", logger: false, taskStore: "memory", ...options });
  const ready = server.listen();
  ready.catch(() => undefined); // observed by the caller through `ready`
  try {
    if (startup.waitForReady !== false) await ready;
    // listen() resolves only after the startup hooks; the address is known as soon as the socket listens.
    const address = await until(() => server.app.server.address(), "the server to listen", 10_000);
    if (typeof address !== "object") throw new Error(`Unexpected server address ${String(address)}`);
    return { url: `http://127.0.0.1:${address.port}`, server, ready, close: () => server.close() };
  } catch (error) {
    await server.close();
    throw error;
  }
}

/** The bundled `main.mjs` as a child process, as a container runs it. */
export interface SpawnedBento {
  url: string;
  /** The temp folder, which is also the child's working directory. */
  dir: string;
  child: ChildProcess;
  /** Everything the child wrote so far (JSON log lines). */
  output(): string;
  /** Resolves with the exit code (or the signal that ended it). */
  exited: Promise<number | NodeJS.Signals>;
  /** Kills the child if it still runs (and, from `spawnBento`, removes the temp folder). */
  close(): Promise<void>;
}

export interface SpawnOptions {
  env?: NodeJS.ProcessEnv;
  /** How long the child may take to log that it is ready (default 15 s). */
  timeoutMs?: number;
}

/**
 * Builds the service and runs `main.mjs` with BENTOC_PORT=0 and JSON logs; the port is read
 * from Fastify's "Server listening at …" line. Resolves once the server logged that it is ready;
 * `close()` kills the child if it still runs and removes the temp folder.
 */
export async function spawnBento(source: ServiceSource, options: SpawnOptions = {}): Promise<SpawnedBento> {
  return runBuilt(source, (built) => built.spawn(options));
}

async function spawnBuilt(dir: string, mainFile: string, options: SpawnOptions = {}): Promise<SpawnedBento> {
  const child = spawn(process.execPath, ["--enable-source-maps", mainFile], {
    cwd: dir,
    env: { ...process.env, BENTOC_PORT: "0", BENTOC_HOST: "127.0.0.1", BENTOC_LOG_FORMAT: "json", BENTOC_LOG_LEVEL: "info", BENTOC_TASK_STORE: "memory", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  const exited = new Promise<number | NodeJS.Signals>((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal ?? 1)));
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGKILL");
      await exited;
    }
  };
  const messages = () => output.split("\n").flatMap((line) => {
    try {
      return [String((JSON.parse(line) as { msg?: unknown }).msg)];
    } catch {
      return [];
    }
  });
  try {
    const url = await until(() => {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`main.mjs exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${output}`);
      const logged = messages();
      const listening = logged.map((message) => /^Server listening at (http:\/\/127\.0\.0\.1:\d+)$/.exec(message)?.[1]).find(Boolean);
      return logged.some((message) => / is ready$/.test(message)) ? listening : undefined;
    }, "main.mjs to log that it is listening and ready", options.timeoutMs ?? 15_000);
    return { url, dir, child, output: () => output, exited, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Polls `probe` until it returns something other than undefined/null, or fails after `timeoutMs`. */
export async function until<T>(probe: () => T | undefined | null | Promise<T | undefined | null>, what: string, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== null) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** POSTs a JSON body and returns the status, headers and parsed (or raw) body. */
export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; body: any; text: string }> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body), signal: AbortSignal.timeout(15_000) });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: the raw text is the body
  }
  return { status: response.status, headers: response.headers, body: parsed, text };
}

// The bundled server imports "bentoc/runtime", which the package's self-reference resolves to
// dist/; a test run must not exercise (or type-check against) a runtime older than its sources.
const BUILT_SOURCES = ["runtime", "sdk", "manifest"];
let runtimeChecked = false;

export async function ensureRuntimeBuilt(): Promise<void> {
  if (runtimeChecked) return;
  if (staleOutputs().length > 0) {
    const lock = path.join(REPO_ROOT, ".bentoc-tmp-build-lock");
    // A lock left by a test process that died mid-build.
    if (fs.existsSync(lock) && Date.now() - fs.statSync(lock).mtimeMs > 180_000) fs.rmSync(lock, { recursive: true, force: true });
    let owner = false;
    try {
      fs.mkdirSync(lock);
      owner = true;
    } catch {
      // another test process is building: wait for it below
    }
    if (owner) {
      try {
        spawnSync(process.execPath, [path.join(REPO_ROOT, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], { cwd: REPO_ROOT, stdio: "ignore", timeout: 120_000 });
      } finally {
        fs.rmSync(lock, { recursive: true, force: true });
      }
    } else {
      const deadline = Date.now() + 120_000;
      while (fs.existsSync(lock) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // Sources that still have no fresh output were written during the build, or do not compile: tsc has said so.
    const stale = staleOutputs();
    if (stale.length > 0) console.warn(`bentoc tests: dist/ is still older than ${stale.slice(0, 3).join(", ")} after \`tsc -p tsconfig.build.json\``);
  }
  runtimeChecked = true;
}

function staleOutputs(): string[] {
  const stale: string[] = [];
  const visit = (folder: string) => {
    for (const entry of fs.readdirSync(path.join(REPO_ROOT, folder), { withFileTypes: true })) {
      const relative = path.join(folder, entry.name);
      if (entry.isDirectory()) visit(relative);
      else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) {
        const output = path.join(REPO_ROOT, "dist", relative.replace(/\.ts$/, ".js"));
        if (!fs.existsSync(output) || fs.statSync(output).mtimeMs < fs.statSync(path.join(REPO_ROOT, relative)).mtimeMs) stale.push(relative);
      }
    }
  };
  for (const folder of BUILT_SOURCES) visit(folder);
  return stale;
}

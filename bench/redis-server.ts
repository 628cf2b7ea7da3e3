// A throwaway redis-server for a bench or a test: 127.0.0.1 at a free port, nothing persisted,
// its working folder a temp folder that goes with it. Here (not in test/support) because the
// build (tsconfig.build.json) compiles bench/ but not test/; test/support/redis-server.ts
// re-exports it for the tests.
import { spawn, type ChildProcess } from "node:child_process";
import { accessSync, constants, mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { freePort } from "../cli/serve/free-port.js";

const HOST = "127.0.0.1";
const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;
/** Tries at other ports when the one picked was taken between picking and binding. */
const PORT_ATTEMPTS = 3;

export interface RedisServer {
  host: string;
  port: number;
  /** `redis://127.0.0.1:<port>/<db>` (db 0 unless given). */
  url(db?: number): string;
  /** The redis-server process's pid. */
  pid: number;
  /** Shuts the server down (SIGTERM, SIGKILL after 5 s) and removes its folder; safe to call twice. */
  stop(): Promise<void>;
}

export interface RedisServerOptions {
  /** The port to listen on (default: a free one, picked here). */
  port?: number;
  /** The redis-server program (default: `redis-server` on PATH, else /usr/bin/redis-server). */
  binary?: string;
}

/** Where redis-server is: BENTOC_REDIS_SERVER, else the first `redis-server` on PATH, else undefined. */
export function findRedisServer(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates = env.BENTOC_REDIS_SERVER ? [env.BENTOC_REDIS_SERVER] : [...(env.PATH ?? "").split(delimiter).filter(Boolean).map((dir) => join(dir, "redis-server")), "/usr/bin/redis-server"];
  return candidates.find((file) => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Why no redis-server can be started here (one line, for a skipped suite's name), or undefined when one can. */
export function redisServerMissing(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (findRedisServer(env)) return undefined;
  return env.BENTOC_REDIS_SERVER
    ? `BENTOC_REDIS_SERVER=${env.BENTOC_REDIS_SERVER} is not an executable file`
    : "redis-server is not installed (Debian: apt-get install redis-server; .ci/run installs it)";
}

/** Starts redis-server and resolves once it answers PING. */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const binary = options.binary ?? findRedisServer();
  if (!binary) throw new Error(redisServerMissing()!);
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePort());
    try {
      return await startAt(binary, port);
    } catch (error) {
      // Another process took the port after it was picked: pick again.
      if (options.port !== undefined || attempt >= PORT_ATTEMPTS || !(error instanceof PortTaken)) throw error;
    }
  }
}

class PortTaken extends Error {}

async function startAt(binary: string, port: number): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), "bentoc-redis-"));
  const args = ["--bind", HOST, "--port", String(port), "--save", "", "--appendonly", "no", "--dir", dir, "--daemonize", "no", "--protected-mode", "yes", "--loglevel", "warning", "--logfile", ""];
  const child = spawn(binary, args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let stopped: Promise<void> | undefined;
  const stop = () => (stopped ??= stopChild(child, exited).finally(() => rmSync(dir, { recursive: true, force: true })));
  try {
    await untilPong(port, child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { host: HOST, port, pid: child.pid!, url: (db = 0) => `redis://${HOST}:${port}/${db}`, stop };
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const killer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
  child.kill("SIGTERM");
  await exited;
  clearTimeout(killer);
}

async function untilPong(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const log = output().trim();
      const message = `redis-server on ${HOST}:${port} exited (${child.exitCode ?? child.signalCode}) before it answered PING${log ? `:\n${log}` : ""}`;
      throw /address already in use/i.test(log) ? new PortTaken(message) : new Error(message);
    }
    if (await answersPing(port)) return;
    if (Date.now() > deadline) throw new Error(`redis-server on ${HOST}:${port} did not answer PING within ${START_TIMEOUT_MS / 1000} s:\n${output().trim()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Whether a Redis server answers `PING` with `+PONG` on 127.0.0.1:`port` (within 1 s). */
export function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: HOST, port });
    let reply = "";
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok); // the first call wins
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once("error", () => done(false));
    socket.once("close", () => done(false)); // closed without an answer (a no-op once answered)
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.setEncoding("utf8").on("data", (chunk: string) => {
      reply += chunk;
      if (reply.includes("\r\n")) done(reply.startsWith("+PONG"));
    });
  });
}

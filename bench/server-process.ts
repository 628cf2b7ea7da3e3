// A benchmark server in a child process of its own (bench/http-servers.ts), so the load
// generator never shares an event loop with it: start it, ask its CPU time, stop it.
import { fork, type ChildProcess } from "node:child_process";

const START_TIMEOUT_MS = 60_000;

/** A failure the bench reports as one line (no stack): a server that will not start, a wrong answer. */
export class BenchFailure extends Error {}

export interface ServerProcess {
  /** What the bench calls this server in its messages. */
  label: string;
  child: ChildProcess;
  port: number;
  stderr: string[];
}

export interface ServerProcessOptions {
  label: string;
  cwd: string;
  execArgv?: string[];
  /** The program that runs node (default: this node); e.g. valgrind, with node's path ending `execArgv`. */
  execPath?: string;
  env?: NodeJS.ProcessEnv;
  /** Where the server's stdout goes: a file descriptor (its log lines), or this process's stdout (default). */
  stdout?: number;
  /** How long the server may take to report its port (default 60 s). */
  startTimeoutMs?: number;
}

/** Forks `entry args…` and resolves once it reports its port over IPC (`{ port }`). */
export function startServerProcess(entry: string, args: string[], options: ServerProcessOptions): Promise<ServerProcess> {
  const child = fork(entry, args, { cwd: options.cwd, execArgv: options.execArgv ?? [], execPath: options.execPath, env: options.env ?? process.env, stdio: ["ignore", options.stdout ?? "inherit", "pipe", "ipc"] });
  const startTimeoutMs = options.startTimeoutMs ?? START_TIMEOUT_MS;
  const stderr: string[] = [];
  child.stderr!.on("data", (chunk: Buffer) => stderr.push(chunk.toString("utf8")));
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new BenchFailure(`the ${options.label} server did not start within ${startTimeoutMs / 1000} s\n${stderr.join("")}`));
    }, startTimeoutMs);
    child.once("message", (message: { port: number }) => {
      clearTimeout(timer);
      resolvePromise({ label: options.label, child, port: message.port, stderr });
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new BenchFailure(`the ${options.label} server exited (${signal ?? code}) before it listened\n${stderr.join("")}`));
    });
  });
}

export async function stopServerProcess(server: ServerProcess): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  const exited = new Promise<void>((resolvePromise) => server.child.once("exit", () => resolvePromise()));
  const timer = setTimeout(() => server.child.kill("SIGKILL"), 10_000);
  if (server.child.connected) server.child.send("stop");
  else server.child.kill("SIGTERM");
  await exited;
  clearTimeout(timer);
}

/** The server process's CPU time so far (user + system), in microseconds. */
export function serverCpu(server: ServerProcess): Promise<number> {
  return new Promise((resolvePromise) => {
    const onMessage = (message: { cpu?: NodeJS.CpuUsage }) => {
      if (!message.cpu) return;
      server.child.off("message", onMessage);
      resolvePromise(message.cpu.user + message.cpu.system);
    };
    server.child.on("message", onMessage);
    server.child.send("cpu");
  });
}

import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import { logLines, type LogLine } from "../support/log-lines.js";

// Helpers for the worker tests: calls that each open a new connection (so the primary hands
// them to the next worker), the JSON log lines of a bento, and a main.mjs that need not get ready.

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: any;
}

/** One request on a connection of its own (no keep-alive pool: a kept-alive connection stays with one worker). */
export function callFresh(url: string, method: "GET" | "POST" | "PUT", route: string, body?: unknown, timeoutMs = 15_000): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const request = http.request(`${url}${route}`, {
      method,
      agent: false,
      timeout: timeoutMs,
      headers: payload === undefined ? {} : { "content-type": "application/json", "content-length": Buffer.byteLength(payload) },
    }, (response) => {
      let text = "";
      response.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
      response.on("end", () => {
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          // not JSON (e.g. /metrics): the text is the body
        }
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: parsed });
      });
      response.on("error", reject);
    });
    request.on("timeout", () => request.destroy(new Error(`${method} ${route} timed out after ${timeoutMs} ms`)));
    request.on("error", reject);
    request.end(payload);
  });
}

export { logLines, type LogLine };

/** The primary's log lines (it logs with `role: "primary"`). */
export function primaryLines(output: string): LogLine[] {
  return logLines(output).filter((line) => line.role === "primary");
}

/** The sum of a counter's samples whose labels include `labels`, in Prometheus text. */
export function sampleSum(metrics: string, name: string, labels: string): number {
  let sum = 0;
  for (const line of metrics.split("\n")) {
    if (line.startsWith(`${name}{`) && line.includes(labels)) sum += Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return sum;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `main.mjs` as a child process, not waited on (a crash-looping bento never gets ready). */
export interface MainProcess {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | NodeJS.Signals>;
}

export function startMain(mainFile: string, cwd: string, env: NodeJS.ProcessEnv = {}): MainProcess {
  const child = spawn(process.execPath, [mainFile], {
    cwd,
    env: { ...process.env, BENTOC_PORT: "0", BENTOC_HOST: "127.0.0.1", BENTOC_LOG_FORMAT: "json", BENTOC_LOG_LEVEL: "info", BENTOC_TASK_STORE: "memory", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  const exited = new Promise<number | NodeJS.Signals>((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal ?? 1)));
  return { child, output: () => output, exited };
}

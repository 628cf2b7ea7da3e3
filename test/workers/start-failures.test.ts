import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildBento, type BuiltBento } from "../support/bento-server.js";
import { BROKEN_SERVICE } from "./broken-service.js";
import { isAlive, logLines, startMain, type MainProcess } from "./cluster-client.js";
import { PIDS_SERVICE } from "./pids-service.js";

// Bentos that cannot start. One started on a port another server holds says so in words (no
// stack trace) and exits 1; with workers, the primary stops at the first worker that cannot
// listen instead of restarting workers that would fail the same way. One whose service throws
// while constructed logs the error as a log line (JSON here), not as Node's raw crash output.

let occupier: http.Server;
let port: number;
const bentos: BuiltBento[] = [];
const mains: MainProcess[] = [];

beforeAll(async () => {
  occupier = http.createServer((_request, response) => response.end("not a bento"));
  await new Promise<void>((resolve) => occupier.listen(0, "127.0.0.1", resolve));
  port = (occupier.address() as AddressInfo).port;
});

afterAll(async () => {
  for (const main of mains) {
    if (main.child.exitCode === null && main.child.signalCode === null) main.child.kill("SIGKILL");
    for (const line of logLines(main.output())) if (typeof line.workerPid === "number" && isAlive(line.workerPid)) process.kill(line.workerPid, "SIGKILL");
  }
  for (const bento of bentos) bento.remove();
  await new Promise((resolve) => occupier.close(resolve));
});


async function runMain(source: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number | string; output: string }> {
  const bento = await buildBento(source);
  bentos.push(bento);
  const main = startMain(bento.mainFile, bento.dir, env);
  mains.push(main);
  const code = await Promise.race([main.exited, new Promise<string>((resolve) => setTimeout(() => resolve("still running after 20 s"), 20_000))]);
  return { code, output: main.output() };
}

describe("a bento whose port is taken", () => {
  it.each([1, 2])("with %i worker(s) logs that the address is in use, with no stack trace, and exits 1", async (workers) => {
    const { code, output } = await runMain(PIDS_SERVICE(`{ workers: ${workers} }`), { BENTOC_PORT: String(port) });
    expect(code, output).toBe(1);
    const fatal = logLines(output).filter((line) => line.level === 60);
    expect(fatal.map((line) => line.msg), output).toContainEqual(expect.stringContaining(`cannot listen on 127.0.0.1:${port}: the address is already in use`));
    expect(output).not.toMatch(/\n\s+at /);
    // The primary stopped at once: no worker was restarted.
    expect(logLines(output).filter((line) => typeof line.restartInMs === "number")).toEqual([]);
    if (workers > 1) expect(fatal.map((line) => line.msg)).toContainEqual(expect.stringMatching(/^worker \d cannot listen on the bento's address .*stopping the bento$/));
  }, 60_000);
});

describe("a single-process bento whose service throws while constructed", () => {
  it("logs the error as one fatal log line and exits 1", async () => {
    const { code, output } = await runMain(BROKEN_SERVICE("{}"));
    expect(code, output).toBe(1);
    const lines = output.trim().split("\n");
    const fatal = logLines(output).filter((line) => line.level === 60);
    expect(fatal.map((line) => line.msg)).toEqual(["the service failed to start: the model file is missing"]);
    expect((fatal[0]!.err as { stack?: string }).stack).toContain("the model file is missing");
    // Every line of output is a JSON log line: nothing raw for a log collector to split.
    expect(logLines(output).length, output).toBe(lines.length);
  }, 60_000);
});

describe("a bento configured with a value it cannot use", () => {
  it("says which variable, in one line, and exits 2 before it starts", async () => {
    const { code, output } = await runMain(PIDS_SERVICE("{ workers: 2 }"), { BENTOC_PORT: "80a" });
    expect(code, output).toBe(2);
    expect(output.trim()).toBe("bentoc: BENTOC_PORT must be a whole number from 0 to 65535; got '80a'");
  }, 60_000);

  it("refuses a task store URL it cannot use, in one line, and makes no folder named after it", async () => {
    const { code, output } = await runMain(PIDS_SERVICE("{ workers: 1 }"), { BENTOC_TASK_STORE: "postgres://127.0.0.1:5432/tasks" });
    expect(code, output).toBe(2);
    expect(output.trim()).toMatch(/^bentoc: BENTOC_TASK_STORE must be memory, a folder, or a redis:\/\/ or rediss:\/\/ URL \(a postgres: URL .*; got 'postgres:\/\/127\.0\.0\.1:5432\/tasks'$/);
    // A URL used to be taken for a folder (a bento with tasks made an LMDB store in ./redis:).
    expect(fs.existsSync(path.join(bentos.at(-1)!.dir, "postgres:"))).toBe(false);
  }, 60_000);
});

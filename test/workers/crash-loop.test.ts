import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_RESTART_POLICY } from "../../runtime/workers/restart-backoff.js";
import { buildBento, until, type BuiltBento } from "../support/bento-server.js";
import { BROKEN_SERVICE } from "./broken-service.js";
import { isAlive, logLines, primaryLines, sleep, startMain, type LogLine, type MainProcess } from "./cluster-client.js";

// A service whose constructor throws: every worker dies while starting, so the primary must pace
// its restarts (never a tight fork loop), say clearly that it is in a crash loop, and still stop on SIGTERM.

let built: BuiltBento;
let main: MainProcess | undefined;

beforeAll(async () => {
  built = await buildBento(BROKEN_SERVICE("{ workers: 2 }"));
});

afterAll(async () => {
  if (main && main.child.exitCode === null && main.child.signalCode === null) main.child.kill("SIGKILL");
  for (const line of logLines(main?.output() ?? "")) if (typeof line.workerPid === "number" && isAlive(line.workerPid)) process.kill(line.workerPid, "SIGKILL");
  built?.remove();
});

describe("a worker that crashes while starting", () => {
  it("is restarted with doubling delays, logged as a crash loop, and SIGTERM still stops the primary", async () => {
    main = startMain(built.mainFile, built.dir);
    const run = main;
    // States, not a time window: both slots reach their third crash in a row. On a loaded machine a
    // worker takes longer to start and fail, which changes when that happens, not what is logged.
    const lines = await until(() => {
      const now = primaryLines(run.output());
      return [0, 1].every((slot) => now.some((line) => line.worker === slot && isCrashLoop(line))) ? now : undefined;
    }, "both worker slots to be in a crash loop", 60_000);
    const started = (slot: number) => lines.filter((line) => line.worker === slot && isStart(line));
    const restarts = (slot: number) => lines.filter((line) => line.worker === slot && isRestart(line));

    for (const slot of [0, 1]) {
      // Every fork after the first follows a logged, delayed restart: starts and restarts alternate (a tight loop would fork again and again).
      const events = lines.filter((line) => line.worker === slot && (isStart(line) || isRestart(line))).map((line) => (isStart(line) ? "start" : "restart"));
      expect(events, run.output()).toEqual(events.map((_, index) => (index % 2 === 0 ? "start" : "restart")));
      const delays = restarts(slot).map((line) => line.restartInMs);
      expect(delays.length).toBeGreaterThanOrEqual(3);
      const { initialDelayMs, maxDelayMs } = DEFAULT_RESTART_POLICY;
      expect(delays).toEqual(delays.map((_, k) => Math.min(maxDelayMs, initialDelayMs * 2 ** k)));
      // Each restart came no sooner than its delay after the exit that caused it (later is fine: the machine may be busy).
      for (const [k, exit] of restarts(slot).entries()) {
        const next = started(slot)[k + 1];
        if (next) expect(next.time - exit.time).toBeGreaterThanOrEqual((exit.restartInMs as number) - 5);
      }
    }

    const crashLoop = lines.find(isCrashLoop);
    expect(crashLoop, run.output()).toBeDefined();
    expect(crashLoop!.level).toBe(50);
    expect(crashLoop!.msg).toMatch(new RegExp(`exited with code 1 \\(crash 3 in a row, each within ${DEFAULT_RESTART_POLICY.stableAfterMs / 1000} s of starting\\); restarting in 400 ms`));
    // The worker says why it failed, in one line with the service's own error.
    const failures = logLines(run.output()).filter((line: LogLine) => /^worker \d: the service failed to start: the model file is missing$/.test(line.msg));
    expect(failures.length).toBeGreaterThanOrEqual(2);

    run.child.kill("SIGTERM");
    expect(await Promise.race([run.exited, sleep(30_000).then(() => "still running")])).toBe(0);
    // Pending restarts were cancelled: nothing was forked after the signal.
    const afterSignal = primaryLines(run.output()).map((line) => line.msg);
    expect(afterSignal.slice(afterSignal.findIndex((msg) => msg.startsWith("SIGTERM received"))).filter((msg) => /started/.test(msg))).toEqual([]);
    await until(() => (logLines(run.output()).every((line) => typeof line.workerPid !== "number" || !isAlive(line.workerPid)) ? true : undefined), "every worker to be gone", 15_000);
  }, 120_000);
});

const isStart = (line: LogLine) => /^worker \d started/.test(line.msg);
const isRestart = (line: LogLine) => typeof line.restartInMs === "number";
const isCrashLoop = (line: LogLine) => /^worker \d is in a crash loop/.test(line.msg);

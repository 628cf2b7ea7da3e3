import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_RESTART_POLICY } from "../../runtime/workers/restart-backoff.js";
import { buildBento, until, type BuiltBento } from "../support/bento-server.js";
import { BROKEN_SERVICE } from "./broken-service.js";
import { isAlive, logLines, primaryLines, sleep, startMain, type LogLine, type MainProcess } from "./cluster-client.js";

// A service whose constructor throws: every worker dies while starting, so the primary must pace
// its restarts (never a tight fork loop), say clearly that it is in a crash loop, and still stop on SIGTERM.

const WINDOW_MS = 4_000;
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
    await sleep(WINDOW_MS);
    const lines = primaryLines(run.output());
    const started = (slot: number) => lines.filter((line) => line.worker === slot && /^worker \d started/.test(line.msg));
    const restarts = (slot: number) => lines.filter((line) => line.worker === slot && typeof line.restartInMs === "number");

    for (const slot of [0, 1]) {
      // Delays 100, 200, 400, 800, 1600 ms add up to 3.1 s: at most 6 starts fit in the window.
      // A tight loop would start a worker every few hundred milliseconds (node's start-up time).
      expect(started(slot).length, run.output()).toBeGreaterThanOrEqual(3);
      expect(started(slot).length).toBeLessThanOrEqual(6);
      const delays = restarts(slot).map((line) => line.restartInMs);
      expect(delays).toEqual([100, 200, 400, 800, 1600, 3200].slice(0, delays.length));
      // Each restart came no sooner than its delay after the exit that caused it.
      for (const [k, exit] of restarts(slot).entries()) {
        const next = started(slot)[k + 1];
        if (next) expect(next.time - exit.time).toBeGreaterThanOrEqual((exit.restartInMs as number) - 5);
      }
    }

    const crashLoop = lines.find((line) => /^worker \d is in a crash loop/.test(line.msg));
    expect(crashLoop, run.output()).toBeDefined();
    expect(crashLoop!.level).toBe(50);
    expect(crashLoop!.msg).toMatch(new RegExp(`exited with code 1 \\(crash 3 in a row, each within ${DEFAULT_RESTART_POLICY.stableAfterMs / 1000} s of starting\\); restarting in 400 ms`));
    // The worker says why it failed, in one line with the service's own error.
    const failures = logLines(run.output()).filter((line: LogLine) => /^worker \d: the service failed to start: the model file is missing$/.test(line.msg));
    expect(failures.length).toBeGreaterThanOrEqual(2);

    run.child.kill("SIGTERM");
    expect(await Promise.race([run.exited, sleep(10_000).then(() => "still running")])).toBe(0);
    // Pending restarts were cancelled: nothing was forked after the signal.
    const afterSignal = primaryLines(run.output()).map((line) => line.msg);
    expect(afterSignal.slice(afterSignal.findIndex((msg) => msg.startsWith("SIGTERM received"))).filter((msg) => /started/.test(msg))).toEqual([]);
    await until(() => (logLines(run.output()).every((line) => typeof line.workerPid !== "number" || !isAlive(line.workerPid)) ? true : undefined), "every worker to be gone", 5_000);
  });
});

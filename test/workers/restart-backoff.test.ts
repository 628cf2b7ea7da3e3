import { describe, expect, it } from "vitest";
import { DEFAULT_RESTART_POLICY, RestartBackoff } from "../../runtime/workers/restart-backoff.js";

describe("RestartBackoff", () => {
  it("doubles the delay from 100 ms up to the cap while a worker keeps crashing", () => {
    const backoff = new RestartBackoff();
    const delays = Array.from({ length: 12 }, () => backoff.next(50).delayMs);
    expect(delays).toEqual([100, 200, 400, 800, 1600, 3200, 6400, 12800, 25600, 30000, 30000, 30000]);
  });

  it("calls the third crash in a row a crash loop", () => {
    const backoff = new RestartBackoff();
    expect([1, 2, 3, 4].map(() => backoff.next(0))).toEqual([
      { delayMs: 100, crashes: 1, crashLoop: false },
      { delayMs: 200, crashes: 2, crashLoop: false },
      { delayMs: 400, crashes: 3, crashLoop: true },
      { delayMs: 800, crashes: 4, crashLoop: true },
    ]);
  });

  it("starts again from the initial delay once a worker stayed up for stableAfterMs", () => {
    const backoff = new RestartBackoff();
    for (let crash = 0; crash < 5; crash++) backoff.next(10);
    expect(backoff.next(DEFAULT_RESTART_POLICY.stableAfterMs - 1).delayMs).toBe(3200);
    expect(backoff.next(DEFAULT_RESTART_POLICY.stableAfterMs)).toEqual({ delayMs: 100, crashes: 1, crashLoop: false });
  });

  it("follows the policy it is given", () => {
    const backoff = new RestartBackoff({ initialDelayMs: 10, maxDelayMs: 50, stableAfterMs: 1_000, crashLoopAfter: 2 });
    expect(Array.from({ length: 5 }, () => backoff.next(0)).map((decision) => [decision.delayMs, decision.crashLoop])).toEqual([
      [10, false], [20, true], [40, true], [50, true], [50, true],
    ]);
  });
});

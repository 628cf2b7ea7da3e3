import { afterAll, describe, expect, it } from "vitest";
import { spawnBento, until, type SpawnedBento } from "../support/bento-server.js";
import { callFresh, primaryLines, sampleSum } from "./cluster-client.js";
import { PIDS_SERVICE } from "./pids-service.js";

// `workers: 1` is the single process it always was: no primary, no IPC, the same answers.

let bento: SpawnedBento | undefined;

afterAll(async () => {
  await bento?.close();
});

describe("a bento with workers: 1", () => {
  it("serves from the process that was started, with no primary, and stops on SIGTERM with code 0", async () => {
    bento = await spawnBento(PIDS_SERVICE(`{ workers: 1 }`), { timeoutMs: 30_000 });
    const pid = bento.child.pid!;
    for (let call = 0; call < 3; call++) {
      const who = await callFresh(bento.url, "POST", "/whoami", {});
      expect(who.body).toMatchObject({ pid, worker: "" });
    }
    expect(primaryLines(bento.output())).toEqual([]);
    expect((await callFresh(bento.url, "GET", "/readyz")).body).toEqual({ status: "ready" });
    const metrics = await callFresh(bento.url, "GET", "/metrics");
    expect(sampleSum(metrics.body, "bentoc_requests_total", 'route="/whoami"')).toBe(3);
    expect(metrics.body).not.toMatch(/bentoc_workers_ready/);

    const slow = callFresh(bento.url, "POST", "/slow", { ms: 2000 });
    const running = bento;
    await until(async () => (sampleSum((await callFresh(running.url, "GET", "/metrics")).body, "bentoc_requests_in_flight", 'route="/slow"') === 1 ? true : undefined), "the slow call to be in flight", 30_000);
    bento.child.kill("SIGTERM");
    expect((await slow).body).toBe(pid);
    expect(await bento.exited).toBe(0);
  });
});

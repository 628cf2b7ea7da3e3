import { afterAll, describe, expect, it } from "vitest";
import { spawnBento, until, type SpawnedBento } from "../support/bento-server.js";
import { callFresh, isAlive, primaryLines, sleep } from "./cluster-client.js";

// A worker whose @onShutdown hook never returns: the primary waits the shutdown timeout (the
// traffic timeout, 1 s here) and a margin, then kills it, and says so with exit code 1.

const SERVICE = `
import { api, onShutdown, service } from "bentoc";

@service({ workers: 2, traffic: { timeout: 1 } })
export class Stuck {
  @api()
  async hello(): Promise<number> {
    return process.pid;
  }

  @onShutdown
  async hang(): Promise<void> {
    await new Promise(() => setInterval(() => undefined, 1_000));
  }
}
`;

let bento: SpawnedBento | undefined;
const workers = new Set<number>();

afterAll(async () => {
  await bento?.close();
  for (const pid of workers) if (isAlive(pid)) process.kill(pid, "SIGKILL");
});

describe("a worker that does not stop", () => {
  it("is killed after the shutdown timeout, and the primary exits 1", async () => {
    bento = await spawnBento(SERVICE, { timeoutMs: 30_000 });
    const running = bento;
    await until(async () => ((await callFresh(running.url, "GET", "/readyz")).status === 200 ? true : undefined), "both workers to be ready", 30_000);
    for (let call = 0; call < 6 && workers.size < 2; call++) workers.add((await callFresh(running.url, "POST", "/hello", {})).body);
    expect(workers.size).toBe(2);

    const signalled = Date.now();
    running.child.kill("SIGTERM");
    expect(await Promise.race([running.exited, sleep(20_000).then(() => "still running")])).toBe(1);
    // 1 s to drain, then the 5 s margin: not sooner.
    expect(Date.now() - signalled).toBeGreaterThanOrEqual(6_000);
    const killed = primaryLines(running.output()).filter((line) => /did not stop within the shutdown timeout; killing it$/.test(line.msg));
    expect(new Set(killed.map((line) => line.workerPid))).toEqual(workers);
    for (const pid of workers) expect(isAlive(pid)).toBe(false);
  });
});

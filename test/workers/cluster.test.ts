import fs from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { detectResources, planWorkers } from "../../runtime/allocator/index.js";
import { buildBento, until, type BuiltBento, type SpawnedBento } from "../support/bento-server.js";
import { callFresh, isAlive, logLines, primaryLines, sampleSum, type Answer } from "./cluster-client.js";
import { PIDS_SERVICE } from "./pids-service.js";

// A bento with `workers: 3`, run as a container runs it: the bundled main.mjs as a child process
// (the node:cluster primary), with real worker processes behind one port on 127.0.0.1.

const WORKERS = 3;
let built: BuiltBento;
const running: SpawnedBento[] = [];
const workerPids = new Set<number>();

beforeAll(async () => {
  built = await buildBento(PIDS_SERVICE(`{ workers: ${WORKERS}, traffic: { timeout: 30 } }`));
});

afterEach(async () => {
  for (const bento of running.splice(0)) await bento.close();
  // Workers leave with their primary; any that did not would be a bug, and must not outlive the test.
  for (const pid of workerPids) if (isAlive(pid)) process.kill(pid, "SIGKILL");
  workerPids.clear();
});

afterAll(() => built?.remove());

async function start(env: NodeJS.ProcessEnv = {}): Promise<SpawnedBento> {
  const bento = await built.spawn({ timeoutMs: 30_000, env });
  running.push(bento);
  await untilAllReady(bento);
  return bento;
}

async function untilAllReady(bento: SpawnedBento, timeoutMs = 30_000): Promise<Answer> {
  return until(async () => {
    const answer = await callFresh(bento.url, "GET", "/readyz");
    return answer.status === 200 ? answer : undefined;
  }, "/readyz to answer 200", timeoutMs);
}

async function whoami(bento: SpawnedBento): Promise<{ pid: number; worker: string; threads: string; gpus: string }> {
  const answer = await callFresh(bento.url, "POST", "/whoami", {});
  expect(answer.status).toBe(200);
  workerPids.add(answer.body.pid);
  return answer.body;
}

/** Calls until every one of the `count` workers has answered (the primary hands out connections round robin). */
async function everyWorker(bento: SpawnedBento, count = WORKERS): Promise<Map<number, { worker: string; threads: string }>> {
  const seen = new Map<number, { worker: string; threads: string }>();
  for (let call = 0; call < count * 4 && seen.size < count; call++) {
    const who = await whoami(bento);
    seen.set(who.pid, who);
  }
  return seen;
}

describe("a bento with workers: 3", () => {
  it("forks three workers behind one port with the allocator's threads, and the primary never loads the service", async () => {
    const bento = await start();
    const primaryPid = bento.child.pid!;
    const workers = await everyWorker(bento);
    expect(workers.size).toBe(WORKERS);
    expect(workers.has(primaryPid)).toBe(false);

    const plan = planWorkers(await detectResources(), { workers: WORKERS }, process.env);
    expect([...workers.values()].map((who) => who.worker).sort()).toEqual(["0", "1", "2"]);
    for (const who of workers.values()) expect(who.threads).toBe(String(plan.threadsPerWorker));

    // The service module is evaluated and the class constructed in each worker, never in the primary.
    const lines = logLines(bento.output());
    const constructedIn = lines.filter((line) => line.msg === "service constructed").map((line) => line.constructedIn);
    const evaluatedIn = lines.filter((line) => line.msg === "service module evaluated").map((line) => line.evaluatedIn);
    expect(new Set(constructedIn)).toEqual(new Set(workers.keys()));
    expect(new Set(evaluatedIn)).toEqual(new Set(workers.keys()));
    expect(primaryLines(bento.output()).every((line) => line.pid === primaryPid)).toBe(true);
    expect(primaryLines(bento.output()).map((line) => line.msg)).toContain(`all ${WORKERS} workers are ready`);

    const ready = await callFresh(bento.url, "GET", "/readyz");
    expect(ready.body).toEqual({ status: "ready", workers: { ready: WORKERS, expected: WORKERS } });
  });

  it("answers /metrics from any worker with the request counts of all workers summed", async () => {
    const bento = await start();
    const calls = WORKERS * 4;
    const answered = new Set<number>();
    for (let call = 0; call < calls; call++) answered.add((await whoami(bento)).pid);
    expect(answered.size).toBe(WORKERS);

    // Each answer comes from the worker the connection landed on; its request id's prefix is per process.
    const answerers = new Set<string>();
    for (let ask = 0; ask < WORKERS * 2; ask++) {
      const metrics = await callFresh(bento.url, "GET", "/metrics");
      expect(metrics.status).toBe(200);
      expect(metrics.headers["content-type"]).toMatch(/^text\/plain/);
      expect(sampleSum(metrics.body, "bentoc_requests_total", 'route="/whoami"')).toBe(calls);
      expect(metrics.body).toMatch(/^bentoc_workers_ready 3$/m);
      answerers.add(String(metrics.headers["x-request-id"]).split("-")[0]!);
    }
    expect(answerers.size).toBe(WORKERS);
  });

  it("restarts a worker killed with SIGKILL while the others keep serving, and /readyz goes 503 then 200", async () => {
    // The restarted worker waits in its @onStartup hook while this file exists, so the degraded
    // state lasts until the test has seen it, however slowly a loaded machine runs either side.
    const gate = path.join(built.dir, "hold-startup");
    const bento = await start({ PIDS_HOLD_STARTUP: gate });
    const before = await everyWorker(bento);
    expect(before.size).toBe(WORKERS);
    const [victim] = before.keys();
    fs.writeFileSync(gate, "");
    process.kill(victim!, "SIGKILL");
    // A connection the primary hands to a worker in the instant between its death and the primary
    // noticing is lost by node:cluster (docs/workers.md); calls start once the primary has noticed.
    const restartLine = await until(() => primaryLines(bento.output()).find((line) => line.workerPid === victim && /restarting in/.test(line.msg)), "the primary to notice the kill", 10_000);
    expect(restartLine.msg).toMatch(/was killed by SIGKILL unexpectedly; restarting in 100 ms$/);

    const degraded = await until(async () => {
      const answer = await callFresh(bento.url, "GET", "/readyz");
      return answer.status === 503 ? answer : undefined;
    }, "/readyz to answer 503", 10_000);
    expect(degraded.headers["retry-after"]).toBe("1");
    expect(degraded.body).toMatchObject({ status: "degraded", workers: { ready: WORKERS - 1, expected: WORKERS } });

    // While the newcomer is held, every call succeeds, answered by the survivors.
    const duringRestart: number[] = [];
    for (let call = 0; call < WORKERS * 2; call++) duringRestart.push((await whoami(bento)).pid);
    expect(duringRestart).not.toContain(victim);
    expect((await callFresh(bento.url, "GET", "/readyz")).status).toBe(503);

    fs.rmSync(gate);
    await untilAllReady(bento);
    const after = await everyWorker(bento);
    expect(after.size).toBe(WORKERS);
    expect(after.has(victim!)).toBe(false);
    const newcomers = [...after.keys()].filter((pid) => !before.has(pid));
    expect(newcomers).toHaveLength(1);

    const metrics = await callFresh(bento.url, "GET", "/metrics");
    expect(metrics.body).toMatch(/^bentoc_worker_restarts_total 1$/m);
  });

  it("drains in-flight calls on every worker on SIGTERM, then the primary exits 0", async () => {
    const bento = await start();
    const slowCalls = Array.from({ length: WORKERS * 2 }, () => callFresh(bento.url, "POST", "/slow", { ms: 1500 }));
    // Every slow call has reached a worker once the cluster counts them all in flight.
    await until(async () => {
      const metrics = await callFresh(bento.url, "GET", "/metrics");
      return sampleSum(metrics.body, "bentoc_requests_in_flight", 'route="/slow"') === WORKERS * 2 ? true : undefined;
    }, "the slow calls to be in flight", 10_000);

    bento.child.kill("SIGTERM");
    const answers = await Promise.all(slowCalls);
    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 200));
    const servedBy = new Set(answers.map((answer) => answer.body as number));
    expect(servedBy.size).toBeGreaterThan(1);
    expect(await bento.exited).toBe(0);
    for (const pid of servedBy) expect(isAlive(pid), `worker ${pid}`).toBe(false);
    expect(primaryLines(bento.output()).map((line) => line.msg)).toEqual(expect.arrayContaining(["SIGTERM received; stopping 3 worker(s), each finishes its in-flight requests", "all workers stopped"]));
    // No worker was restarted while stopping.
    expect(primaryLines(bento.output()).filter((line) => /restarting/.test(line.msg))).toEqual([]);
  });

  it("ends its workers when the primary itself is killed", async () => {
    const bento = await start();
    const workers = [...(await everyWorker(bento)).keys()];
    bento.child.kill("SIGKILL");
    await bento.exited;
    await until(() => (workers.every((pid) => !isAlive(pid)) ? true : undefined), "the orphaned workers to exit", 10_000);
  });
});

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildBento, until, type BuiltBento, type SpawnedBento } from "../support/bento-server.js";
import { logLines } from "../support/log-lines.js";
import { redisServerMissing, startRedisServer, type RedisServer } from "../support/redis-server.js";
import { callFresh, isAlive, startMain } from "./cluster-client.js";
import { freePort } from "../support/ports.js";

// Tasks served by several processes sharing one store: workers of a bento sharing LMDB, and
// replicas sharing Redis. Each task writes to a journal file when it starts, is aborted, and
// ends, so the test sees which process ran what, and how often.

const SERVICE = (workers: number) => `
import { appendFileSync } from "node:fs";
import { service, task, type Context, type int32 } from "bentoc";

const journal = (event: string, id: string) => appendFileSync(process.env.JOURNAL!, \`\${event} \${id} \${process.pid}\\n\`);

async function work(id: string, ms: number, ctx: Context): Promise<number> {
  journal("start", id);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    ctx.signal.addEventListener("abort", () => {
      clearTimeout(timer);
      journal("aborted", id);
      reject(ctx.signal.reason);
    }, { once: true });
  });
  journal("end", id);
  return process.pid;
}

@service({ workers: ${workers} })
export class Journal {
  /** Runs once: a run lost with its process fails. */
  @task()
  async once(id: string, /** @maximum 60000 */ ms: int32, ctx: Context): Promise<number> {
    return work(id, ms, ctx);
  }

  /** Runs again, once, when its process is lost. */
  @task({ retriesOnLoss: 1 })
  async again(id: string, /** @maximum 60000 */ ms: int32, ctx: Context): Promise<number> {
    return work(id, ms, ctx);
  }
}
`;

const LEASE_MS = 1500;
const dirs: string[] = [];
const bentos: BuiltBento[] = [];
const running: SpawnedBento[] = [];
afterAll(async () => {
  for (const replica of running) await killReplica(replica);
  for (const bento of bentos) bento.remove();
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bentoc-shared-tasks-"));
  dirs.push(dir);
  return dir;
}

interface Entry {
  event: "start" | "aborted" | "end";
  id: string;
  pid: number;
}

function journal(file: string): Entry[] {
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, "utf8").trim().split("\n").filter(Boolean).map((line) => {
    const [event, id, pid] = line.split(" ");
    return { event: event as Entry["event"], id: id!, pid: Number(pid) };
  });
}

/** Starts a replica of the bento (main.mjs, as its image does) and waits until all its workers are ready. */
async function startReplica(bento: BuiltBento, workers: number, env: NodeJS.ProcessEnv): Promise<SpawnedBento> {
  const replica = await bento.spawn({ env: { BENTOC_TASK_LEASE_MS: String(LEASE_MS), ...env }, timeoutMs: 30_000 });
  running.push(replica);
  await until(() => logLines(replica.output()).filter((line) => / is ready$/.test(String(line.msg))).length >= workers || undefined, `${workers} workers to be ready`, 30_000);
  return replica;
}

/** The pids of a replica's processes: its main process and every worker that logged. */
function pidsOf(replica: SpawnedBento): Set<number> {
  return new Set([replica.child.pid!, ...logLines(replica.output()).map((line) => line.pid).filter((pid): pid is number => typeof pid === "number")]);
}

/** `kill -9` on every process of a replica at once, as when its pod's node dies. */
async function killReplica(replica: SpawnedBento): Promise<void> {
  for (const pid of pidsOf(replica)) if (isAlive(pid)) process.kill(pid, "SIGKILL");
  await replica.exited;
}

async function submit(url: string, api: string, id: string, ms: number): Promise<string> {
  const answer = await callFresh(url, "POST", `/${api}/submit`, { id, ms });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body.task_id as string;
}

async function statusOf(url: string, api: string, taskId: string): Promise<string> {
  const answer = await callFresh(url, "GET", `/${api}/status?task_id=${taskId}`);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body.status as string;
}

/**
 * Polls the status until it is final. A connection the cluster's primary handed to a worker just
 * as it was killed is never answered, so each poll gives up after a while and the next one goes on.
 */
async function settle(url: string, api: string, taskId: string, timeoutMs = 30_000): Promise<string> {
  return until(async () => {
    const answer = await callFresh(url, "GET", `/${api}/status?task_id=${taskId}`, undefined, 2000).catch(() => undefined);
    const status = answer?.status === 200 ? (answer.body.status as string) : undefined;
    return status === "pending" || status === "running" ? undefined : status;
  }, `task ${taskId} to finish`, timeoutMs);
}

describe("two workers sharing the LMDB store, one killed with kill -9 while both run tasks", () => {
  it("the other worker's tasks succeed; the killed worker's end by their lease: failed, or run again where the task allows it", async () => {
    const bento = await buildBento(SERVICE(2));
    bentos.push(bento);
    const dir = tempDir();
    const file = path.join(dir, "journal");
    const replica = await startReplica(bento, 2, { BENTOC_TASK_STORE: path.join(dir, "tasks"), JOURNAL: file });

    // Four tasks of each kind, taking long enough that both workers are mid-task at the kill.
    const tasks: { id: string; api: string; taskId: string }[] = [];
    for (let i = 0; i < 8; i++) {
      const api = i % 2 === 0 ? "once" : "again";
      tasks.push({ id: `t${i}`, api, taskId: await submit(replica.url, api, `t${i}`, 4000) });
    }
    const starts = await until(() => {
      const started = journal(file).filter((entry) => entry.event === "start");
      return started.length === 8 && new Set(started.map((entry) => entry.pid)).size === 2 ? started : undefined;
    }, "all 8 tasks to run, on both workers", 20_000);
    const victim = starts[0]!.pid;
    const killedTasks = new Set(starts.filter((entry) => entry.pid === victim).map((entry) => entry.id));
    process.kill(victim, "SIGKILL");

    const outcomes = new Map<string, string>();
    for (const task of tasks) outcomes.set(task.id, await settle(replica.url, task.api, task.taskId));
    const entries = journal(file);
    for (const task of tasks) {
      const mine = entries.filter((entry) => entry.id === task.id);
      const outcome = outcomes.get(task.id);
      if (!killedTasks.has(task.id)) {
        // The surviving worker's task: untouched by the kill, and by the worker started in the victim's place.
        expect([outcome, mine.map((entry) => entry.event)], task.id).toEqual(["success", ["start", "end"]]);
      } else if (task.api === "once") {
        expect([outcome, mine.map((entry) => entry.event)], task.id).toEqual(["failure", ["start"]]);
      } else {
        // Run again by a live worker, once.
        expect([outcome, mine.map((entry) => entry.event)], task.id).toEqual(["success", ["start", "start", "end"]]);
        expect(mine[1]!.pid).not.toBe(victim);
      }
    }
    expect(killedTasks.size).toBeGreaterThan(0);
    expect(killedTasks.size).toBeLessThan(8);
    const lostLines = logLines(replica.output()).filter((line) => String(line.msg).startsWith("task lost its runner"));
    expect(lostLines.length).toBe(killedTasks.size);
  }, 90_000);
});

describe("two workers sharing the LMDB store, asked one after the other", () => {
  it("each sees what the other just wrote: a task submitted to one is known to the next connection, whichever worker takes it", async () => {
    const bento = await buildBento(SERVICE(2));
    bentos.push(bento);
    const dir = tempDir();
    const replica = await startReplica(bento, 2, { BENTOC_TASK_STORE: path.join(dir, "tasks"), JOURNAL: path.join(dir, "journal") });
    // Busy workers (many callers at once, on kept-alive connections, each held by one worker) are where a stale read shows.
    const call = async (method: string, route: string, body?: unknown) => {
      const response = await fetch(`${replica.url}${route}`, { method, ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }), signal: AbortSignal.timeout(15_000) });
      return { status: response.status, body: (await response.json()) as { task_id: string; status: string } };
    };
    const answers = await Promise.all(Array.from({ length: 32 }, async (_, caller) => {
      const seen: string[] = [];
      for (let i = 0; i < 10; i++) {
        const { task_id: taskId } = (await call("POST", "/once/submit", { id: `c${caller}-${i}`, ms: 0 })).body;
        let status: { status: number; body: { status: string } };
        do {
          status = await call("GET", `/once/status?task_id=${taskId}`);
          seen.push(`status ${status.status}`);
        } while (status.status === 200 && status.body.status !== "success");
        seen.push(`get ${(await call("GET", `/once/get?task_id=${taskId}`)).status}`);
      }
      return seen;
    }));
    expect(answers.flat().filter((answer) => !answer.endsWith(" 200"))).toEqual([]);
  }, 60_000);
});

const missing = redisServerMissing();
describe.skipIf(missing)(`replicas sharing a Redis store${missing ? ` (skipped: ${missing})` : ""}`, () => {
  let redis: RedisServer;
  let bento: BuiltBento;
  beforeAll(async () => {
    redis = await startRedisServer();
    bento = await buildBento(SERVICE(2));
    bentos.push(bento);
  }, 60_000);
  afterAll(async () => redis?.stop());

  it("runs 40 tasks submitted across two replicas of two workers each exactly once, and each replica answers for the other's tasks", async () => {
    const dir = tempDir();
    const file = path.join(dir, "journal");
    const env = { BENTOC_TASK_STORE: redis.url(1), JOURNAL: file };
    const replicas = [await startReplica(bento, 2, env), await startReplica(bento, 2, env)];
    const tasks: { id: string; taskId: string; submittedTo: number }[] = [];
    for (let i = 0; i < 40; i++) tasks.push({ id: `t${i}`, taskId: await submit(replicas[i % 2]!.url, "once", `t${i}`, 150), submittedTo: i % 2 });
    for (const task of tasks) {
      const other = replicas[1 - task.submittedTo]!;
      expect(await settle(other.url, "once", task.taskId), task.id).toBe("success");
      const result = await callFresh(other.url, "GET", `/once/get?task_id=${task.taskId}`);
      expect(result.status).toBe(200);
      expect(typeof result.body).toBe("number");
    }
    const entries = journal(file);
    const starts = entries.filter((entry) => entry.event === "start");
    expect(starts.map((entry) => entry.id).sort()).toEqual(tasks.map((task) => task.id).sort()); // each exactly once
    expect(entries.filter((entry) => entry.event === "end").length).toBe(40);
    // Every start was in a worker of one of the two replicas.
    const pids = new Set([...pidsOf(replicas[0]!), ...pidsOf(replicas[1]!)]);
    for (const start of starts) expect(pids.has(start.pid)).toBe(true);
    for (const replica of replicas) await killReplica(replica);
  }, 120_000);

  it("cancel on one replica aborts the task running on the other; a replica killed with kill -9 leaves its task to end by the lease", async () => {
    const dir = tempDir();
    const file = path.join(dir, "journal");
    const env = { BENTOC_TASK_STORE: redis.url(2), JOURNAL: file };
    const replicas = [await startReplica(bento, 2, env), await startReplica(bento, 2, env)];
    const whereRuns = async (id: string) => {
      const start = await until(() => journal(file).find((entry) => entry.event === "start" && entry.id === id), `${id} to start`, 15_000);
      return replicas.findIndex((replica) => pidsOf(replica).has(start.pid));
    };

    const cancelled = await submit(replicas[0]!.url, "once", "cancel-me", 30_000);
    const runsOn = await whereRuns("cancel-me");
    expect(runsOn).toBeGreaterThanOrEqual(0);
    const elsewhere = replicas[1 - runsOn]!;
    const answer = await callFresh(elsewhere.url, "PUT", `/once/cancel?task_id=${cancelled}`);
    expect([answer.status, answer.body.status]).toEqual([200, "cancelled"]);
    await until(() => journal(file).find((entry) => entry.event === "aborted" && entry.id === "cancel-me"), "the running task's signal to be aborted", 10_000);
    expect(await statusOf(replicas[runsOn]!.url, "once", cancelled)).toBe("cancelled");

    const orphan = await submit(replicas[0]!.url, "once", "orphan", 30_000);
    const orphanRunsOn = await whereRuns("orphan");
    await killReplica(replicas[orphanRunsOn]!);
    const survivor = replicas[1 - orphanRunsOn]!;
    expect(await statusOf(survivor.url, "once", orphan)).toBe("running"); // until its lease ends
    expect(await settle(survivor.url, "once", orphan, 20_000)).toBe("failure");
    await killReplica(survivor);
  }, 120_000);
});

describe.skipIf(missing)(`a replica whose Redis store is down${missing ? ` (skipped: ${missing})` : ""}`, () => {
  it("does not start when Redis cannot be reached: one line naming the variable, exit 2; answers 503 when Redis goes away while it serves, says so in one log line, and serves again once Redis is back", async () => {
    const bento = await buildBento(SERVICE(1));
    bentos.push(bento);
    const port = await freePort();
    const main = startMain(bento.mainFile, bento.dir, { BENTOC_TASK_STORE: `redis://:hunter2@127.0.0.1:${port}/0`, JOURNAL: path.join(tempDir(), "journal") });
    expect(await main.exited).toBe(2);
    const fatal = logLines(main.output()).filter((line) => line.level === 60);
    expect(fatal.map((line) => line.msg)).toEqual([`the server cannot start: BENTOC_TASK_STORE: the Redis server at redis://:***@127.0.0.1:${port}/0 cannot be used: connect ECONNREFUSED 127.0.0.1:${port}`]);
    expect(main.output()).not.toMatch(/\n\s+at |hunter2/);

    const redis = await startRedisServer();
    try {
      const replica = await startReplica(bento, 1, { BENTOC_TASK_STORE: redis.url(), JOURNAL: path.join(tempDir(), "journal") });
      const taskId = await submit(replica.url, "once", "before", 10);
      expect(await settle(replica.url, "once", taskId)).toBe("success");
      await redis.stop();
      const answer = await callFresh(replica.url, "GET", `/once/status?task_id=${taskId}`);
      expect([answer.status, answer.body.error, answer.headers["retry-after"]]).toEqual([503, "The task store cannot be reached right now; try again shortly", "1"]);
      expect((await callFresh(replica.url, "GET", "/livez")).status).toBe(200); // the process itself is fine
      // The runner's renewals, reclaims and polls all fail meanwhile: one line says so, not one a second.
      const storeLines = () => logLines(replica.output()).filter((line) => String(line.msg).startsWith("task store:")).map((line) => [line.level, String(line.msg).split(":").slice(0, 2).join(":")]);
      await until(() => storeLines().length > 0 || undefined, "the runner to notice", 10_000);
      await new Promise((resolve) => setTimeout(resolve, 3000));
      expect(storeLines(), replica.output()).toHaveLength(1);
      expect(storeLines()[0]![0]).toBe(50);
      const again = await startRedisServer({ port: redis.port });
      try {
        await until(() => storeLines().length === 2 || undefined, "the runner to say the store works again", 20_000);
        expect(storeLines()[1]).toEqual([30, "task store: works again"]);
        const after = await submit(replica.url, "once", "after", 10);
        expect(await settle(replica.url, "once", after)).toBe("success");
      } finally {
        await again.stop();
      }
    } finally {
      await redis.stop();
    }
  }, 90_000);
});

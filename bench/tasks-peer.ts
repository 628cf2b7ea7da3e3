// The peer of `npm run bench:tasks`: what a developer would write by hand for background tasks
// on Redis, a Fastify server over a BullMQ Queue and Worker, with the bento's HTTP shape:
//   POST /noop/submit {n}          → { task_id, status: "pending" }
//   GET  /noop/status?task_id=…    → { task_id, status, created_at, executed_at }
//   GET  /noop/get?task_id=…       → the result, 409 until the task succeeded
//   node dist/bench/tasks-peer.js <redis://…> <workers>
// One process per worker, each serving HTTP and running a BullMQ Worker with the bento's task
// concurrency (2 workers: node:cluster on one port, as a bento runs them). Started with an IPC
// channel (child_process.fork): it sends `{ port }` once every worker listens, and on "stop"
// (or when the parent goes away) closes and exits.
import cluster from "node:cluster";
import type { AddressInfo } from "node:net";
import { Queue, Worker, type Job } from "bullmq";
import Fastify, { type FastifyReply } from "fastify";
import { TASK_CONCURRENCY, TASK_ROUTE, type NoopInput, type TaskState, type TaskStatusBody } from "./tasks-fixture.js";

const HOST = "127.0.0.1";
const QUEUE = "bench-noop";

function connectionOf(redisUrl: string): { host: string; port: number; db: number } {
  const url = new URL(redisUrl);
  return { host: url.hostname, port: Number(url.port || 6379), db: Number(url.pathname.slice(1) || 0) };
}

/**
 * BullMQ's job fields mapped onto the bento's states: one HGETALL per `status`, the cheapest
 * correct read (Queue.getJobState would be a second round trip for the same answer).
 */
function stateOf(job: Job): TaskState {
  if (job.finishedOn) return job.failedReason ? "failure" : "success";
  return job.processedOn ? "running" : "pending";
}

function statusOf(job: Job): TaskStatusBody {
  return {
    task_id: job.id!,
    status: stateOf(job),
    created_at: new Date(job.timestamp).toISOString(),
    executed_at: job.processedOn ? new Date(job.processedOn).toISOString() : null,
  };
}

/** One worker process: the HTTP routes and a BullMQ Worker. Resolves with its port and a close(). */
async function serve(redisUrl: string): Promise<{ port: number; close(): Promise<void> }> {
  const connection = connectionOf(redisUrl);
  const queue = new Queue<NoopInput, NoopInput>(QUEUE, { connection });
  const worker = new Worker<NoopInput, NoopInput>(QUEUE, async (job) => ({ n: job.data.n }), {
    connection: { ...connection, maxRetriesPerRequest: null },
    concurrency: TASK_CONCURRENCY,
  });
  await Promise.all([queue.waitUntilReady(), worker.waitUntilReady()]);

  const app = Fastify({ logger: false });
  const notFound = (reply: FastifyReply, id: string) => reply.code(404).send({ error: `No task with id '${id}'` });
  const taskId = (query: unknown) => String((query as { task_id?: unknown }).task_id ?? "");
  app.post<{ Body: NoopInput }>(`${TASK_ROUTE}/submit`, { schema: { body: { type: "object", properties: { n: { type: "number" } }, required: ["n"], additionalProperties: false } } }, async (request) => {
    const job = await queue.add("noop", { n: request.body.n });
    return { task_id: job.id!, status: "pending" } satisfies TaskStatusBody;
  });
  app.get(`${TASK_ROUTE}/status`, async (request, reply) => {
    const id = taskId(request.query);
    const job = await queue.getJob(id);
    return job ? statusOf(job) : notFound(reply, id);
  });
  app.get(`${TASK_ROUTE}/get`, async (request, reply) => {
    const id = taskId(request.query);
    const job = await queue.getJob(id);
    if (!job) return notFound(reply, id);
    const state = stateOf(job);
    return state === "success" ? job.returnvalue : reply.code(409).send({ error: `Task '${id}' has no result: it is ${state}` });
  });
  await app.listen({ port: 0, host: HOST });
  return {
    port: (app.server.address() as AddressInfo).port,
    close: async () => {
      await app.close();
      await worker.close();
      await queue.close();
    },
  };
}

/** Closes on SIGTERM (a cluster worker) or on "stop" / the parent going away (a forked peer); exits 0 after. */
function closeOn(close: () => Promise<void>, parentLink: boolean): void {
  let closing = false;
  const stop = () => {
    if (closing) return;
    closing = true;
    close().then(() => process.exit(0), (error: unknown) => {
      console.error(error);
      process.exit(1);
    });
  };
  process.once("SIGTERM", stop);
  if (parentLink) {
    process.on("message", (message) => message === "stop" && stop());
    process.once("disconnect", stop);
  }
}

/** The cluster primary: forks the workers, reports the shared port once all listen, stops them on "stop". */
async function runPrimary(workers: number): Promise<void> {
  const forked = Array.from({ length: workers }, () => cluster.fork());
  const ports = await Promise.all(forked.map((worker) => new Promise<number>((resolve, reject) => {
    worker.once("listening", (address) => resolve(address.port));
    worker.once("exit", (code, signal) => reject(new Error(`a BullMQ peer worker exited (${signal ?? code}) before it listened`)));
  })));
  const stopAll = async () => {
    await Promise.all(forked.map((worker) => new Promise<void>((resolve) => {
      if (worker.isDead()) return resolve();
      worker.once("exit", () => resolve());
      worker.process.kill("SIGTERM");
    })));
  };
  closeOn(stopAll, true);
  process.send!({ port: ports[0]! });
}

async function main(): Promise<void> {
  const [redisUrl, workersArg] = process.argv.slice(2);
  const workers = Number(workersArg);
  if (!redisUrl || !Number.isInteger(workers) || workers < 1) throw new Error(`usage: tasks-peer.js <redis://host:port/db> <workers>; got ${JSON.stringify(process.argv.slice(2))}`);
  if (cluster.isWorker) {
    closeOn((await serve(redisUrl)).close, false);
    return;
  }
  if (!process.send) throw new Error("tasks-peer.js reports its port over IPC: start it with child_process.fork");
  if (workers > 1) return runPrimary(workers);
  const running = await serve(redisUrl);
  closeOn(running.close, true);
  process.send({ port: running.port });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildBento, postJson, until, type BuiltBento, type RunningBento } from "../support/bento-server.js";

const SERVICE = `
import { service, task, type Context } from "bentoc";

export interface Report { epochs: number; finishedAt: Date }

@service()
export class Trainer {
  /** Trains for a while; the duration comes from the caller so tests stay fast. */
  @task()
  async train(epochs: number, delayMs: number, ctx: Context): Promise<Report> {
    ctx.signal.throwIfAborted();
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, delayMs);
      ctx.signal.addEventListener("abort", () => { clearTimeout(timer); reject(new Error("aborted")); });
    });
    if (epochs < 0) throw new Error("negative epochs");
    return { epochs, finishedAt: new Date(Date.UTC(2030, 0, 1)) };
  }
}
`;

interface Status { task_id: string; status: string; created_at: string; executed_at: string | null }

let built: BuiltBento;
let bento: RunningBento;
let storeDir: string;

beforeAll(async () => {
  built = await buildBento(SERVICE);
  storeDir = path.join(built.dir, "tasks");
  bento = await built.start({ taskStore: storeDir });
});
afterAll(async () => {
  await bento?.close();
  built?.remove();
});

const statusOf = async (taskId: string): Promise<Status> => (await (await fetch(`${bento.url}/train/status?task_id=${taskId}`)).json()) as Status;
const finished = (taskId: string) => until(async () => {
  const status = await statusOf(taskId);
  return ["success", "failure", "cancelled"].includes(status.status) ? status : undefined;
}, `task ${taskId} to finish`);

describe("task routes", () => {
  it("submit returns a task id; status moves to success; get returns the typed result", async () => {
    const submitted = await postJson(`${bento.url}/train/submit`, { epochs: 3, delayMs: 200 });
    expect(submitted.status).toBe(200);
    expect(submitted.body).toEqual({ task_id: expect.any(String), status: expect.stringMatching(/^(pending|running)$/) });
    const early = await fetch(`${bento.url}/train/get?task_id=${submitted.body.task_id}`);
    expect(early.status).toBe(409);
    const done = await finished(submitted.body.task_id);
    expect(done).toMatchObject({ status: "success", executed_at: expect.any(String) });
    const result = await fetch(`${bento.url}/train/get?task_id=${submitted.body.task_id}`);
    expect(result.status).toBe(200);
    expect(await result.json()).toEqual({ epochs: 3, finishedAt: "2030-01-01T00:00:00.000Z" });
  });

  it("validates the arguments at submit, like the API would", async () => {
    const bad = await postJson(`${bento.url}/train/submit`, { epochs: "three", delayMs: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.path).toBe("/epochs");
  });

  it("cancel aborts a running task's signal and marks it cancelled; retry runs it again as a new task", async () => {
    const submitted = await postJson(`${bento.url}/train/submit`, { epochs: 1, delayMs: 30_000 });
    await until(async () => ((await statusOf(submitted.body.task_id)).status === "running" ? true : undefined), "the task to run");
    const cancel = await fetch(`${bento.url}/train/cancel?task_id=${submitted.body.task_id}`, { method: "PUT" });
    expect(cancel.status).toBe(200);
    expect(((await cancel.json()) as Status).status).toBe("cancelled");
    expect((await statusOf(submitted.body.task_id)).status).toBe("cancelled");
    const retried = await fetch(`${bento.url}/train/retry?task_id=${submitted.body.task_id}`, { method: "POST" });
    expect(retried.status).toBe(200);
    const again = (await retried.json()) as Status;
    expect(again.task_id).not.toBe(submitted.body.task_id);
    await fetch(`${bento.url}/train/cancel?task_id=${again.task_id}`, { method: "PUT" });
  });

  it("a task whose method throws ends as failure, and get says it has no result", async () => {
    const submitted = await postJson(`${bento.url}/train/submit`, { epochs: -1, delayMs: 1 });
    expect((await finished(submitted.body.task_id)).status).toBe("failure");
    const result = await fetch(`${bento.url}/train/get?task_id=${submitted.body.task_id}`);
    expect(result.status).toBe(409);
    expect(JSON.stringify(await result.json())).not.toMatch(/negative epochs/);
  });

  it("answers an unknown task id with 404 and a missing one with 400", async () => {
    expect((await fetch(`${bento.url}/train/status?task_id=nope`)).status).toBe(404);
    expect((await fetch(`${bento.url}/train/status`)).status).toBe(400);
  });

  it("serves every task route the OpenAPI document lists", async () => {
    const document = (await (await fetch(`${bento.url}/docs.json`)).json()) as { paths: Record<string, object> };
    expect(Object.keys(document.paths).filter((route) => route.startsWith("/train")).sort()).toEqual(
      ["/train/cancel", "/train/get", "/train/retry", "/train/status", "/train/submit"],
    );
  });

  it("keeps finished tasks in the store across a restart", async () => {
    const submitted = await postJson(`${bento.url}/train/submit`, { epochs: 7, delayMs: 1 });
    await finished(submitted.body.task_id);
    await bento.close();
    expect(fs.existsSync(storeDir)).toBe(true);
    bento = await built.start({ taskStore: storeDir });
    const result = await fetch(`${bento.url}/train/get?task_id=${submitted.body.task_id}`);
    expect(result.status).toBe(200);
    expect(((await result.json()) as { epochs: number }).epochs).toBe(7);
  });
});

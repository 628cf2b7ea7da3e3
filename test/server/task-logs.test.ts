import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postJson, spawnBento, until, type SpawnedBento } from "../support/bento-server.js";
import { logLines, type LogLine } from "../support/log-lines.js";

const SERVICE = `
import { service, task, type Context } from "bentoc";

@service()
export class Jobs {
  @task()
  async wait(delayMs: number, ctx: Context): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, delayMs);
      ctx.signal.addEventListener("abort", () => { clearTimeout(timer); reject(new Error("aborted")); });
    });
    if (delayMs < 0) throw new Error("negative delay");
    return delayMs;
  }
}
`;


let bento: SpawnedBento;
beforeAll(async () => {
  bento = await spawnBento(SERVICE);
});
afterAll(async () => {
  await bento?.close();
});

const linesAbout = (taskId: string): LogLine[] => logLines(bento.output()).filter((line) => line.taskId === taskId);
const statusOf = async (taskId: string) => ((await (await fetch(`${bento.url}/wait/status?task_id=${taskId}`)).json()) as { status: string }).status;

describe("task log lines", () => {
  it("logs a task cancelled while it ran at info, as a cancellation, not as a failure", async () => {
    const { body } = await postJson(`${bento.url}/wait/submit`, { delayMs: 30_000 });
    await until(async () => ((await statusOf(body.task_id)) === "running" ? true : undefined), "the task to run");
    expect((await fetch(`${bento.url}/wait/cancel?task_id=${body.task_id}`, { method: "PUT" })).status).toBe(200);
    const logged = await until(() => linesAbout(body.task_id).find((line) => line.msg === "task cancelled"), "the cancellation to be logged");
    expect(logged.level).toBe(30);
    expect(linesAbout(body.task_id).filter((line) => line.level >= 40)).toEqual([]);
  });

  it("still logs a task whose method throws at error level, with the cause", async () => {
    const { body } = await postJson(`${bento.url}/wait/submit`, { delayMs: -1 });
    const logged = await until(() => linesAbout(body.task_id).find((line) => line.msg === "task failed"), "the failure to be logged");
    expect(logged.level).toBe(50);
    expect(JSON.stringify(logged)).toMatch(/negative delay/);
  });
});

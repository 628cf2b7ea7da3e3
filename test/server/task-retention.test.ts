import { afterAll, describe, expect, it } from "vitest";
import { TaskRunner } from "../../runtime/tasks/task-runner.js";
import type { TaskStore } from "../../runtime/tasks/task-store.js";
import { closeStoreKinds, STORE_KINDS } from "./task-stores.js";
import { postJson, startBento, until } from "../support/bento-server.js";

const HOUR_MS = 3600 * 1000;
afterAll(closeStoreKinds);

/** A clock the test moves by hand. */
function fakeClock(start = Date.parse("2026-12-06T12:00:00Z")) {
  let now = start;
  return { now: () => new Date(now), advance: (ms: number) => (now += ms) };
}

const quiet = { failed: () => undefined, cancelled: () => undefined, lost: () => undefined, storeFailed: () => undefined, storeRecovered: () => undefined };

/** Waits until these tasks have left pending and running. */
async function settled(store: TaskStore, ...taskIds: string[]): Promise<void> {
  for (let tries = 0; tries < 500; tries++) {
    const records = await Promise.all(taskIds.map((id) => store.get(id)));
    if (records.every((record) => record && record.status !== "pending" && record.status !== "running")) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe.each(STORE_KINDS.filter((kind) => kind.name !== "Redis"))("finished tasks expire after the retention ($name store)", (kind) => {
  it("removes finished tasks kept past the retention, keeps younger ones and every unfinished one, and answers 404 for an expired id", async () => {
    const store = await kind.open();
    const clock = fakeClock();
    let release: () => void = () => undefined;
    const blocked = new Promise<void>((resolve) => (release = resolve));
    const definitions = new Map([
      ["quick", { run: async (input: unknown) => input }],
      ["slow", { run: async () => blocked }],
    ]);
    // A lease longer than the test's clock moves, so moving the clock loses no running task.
    const runner = new TaskRunner(store, definitions, { concurrency: 1, retentionMs: 24 * HOUR_MS, leaseMs: 1000 * HOUR_MS, now: clock.now, log: quiet });
    await runner.start();
    const old = await runner.submit("quick", 1);
    await settled(store, old.task_id);
    clock.advance(23 * HOUR_MS);
    const young = await runner.submit("quick", 2);
    await settled(store, young.task_id);
    const running = await runner.submit("slow", null); // holds the one slot: the next stays pending
    const pending = await runner.submit("quick", 3);
    clock.advance(2 * HOUR_MS); // old finished 25 h ago, young 2 h ago

    // Expired and not yet swept: already gone for clients.
    await expect(runner.status(old.task_id)).rejects.toThrow(`No task with id '${old.task_id}': it expired or never existed`);

    expect(await runner.sweep()).toBe(1);
    expect(await store.get(old.task_id)).toBeUndefined();
    expect(await runner.result(young.task_id)).toBe(2);
    expect((await runner.status(running.task_id)).status).toBe("running");
    expect((await runner.status(pending.task_id)).status).toBe("pending");

    // Unfinished tasks are kept however old they are; once finished, their retention starts.
    clock.advance(48 * HOUR_MS);
    expect(await runner.sweep()).toBe(1); // young
    expect((await runner.status(running.task_id)).status).toBe("running");
    release();
    await settled(store, running.task_id, pending.task_id);
    expect((await runner.status(pending.task_id)).status).toBe("success");
    clock.advance(24 * HOUR_MS);
    expect(await runner.sweep()).toBe(2);
    for (const id of [old, young, running, pending].map((task) => task.task_id)) expect(await store.get(id)).toBeUndefined();
    await runner.close(1000);
  });
});

describe("a task API's own retention (@task({ retentionS }))", () => {
  it("expires that API's finished tasks after its retention, while the server's default keeps the others", async () => {
    const bento = await startBento(`
import { service, task } from "bentoc";

@service()
export class Retention {
  @task({ retentionS: 1 })
  async brief(n: number): Promise<number> {
    return n;
  }

  @task()
  async kept(n: number): Promise<number> {
    return n;
  }
}
`);
    try {
      const submit = async (api: string) => ((await postJson(`${bento.url}/${api}/submit`, { n: 1 })).body as { task_id: string }).task_id;
      const status = async (api: string, taskId: string) => (await fetch(`${bento.url}/${api}/status?task_id=${taskId}`)).status;
      const brief = await submit("brief");
      const kept = await submit("kept");
      const finished = async (api: string, taskId: string) => ((await (await fetch(`${bento.url}/${api}/status?task_id=${taskId}`)).json()) as { status: string }).status === "success" || undefined;
      await until(() => finished("brief", brief), "brief to finish");
      await until(() => finished("kept", kept), "kept to finish");
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect(await status("brief", brief)).toBe(404);
      expect(await status("kept", kept)).toBe(200);
    } finally {
      await bento.close();
    }
  }, 60_000);
});

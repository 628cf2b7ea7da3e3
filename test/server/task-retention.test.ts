import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BentocHttpError } from "../../runtime/errors.js";
import { TaskRunner } from "../../runtime/tasks/task-runner.js";
import { LmdbTaskStore, MemoryTaskStore, type TaskStore } from "../../runtime/tasks/task-store.js";

const HOUR_MS = 3600 * 1000;
const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) fs.rmSync(folder, { recursive: true, force: true });
});

/** A clock the test moves by hand. */
function fakeClock(start = Date.parse("2026-12-06T12:00:00Z")) {
  let now = start;
  return { now: () => new Date(now), advance: (ms: number) => (now += ms) };
}

const STORES: [string, () => TaskStore][] = [
  ["memory", () => new MemoryTaskStore()],
  ["LMDB", () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), "bentoc-retention-"));
    folders.push(folder);
    return LmdbTaskStore.open(folder);
  }],
];

/** Waits until the runner has no task pending or running. */
async function settled(store: TaskStore): Promise<void> {
  for (let tries = 0; tries < 500 && [...store.all()].some((record) => record.status === "pending" || record.status === "running"); tries++) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe.each(STORES)("finished tasks expire after the retention (%s store)", (_name, openStore) => {
  it("removes finished tasks kept past the retention, keeps younger ones and every unfinished one, and answers 404 for an expired id", async () => {
    const store = openStore();
    const clock = fakeClock();
    let release: () => void = () => undefined;
    const blocked = new Promise<void>((resolve) => (release = resolve));
    const runs = new Map([
      ["quick", async (input: unknown) => input],
      ["slow", async () => blocked],
    ]);
    const runner = new TaskRunner(store, runs, { concurrency: 1, retentionMs: 24 * HOUR_MS, now: clock.now, log: { failed: () => undefined, cancelled: () => undefined } });
    const old = await runner.submit("quick", 1);
    await settled(store);
    clock.advance(23 * HOUR_MS);
    const young = await runner.submit("quick", 2);
    await settled(store);
    const running = await runner.submit("slow", null); // holds the one slot: the next stays pending
    const pending = await runner.submit("quick", 3);
    clock.advance(2 * HOUR_MS); // old finished 25 h ago, young 2 h ago

    // Expired and not yet swept: already gone for clients.
    expect(() => runner.status(old.task_id)).toThrow(BentocHttpError);
    expect(() => runner.status(old.task_id)).toThrow(`No task with id '${old.task_id}': it expired or never existed`);

    expect(await runner.sweep()).toBe(1);
    expect(store.get(old.task_id)).toBeUndefined();
    expect(runner.result(young.task_id)).toBe(2);
    expect(runner.status(running.task_id).status).toBe("running");
    expect(runner.status(pending.task_id).status).toBe("pending");

    // Unfinished tasks are kept however old they are; once finished, their retention starts.
    clock.advance(48 * HOUR_MS);
    expect(await runner.sweep()).toBe(1); // young
    expect(runner.status(running.task_id).status).toBe("running");
    release();
    await settled(store);
    expect(runner.status(pending.task_id).status).toBe("success");
    clock.advance(24 * HOUR_MS);
    expect(await runner.sweep()).toBe(2);
    expect([...store.all()]).toEqual([]);
    await runner.close(1000);
  });
});

import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { LOST_RUNNER_ERROR, type NewTask, type TaskStore } from "../../runtime/tasks/task-store.js";
import { closeStoreKinds, REDIS_MISSING, STORE_KINDS } from "./task-stores.js";

afterAll(closeStoreKinds);

const T0 = Date.parse("2026-12-07T12:00:00Z");
const at = (ms: number) => new Date(T0 + ms);

function task(api: string, input: unknown, options: Partial<NewTask> = {}): NewTask {
  return { task_id: randomUUID(), api, status: "pending", created_at: at(0).toISOString(), executed_at: null, finished_at: null, input, attempts: 0, max_attempts: 1, retention_ms: 60_000, ...options };
}

it.skipIf(!REDIS_MISSING)(`the Redis store's suite (skipped: ${REDIS_MISSING})`, () => undefined);

describe.each(STORE_KINDS)("the $name task store", (kind) => {
  let store: TaskStore;
  const opened: TaskStore[] = [];
  const fresh = async () => opened.push((store = await kind.open()));
  const shared = async () => {
    const handle = await kind.openShared();
    if (!opened.includes(handle)) opened.push(handle);
    return handle;
  };
  afterAll(async () => {
    for (const handle of opened) await handle.close();
  });

  it("keeps a task's JSON arguments as they were, and queues tasks in submit order across APIs", async () => {
    await fresh();
    const input = { big: 12345678901234567890, list: [], empty: {}, text: "é\u0000\n", nested: [[1.5e-7, null, true]] };
    const first = await store.add(task("a", input), false);
    const second = await store.add(task("b", 2), false);
    const third = await store.add(task("a", 3), false);
    expect(first.seq).toBeLessThan(second.seq);
    expect((await store.get(first.task_id))?.input).toEqual(JSON.parse(JSON.stringify(input)));
    const owner = "runner-1";
    expect((await store.claim(["b"], owner, at(1), T0 + 10_000))?.task_id).toBe(second.task_id); // only the APIs asked for
    const claimed = await store.claim(["a", "b"], owner, at(2), T0 + 10_000);
    expect(claimed).toMatchObject({ task_id: first.task_id, status: "running", attempts: 1, owner, lease_until: T0 + 10_000, executed_at: at(2).toISOString() });
    expect((await store.claim(["a", "b"], owner, at(3), T0 + 10_000))?.task_id).toBe(third.task_id);
    expect(await store.claim(["a", "b"], owner, at(4), T0 + 10_000)).toBeUndefined();
  });

  it("gives each pending task to exactly one of many runners claiming at once", async () => {
    await fresh();
    const handles = [store, await shared(), await shared()];
    const ids = new Set<string>();
    for (let i = 0; i < 30; i++) ids.add((await store.add(task("a", i), false)).task_id);
    const claimedBy = new Map<string, string>();
    await Promise.all(handles.flatMap((handle, h) => [0, 1, 2].map(async (r) => {
      const owner = `runner-${h}-${r}`;
      for (let claimed = await handle.claim(["a"], owner, at(0), T0 + 10_000); claimed; claimed = await handle.claim(["a"], owner, at(0), T0 + 10_000)) {
        expect(claimedBy.has(claimed.task_id), `${claimed.task_id} claimed twice`).toBe(false);
        claimedBy.set(claimed.task_id, owner);
      }
    })));
    expect(new Set(claimedBy.keys())).toEqual(ids);
  });

  it("lets only the owner renew and finish a running task; a cancel wins over a late outcome", async () => {
    await fresh();
    const { task_id: id } = await store.add(task("a", 1), false);
    await store.claim(["a"], "owner", at(0), T0 + 1000);
    expect(await store.renew("owner", [id], T0 + 5000)).toEqual([]);
    expect((await store.get(id))?.lease_until).toBe(T0 + 5000);
    expect(await store.renew("someone-else", [id], T0 + 9000)).toEqual([id]);
    expect(await store.finish(id, "someone-else", { status: "success", result: 1 }, at(100))).toBe(false);
    const cancelled = await store.cancel(id, at(200));
    expect(cancelled).toMatchObject({ status: "cancelled", finished_at: at(200).toISOString(), expires_at: T0 + 200 + 60_000 });
    expect(await store.renew("owner", [id], T0 + 9000)).toEqual([id]);
    expect(await store.finish(id, "owner", { status: "success", result: 1 }, at(300))).toBe(false);
    expect((await store.get(id))?.status).toBe("cancelled");
    expect((await store.cancel(id, at(400)))?.finished_at).toBe(at(200).toISOString()); // a finished task stays as it is
    expect(await store.cancel(randomUUID(), at(400))).toBeUndefined();
  });

  it("records a result or an error, and a cancelled pending task is never claimed", async () => {
    await fresh();
    const ok = await store.add(task("a", 1), false);
    const bad = await store.add(task("a", 2), false);
    const dropped = await store.add(task("a", 3), false);
    await store.claim(["a"], "owner", at(0), T0 + 1000);
    await store.claim(["a"], "owner", at(0), T0 + 1000);
    expect((await store.cancel(dropped.task_id, at(1)))?.status).toBe("cancelled");
    expect(await store.claim(["a"], "owner", at(2), T0 + 1000)).toBeUndefined();
    expect(await store.finish(ok.task_id, "owner", { status: "success", result: { labels: ["x"], score: 0.5 } }, at(10))).toBe(true);
    expect(await store.finish(bad.task_id, "owner", { status: "failure", error: "boom" }, at(10))).toBe(true);
    expect(await store.get(ok.task_id)).toMatchObject({ status: "success", result: { labels: ["x"], score: 0.5 }, finished_at: at(10).toISOString() });
    expect(await store.get(bad.task_id)).toMatchObject({ status: "failure", error: "boom" });
    expect((await store.get(ok.task_id))?.owner).toBeUndefined();
  });

  it("reclaims tasks whose lease ended: queued again in their place while they have runs left, else failed; live leases stay", async () => {
    await fresh();
    const once = await store.add(task("a", 1), false);
    const retried = await store.add(task("a", 2, { max_attempts: 2 }), false);
    const alive = await store.add(task("a", 3), false);
    await store.claim(["a"], "gone", at(0), T0 + 1000);
    await store.claim(["a"], "gone", at(0), T0 + 1000);
    await store.claim(["a"], "alive", at(0), T0 + 1000);
    expect(await store.renew("alive", [alive.task_id], T0 + 60_000)).toEqual([]);
    const later = await store.add(task("a", 4), false);

    expect(await store.reclaim(at(999))).toEqual([]);
    const changed = await store.reclaim(at(1000));
    expect(changed.map((record) => [record.task_id, record.status]).sort()).toEqual([[once.task_id, "failure"], [retried.task_id, "pending"]].sort());
    expect(await store.get(once.task_id)).toMatchObject({ status: "failure", error: LOST_RUNNER_ERROR, finished_at: at(1000).toISOString() });
    expect((await store.get(alive.task_id))?.status).toBe("running");
    // Back in its place, before the task queued after it; its second run is its last.
    expect(await store.claim(["a"], "next", at(2000), T0 + 3000)).toMatchObject({ task_id: retried.task_id, attempts: 2, owner: "next" });
    expect((await store.claim(["a"], "next", at(2000), T0 + 3000))?.task_id).toBe(later.task_id);
    expect(await store.renew("gone", [retried.task_id], T0 + 9000)).toEqual([retried.task_id]); // the lost runner hears it lost the task
    await store.reclaim(at(3000));
    expect((await store.get(retried.task_id))?.status).toBe("failure");
  });

  it("removes finished tasks after their own retention, never unfinished ones", async () => {
    await fresh();
    const now = Date.now(); // Redis expires keys on its own clock
    const short = await store.add(task("a", 1, { retention_ms: 300 }), false);
    const long = await store.add(task("a", 2, { retention_ms: 3_600_000 }), false);
    const pending = await store.add(task("b", 3), false);
    for (const id of [short.task_id, long.task_id]) {
      await store.claim(["a"], "owner", new Date(now), now + 60_000);
      expect(await store.finish(id, "owner", { status: "success", result: null }, new Date(now))).toBe(true);
    }
    expect((await store.get(short.task_id))?.expires_at).toBe(now + 300);
    await new Promise((resolve) => setTimeout(resolve, 400));
    await store.sweep(new Date(now + 400));
    expect(await store.get(short.task_id)).toBeUndefined();
    expect((await store.get(long.task_id))?.status).toBe("success");
    expect((await store.get(pending.task_id))?.status).toBe("pending");
  });
});

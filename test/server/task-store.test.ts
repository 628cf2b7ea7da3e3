import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { LOST_RUNNER_ERROR, type NewTask, type TaskOutcome, type TaskStore } from "../../runtime/tasks/task-store.js";
import { closeStoreKinds, REDIS_MISSING, STORE_KINDS } from "./task-stores.js";

afterAll(closeStoreKinds);

const T0 = Date.parse("2026-12-07T12:00:00Z");
const at = (ms: number) => new Date(T0 + ms);

function task(api: string, input: unknown, options: Partial<NewTask> = {}): NewTask {
  return { task_id: randomUUID(), api, status: "pending", created_at: at(0).toISOString(), executed_at: null, finished_at: null, input, attempts: 0, max_attempts: 1, retention_ms: 60_000, ...options };
}

/** One task claimed, as a runner with one free slot asks. */
async function claimOne(store: TaskStore, apis: string[], owner: string, now: Date, leaseUntil: number) {
  return (await store.claim({ apis, owner, now, leaseUntil, max: 1 }))[0];
}

/** The outcome recorded, claiming nothing next. */
async function finish(store: TaskStore, taskId: string, owner: string, outcome: TaskOutcome, now: Date) {
  return (await store.finish(taskId, outcome, { apis: [], owner, now, leaseUntil: 0, max: 0 })).recorded;
}

// Without redis-server the Redis kind is left out of STORE_KINDS; say so where the suite would run.
if (REDIS_MISSING) it.skip(`the Redis store's suite (skipped: ${REDIS_MISSING})`, () => undefined);

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
    expect((await claimOne(store, ["b"], owner, at(1), T0 + 10_000))?.task_id).toBe(second.task_id); // only the APIs asked for
    const claimed = await claimOne(store, ["a", "b"], owner, at(2), T0 + 10_000);
    expect(claimed).toMatchObject({ task_id: first.task_id, status: "running", attempts: 1, owner, lease_until: T0 + 10_000, executed_at: at(2).toISOString() });
    expect((await claimOne(store, ["a", "b"], owner, at(3), T0 + 10_000))?.task_id).toBe(third.task_id);
    expect(await claimOne(store, ["a", "b"], owner, at(4), T0 + 10_000)).toBeUndefined();
  });

  it("gives each pending task to exactly one of many runners claiming at once", async () => {
    await fresh();
    const handles = [store, await shared(), await shared()];
    const ids = new Set<string>();
    for (let i = 0; i < 30; i++) ids.add((await store.add(task("a", i), false)).task_id);
    const claimedBy = new Map<string, string>();
    await Promise.all(handles.flatMap((handle, h) => [0, 1, 2].map(async (r) => {
      const owner = `runner-${h}-${r}`;
      for (let claimed = await claimOne(handle, ["a"], owner, at(0), T0 + 10_000); claimed; claimed = await claimOne(handle, ["a"], owner, at(0), T0 + 10_000)) {
        expect(claimedBy.has(claimed.task_id), `${claimed.task_id} claimed twice`).toBe(false);
        claimedBy.set(claimed.task_id, owner);
      }
    })));
    expect(new Set(claimedBy.keys())).toEqual(ids);
  });

  it("lets only the owner renew and finish a running task; a cancel wins over a late outcome", async () => {
    await fresh();
    const { task_id: id } = await store.add(task("a", 1), false);
    await claimOne(store, ["a"], "owner", at(0), T0 + 1000);
    expect(await store.renew("owner", [id], T0 + 5000)).toEqual([]);
    expect((await store.get(id))?.lease_until).toBe(T0 + 5000);
    expect(await store.renew("someone-else", [id], T0 + 9000)).toEqual([id]);
    expect(await finish(store, id, "someone-else", { status: "success", result: 1 }, at(100))).toBe(false);
    const cancelled = await store.cancel(id, at(200));
    expect(cancelled).toMatchObject({ status: "cancelled", finished_at: at(200).toISOString(), expires_at: T0 + 200 + 60_000 });
    expect(await store.renew("owner", [id], T0 + 9000)).toEqual([id]);
    expect(await finish(store, id, "owner", { status: "success", result: 1 }, at(300))).toBe(false);
    expect((await store.get(id))?.status).toBe("cancelled");
    expect((await store.cancel(id, at(400)))?.finished_at).toBe(at(200).toISOString()); // a finished task stays as it is
    expect(await store.cancel(randomUUID(), at(400))).toBeUndefined();
  });

  it("records a result or an error, and a cancelled pending task is never claimed", async () => {
    await fresh();
    const ok = await store.add(task("a", 1), false);
    const bad = await store.add(task("a", 2), false);
    const dropped = await store.add(task("a", 3), false);
    await claimOne(store, ["a"], "owner", at(0), T0 + 1000);
    await claimOne(store, ["a"], "owner", at(0), T0 + 1000);
    expect((await store.cancel(dropped.task_id, at(1)))?.status).toBe("cancelled");
    expect(await claimOne(store, ["a"], "owner", at(2), T0 + 1000)).toBeUndefined();
    expect(await finish(store, ok.task_id, "owner", { status: "success", result: { labels: ["x"], score: 0.5 } }, at(10))).toBe(true);
    expect(await finish(store, bad.task_id, "owner", { status: "failure", error: "boom" }, at(10))).toBe(true);
    expect(await store.get(ok.task_id)).toMatchObject({ status: "success", result: { labels: ["x"], score: 0.5 }, finished_at: at(10).toISOString() });
    expect(await store.get(bad.task_id)).toMatchObject({ status: "failure", error: "boom" });
    expect((await store.get(ok.task_id))?.owner).toBeUndefined();
  });

  it("reclaims tasks whose lease ended: queued again in their place while they have runs left, else failed; live leases stay", async () => {
    await fresh();
    const once = await store.add(task("a", 1), false);
    const retried = await store.add(task("a", 2, { max_attempts: 2 }), false);
    const alive = await store.add(task("a", 3), false);
    await claimOne(store, ["a"], "gone", at(0), T0 + 1000);
    await claimOne(store, ["a"], "gone", at(0), T0 + 1000);
    await claimOne(store, ["a"], "alive", at(0), T0 + 1000);
    expect(await store.renew("alive", [alive.task_id], T0 + 60_000)).toEqual([]);
    const later = await store.add(task("a", 4), false);

    expect(await store.reclaim(at(999))).toEqual([]);
    const changed = await store.reclaim(at(1000));
    expect(changed.map((record) => [record.task_id, record.status]).sort()).toEqual([[once.task_id, "failure"], [retried.task_id, "pending"]].sort());
    expect(await store.get(once.task_id)).toMatchObject({ status: "failure", error: LOST_RUNNER_ERROR, finished_at: at(1000).toISOString() });
    expect((await store.get(alive.task_id))?.status).toBe("running");
    // Back in its place, before the task queued after it; its second run is its last.
    expect(await claimOne(store, ["a"], "next", at(2000), T0 + 3000)).toMatchObject({ task_id: retried.task_id, attempts: 2, owner: "next" });
    expect((await claimOne(store, ["a"], "next", at(2000), T0 + 3000))?.task_id).toBe(later.task_id);
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
      await claimOne(store, ["a"], "owner", new Date(now), now + 60_000);
      expect(await finish(store, id, "owner", { status: "success", result: null }, new Date(now))).toBe(true);
    }
    expect((await store.get(short.task_id))?.expires_at).toBe(now + 300);
    await new Promise((resolve) => setTimeout(resolve, 400));
    await store.sweep(new Date(now + 400));
    expect(await store.get(short.task_id)).toBeUndefined();
    expect((await store.get(long.task_id))?.status).toBe("success");
    expect((await store.get(pending.task_id))?.status).toBe("pending");
  });

  it("claims several tasks in one call, and a finish claims the next task in the same step", async () => {
    await fresh();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await store.add(task("a", i), false)).task_id);
    const batch = await store.claim({ apis: ["a"], owner: "owner", now: at(0), leaseUntil: T0 + 1000, max: 3 });
    expect(batch.map((record) => record.task_id)).toEqual(ids.slice(0, 3));
    expect(batch.every((record) => record.status === "running" && record.owner === "owner")).toBe(true);
    const done = await store.finish(ids[0]!, { status: "success", result: 0 }, { apis: ["a"], owner: "owner", now: at(10), leaseUntil: T0 + 2000, max: 1 });
    expect(done.recorded).toBe(true);
    expect(done.next.map((record) => [record.task_id, record.status, record.lease_until])).toEqual([[ids[3], "running", T0 + 2000]]);
    // Not the owner's task: nothing recorded, but the claim is still made.
    const stranger = await store.finish(ids[1]!, { status: "success", result: 1 }, { apis: ["a"], owner: "stranger", now: at(20), leaseUntil: T0 + 2000, max: 5 });
    expect([stranger.recorded, stranger.next.map((record) => record.task_id)]).toEqual([false, [ids[4]]]);
    expect((await store.get(ids[1]!))?.status).toBe("running");
    expect(await store.claim({ apis: ["a"], owner: "owner", now: at(30), leaseUntil: T0 + 3000, max: 2 })).toEqual([]);
  });

  it("answers a status without the task's data when asked to", async () => {
    await fresh();
    const { task_id: id } = await store.add(task("a", { big: "x".repeat(1000) }), false);
    const status = await store.get(id, false);
    expect(status).toMatchObject({ task_id: id, status: "pending", created_at: at(0).toISOString(), executed_at: null, finished_at: null, attempts: 0 });
  });
});

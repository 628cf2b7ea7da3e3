import { afterAll, describe, expect, it } from "vitest";
import { TaskRunner, type TaskDefinition } from "../../runtime/tasks/task-runner.js";
import { LOST_RUNNER_ERROR, type TaskRecord, type TaskStore } from "../../runtime/tasks/task-store.js";
import { until } from "../support/bento-server.js";
import { closeStoreKinds, STORE_KINDS } from "./task-stores.js";

afterAll(closeStoreKinds);

const LEASE_MS = 900;

/** A task that runs until its signal is aborted, and says so. */
function untilAborted(aborted: string[]): TaskDefinition {
  return {
    run: (input, signal) => new Promise((_resolve, reject) => signal.addEventListener("abort", () => {
      aborted.push(input as string);
      reject(signal.reason);
    }, { once: true })),
  };
}

function runner(store: TaskStore, definitions: Map<string, TaskDefinition>, lost: TaskRecord[] = []): TaskRunner {
  return new TaskRunner(store, definitions, {
    concurrency: 2,
    retentionMs: 60_000,
    leaseMs: LEASE_MS,
    log: { failed: () => undefined, cancelled: () => undefined, lost: (record) => lost.push(record), storeFailed: () => undefined, storeRecovered: () => undefined },
  });
}

async function statusIn(store: TaskStore, taskId: string, status: string): Promise<TaskRecord> {
  return until(async () => {
    const record = await store.get(taskId);
    return record?.status === status ? record : undefined;
  }, `task ${taskId} to be ${status}`, 10_000);
}

describe.each(STORE_KINDS)("task runners sharing the $name store", (kind) => {
  it("a cancel on one runner aborts the task running on another", async () => {
    const aborted: string[] = [];
    const definitions = new Map([["hold", untilAborted(aborted)]]);
    const a = runner(await kind.open(), definitions);
    await a.start();
    const { task_id: taskId } = await a.submit("hold", "held");
    const store = await kind.openShared();
    await statusIn(store, taskId, "running");
    // B runs nothing itself: it only answers the cancel, as another replica's route would.
    const b = runner(store, new Map());
    await b.start();
    expect((await b.cancel(taskId)).status).toBe("cancelled");
    await until(() => aborted.includes("held") || undefined, "the running task's signal to be aborted", 10_000);
    expect((await a.status(taskId)).status).toBe("cancelled");
    await a.close(100);
    await b.close(100);
  });

  it("a graceful stop gives up the tasks still running: failed, or queued again for another runner when the API allows", async () => {
    const aborted: string[] = [];
    const lost: TaskRecord[] = [];
    const definitions = new Map([["hold", untilAborted(aborted)], ["retried", { ...untilAborted(aborted), retriesOnLoss: 1 }]]);
    const a = runner(await kind.open(), definitions, lost);
    await a.start();
    const once = await a.submit("hold", "once");
    const again = await a.submit("retried", "again");
    const store = await kind.openShared();
    await statusIn(store, once.task_id, "running");
    await statusIn(store, again.task_id, "running");
    await a.close(50);
    expect(aborted.sort()).toEqual(["again", "once"]);
    expect(await store.get(once.task_id)).toMatchObject({ status: "failure", error: LOST_RUNNER_ERROR, attempts: 1 });
    expect(await store.get(again.task_id)).toMatchObject({ status: "pending", attempts: 1 });
    expect(lost.map((record) => record.status).sort()).toEqual(["failure", "pending"]);
    await store.close();
  });
});

import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildBento, type BuiltBento, type RunningBento } from "../support/bento-server.js";

const SERVICE = `
import { service, task } from "bentoc";

@service()
export class Jobs {
  @task()
  async double(n: number): Promise<number> {
    return n * 2;
  }
}
`;

let built: BuiltBento;
beforeAll(async () => {
  built = await buildBento(SERVICE);
});
afterAll(() => built?.remove());

describe.each([
  ["LMDB", (dir: string) => path.join(dir, "tasks")],
  ["memory", () => "memory"],
])("task ids that cannot be task ids, with the %s store", (_store, taskStore) => {
  let bento: RunningBento;
  beforeAll(async () => {
    bento = await built.start({ taskStore: taskStore(built.dir) });
  });
  afterAll(async () => {
    await bento?.close();
  });

  const ask = async (route: string, method: string, taskId: string) => {
    const response = await fetch(`${bento.url}/double/${route}?task_id=${encodeURIComponent(taskId)}`, { method });
    return { status: response.status, text: await response.text() };
  };
  const routes = [["status", "GET"], ["get", "GET"], ["cancel", "PUT"], ["retry", "POST"]] as const;

  it.each(routes)("answers %s for an id longer than the store's key limit with 404, echoing a bounded id", async (route, method) => {
    const answer = await ask(route, method, "a".repeat(5000));
    expect(answer.status).toBe(404);
    const body = JSON.parse(answer.text) as { error: string };
    expect(body.error).toMatch(/^No task with id 'a+…': it expired or never existed$/);
    expect(body.error.length).toBeLessThan(120);
  });

  it.each(routes)("answers %s for an id of the wrong shape with 404", async (route, method) => {
    for (const taskId of ["nope", "x".repeat(36), "../../etc/passwd", "\u0000"]) {
      expect((await ask(route, method, taskId)).status, taskId).toBe(404);
    }
  });

  it("still finds a real task, and answers an unknown well-formed id with 404 naming it", async () => {
    const submitted = (await (await fetch(`${bento.url}/double/submit`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ n: 21 }) })).json()) as { task_id: string };
    expect((await ask("status", "GET", submitted.task_id)).status).toBe(200);
    const unknown = "00000000-0000-4000-8000-000000000000";
    const answer = await ask("status", "GET", unknown);
    expect(answer.status).toBe(404);
    expect(JSON.parse(answer.text)).toMatchObject({ error: `No task with id '${unknown}': it expired or never existed` });
  });
});

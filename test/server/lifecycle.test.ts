import fs from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildBento, postJson, until, type BuiltBento, type SpawnedBento } from "../support/bento-server.js";

const SERVICE = `
import fs from "node:fs";
import path from "node:path";
import { api, onShutdown, service, type int32 } from "bentoc";

let entered = 0;
let finished = 0;

@service({ traffic: { timeout: 20 } })
export class Worker {
  @api()
  async slow(id: int32, ms: int32): Promise<int32> {
    entered++;
    await new Promise((resolve) => setTimeout(resolve, ms));
    finished++;
    return id;
  }

  @api()
  async entered(): Promise<int32> {
    return entered;
  }

  /** Leaves a marker in the working directory, which the test reads after the process exits. */
  @onShutdown
  async flush(): Promise<void> {
    fs.writeFileSync(path.join(process.cwd(), "shutdown.json"), JSON.stringify({ entered, finished }));
  }
}
`;

let built: BuiltBento;
let bento: SpawnedBento | undefined;
beforeAll(async () => {
  built = await buildBento(SERVICE);
});
afterEach(async () => {
  await bento?.close();
  bento = undefined;
});
afterAll(() => built?.remove());

describe("graceful shutdown of main.mjs", () => {
  it("on SIGTERM, in-flight calls complete with 200, @onShutdown runs after them, and the process exits 0", async () => {
    fs.rmSync(path.join(built.dir, "shutdown.json"), { force: true });
    bento = await built.spawn();
    const { url } = bento;
    const calls = [1, 2, 3].map((id) => postJson(`${url}/slow`, { id, ms: 800 }));
    await until(async () => ((await postJson(`${url}/entered`, {})).body === 3 ? true : undefined), "the slow calls to be in flight", 5_000);

    const signalled = Date.now();
    bento.child.kill("SIGTERM");
    const results = await Promise.all(calls);
    expect(results.map((result) => [result.status, result.body])).toEqual([[200, 1], [200, 2], [200, 3]]);

    const code = await Promise.race([bento.exited, new Promise((resolve) => setTimeout(() => resolve("still running after 10 s"), 10_000))]);
    expect(code, bento.output()).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(10_000);
    const marker = JSON.parse(fs.readFileSync(path.join(bento.dir, "shutdown.json"), "utf8"));
    expect(marker).toEqual({ entered: 3, finished: 3 });
    expect(bento.output()).toMatch(/SIGTERM received/);
  });

  it("after SIGTERM, new calls are refused while the in-flight ones finish", async () => {
    bento = await built.spawn();
    const { url } = bento;
    const inFlight = postJson(`${url}/slow`, { id: 7, ms: 1000 });
    await until(async () => ((await postJson(`${url}/entered`, {})).body === 1 ? true : undefined), "the slow call to be in flight", 5_000);
    bento.child.kill("SIGTERM");
    const stopping = bento;
    await until(() => (/SIGTERM received/.test(stopping.output()) ? true : undefined), "the server to take the signal", 15_000);
    const late = await postJson(`${url}/slow`, { id: 8, ms: 1 }).then((response) => response.status, (error: Error) => error.name);
    expect([503, "TypeError"]).toContain(late); // 503 on a kept-alive connection, connection refused otherwise
    expect((await inFlight).status).toBe(200);
    expect(await bento.exited).toBe(0);
  });
});

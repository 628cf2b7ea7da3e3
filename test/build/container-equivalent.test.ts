import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StoredBento } from "../../store/bento-store.js";
import { postJson, until } from "../support/bento-server.js";
import { healthcheckOf } from "../support/dockerfile-parts.js";
import { startLikeImage, type ImageOnHost } from "../support/image-on-host.js";
import { redisServerMissing, startRedisServer } from "../support/redis-server.js";
import { BuildProject, MODEL_GREETER } from "./project.js";

const SLOWLY_STARTED = "slowly: started";

/**
 * The model greeter with a task too (its task store is LMDB, a native package), an API slow
 * enough to be in flight at SIGTERM, and two workers: SIGTERM goes through tini to the cluster's
 * primary, which drains the workers.
 */
const GREETER_WITH_TASK = MODEL_GREETER.replace("import { api, model, service }", "import { api, model, service, task }")
  .replace("@service({ traffic: { timeout: 10 } })", "@service({ traffic: { timeout: 10 }, workers: 2 })")
  .replace(/\n}\n$/, `
  @task()
  async double(n: number): Promise<number> {
    return n * 2;
  }

  @api()
  async slowly(word: string): Promise<string> {
    console.log(${JSON.stringify(SLOWLY_STARTED)});
    await new Promise((resolve) => setTimeout(resolve, 1500));
    return word;
  }
}
`);

let project: BuildProject;
let bento: StoredBento;
let image: ImageOnHost;
let url: string;
const output = () => image.output();

beforeAll(async () => {
  project = await BuildProject.create({ "service.ts": GREETER_WITH_TASK });
  project.importModel("greetings", { "word.txt": "Bonjour\n" });
  bento = project.build();
  image = await startLikeImage(bento.dir);
  url = image.url;
  // ENTRYPOINT + CMD as Docker runs them: tini (Debian's, of which the image copies the static build) starting `node` from PATH.
  expect(image.dockerfile.command[0]).toBe("node");
}, 400_000);

afterAll(async () => {
  await image?.remove();
  project?.remove();
});

describe("a bento installed and started as its Dockerfile says", () => {
  it("installed only its runtime packages, natives included, and no bundled one", () => {
    const installed = fs.readdirSync(image.local("/app/node_modules"));
    expect(installed).toEqual(expect.arrayContaining(["lmdb", "swagger-ui-dist"]));
    expect(installed).not.toContain("fastify");
    expect(installed).not.toContain("typescript");
  });

  it("answers /readyz and an API that reads its model from the bento's own model store", async () => {
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    const greeting = await postJson(`${url}/greet`, { name: "Ada" });
    expect(greeting, output()).toMatchObject({ status: 200, body: "Bonjour, Ada!" });
  });

  it("passes the image's HEALTHCHECK command, run as Docker would with the image's env", () => {
    const { dockerfile } = image;
    const [command, ...args] = JSON.parse(healthcheckOf(dockerfile.final)!.getArgumentsContent()!.replace(/^CMD\s+/, "")) as string[];
    expect(command).toBe("node");
    const check = (port: string) => spawnSync(process.execPath, args, { env: { ...dockerfile.env, BENTOC_PORT: port }, timeout: 10_000 }).status;
    expect(check(new URL(url).port)).toBe(0);
    expect(check("1")).toBe(1); // nothing listens there: the check fails rather than hangs
  });

  it("runs a task through its LMDB store (a native package from node_modules)", async () => {
    const submitted = await postJson(`${url}/double/submit`, { n: 21 });
    expect(submitted.status).toBe(200);
    const id = submitted.body.task_id as string;
    await until(async () => ((await (await fetch(`${url}/double/status?task_id=${id}`)).json()).status === "success" ? true : undefined), "the task to finish", 10_000);
    expect(await (await fetch(`${url}/double/get?task_id=${id}`)).json()).toBe(42);
    expect(fs.readdirSync(image.local("/var/lib/bentoc/tasks")).length).toBeGreaterThan(0);
  });

  const missing = redisServerMissing();
  it.skipIf(missing)(`runs a task through a Redis store given by BENTOC_TASK_STORE, with the client the bento installed${missing ? ` (skipped: ${missing})` : ""}`, async () => {
    const redis = await startRedisServer();
    const replica = await startLikeImage(bento.dir, 60_000, { BENTOC_TASK_STORE: redis.url(4) });
    try {
      const submitted = await postJson(`${replica.url}/double/submit`, { n: 4 });
      const id = submitted.body.task_id as string;
      // Any replica sharing the store answers for the task: here the first image, on LMDB, does not know it.
      await until(async () => ((await (await fetch(`${replica.url}/double/status?task_id=${id}`)).json()).status === "success" ? true : undefined), "the task to finish", 10_000);
      expect(await (await fetch(`${replica.url}/double/get?task_id=${id}`)).json()).toBe(8);
      expect((await fetch(`${url}/double/status?task_id=${id}`)).status).toBe(404);
      expect(fs.existsSync(replica.local("/var/lib/bentoc/tasks"))).toBe(false);
    } finally {
      await replica.remove();
      await redis.stop();
    }
  }, 120_000);

  it("serves Swagger UI's files from the installed asset package", async () => {
    const css = await fetch(`${url}/docs/swagger-ui.css`);
    expect(css.status).toBe(200);
    expect((await css.text()).length).toBeGreaterThan(1000);
  });

  it("runs node under tini, the image's ENTRYPOINT", () => {
    expect(fs.readlinkSync(`/proc/${image.child.pid}/exe`)).toBe(fs.realpathSync("/usr/bin/tini"));
    const children = fs.readFileSync(`/proc/${image.child.pid}/task/${image.child.pid}/children`, "utf8").trim().split(" ");
    expect(children.map((pid) => fs.readlinkSync(`/proc/${pid}/exe`))).toEqual([fs.realpathSync(process.execPath)]);
  });

  // Last: it stops the bento.
  it("on SIGTERM sent to tini, as `docker stop` sends it, finishes the request in flight and exits 0", async () => {
    const inFlight = postJson(`${url}/slowly`, { word: "drained" });
    await until(() => output().includes(SLOWLY_STARTED) || undefined, "the slow request to reach a worker", 10_000);
    image.child.kill("SIGTERM");
    expect(await inFlight, output()).toMatchObject({ status: 200, body: "drained" });
    expect(await image.exited, output()).toEqual([0, null]);
    expect(output()).toMatch(/"msg":"SIGTERM received; stopping 2 worker\(s\)/);
    expect(output()).toMatch(/"msg":"all workers stopped"/);
  });
});

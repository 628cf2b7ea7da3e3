import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { Copy, Workdir } from "dockerfile-ast";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StoredBento } from "../../store/bento-store.js";
import { postJson, until } from "../support/bento-server.js";
import { tempDir } from "../support/run-cli.js";
import { healthcheckOf, parseDockerfile, runInstructions, type DockerStage } from "./dockerfile-parts.js";
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

// The container's file system is played by a temp folder outside the repository (so nothing
// resolves from the repository's node_modules): each image folder below maps to one in `root`.
const IMAGE_FOLDERS: Record<string, string> = { "/app": "app", "/var/lib/bentoc": "bentoc-home" };

let project: BuildProject;
let bento: StoredBento;
let root: string;
let child: ChildProcess | undefined;
let output = "";
let url: string;

/** Where an absolute path of the image lies in the temp folder. */
function local(containerPath: string): string {
  for (const [folder, here] of Object.entries(IMAGE_FOLDERS)) {
    const relative = path.posix.relative(folder, containerPath);
    if (!relative.startsWith("..")) return path.join(root, here, relative);
  }
  throw new Error(`the Dockerfile uses ${containerPath}, outside ${Object.keys(IMAGE_FOLDERS).join(" and ")}; extend this test`);
}

function workdirOf(stage: DockerStage): string {
  return (stage.instructions.filter((instruction) => instruction instanceof Workdir).at(-1) as Workdir).getArgumentsContent()!;
}

/** The build context's files that a stage's plain COPY instructions copy (COPY --from is another stage's output, already in place). */
function copyFromContext(stage: DockerStage): void {
  for (const copy of stage.instructions.filter((instruction): instruction is Copy => instruction instanceof Copy)) {
    if (copy.getFlags().some((flag) => flag.getName() === "from")) continue;
    const words = copy.getArguments().map((argument) => argument.getValue());
    const target = path.posix.resolve(workdirOf(stage), words.pop()!);
    for (const source of words) {
      const destination = target.endsWith("/") || words.length > 1 ? path.join(local(target), path.basename(source)) : local(target);
      fs.mkdirSync(path.dirname(destination), { recursive: true });
      fs.cpSync(path.join(bento.dir, source), destination, { recursive: true });
    }
  }
}

beforeAll(async () => {
  project = await BuildProject.create({ "service.ts": GREETER_WITH_TASK });
  project.importModel("greetings", { "word.txt": "Bonjour\n" });
  bento = project.build();
  root = tempDir("container");
  const dockerfile = parseDockerfile(fs.readFileSync(path.join(bento.dir, "Dockerfile"), "utf8"));
  const deps = dockerfile.stages.find((stage) => stage.name === "deps")!;
  copyFromContext(deps);
  // The deps stage's RUN lines, as /bin/sh -c runs them, served from the npm cache.
  for (const run of runInstructions(deps)) {
    const installed = spawnSync("/bin/sh", ["-c", `${run.getArgumentsContent()} --prefer-offline`], { cwd: local(workdirOf(deps)), encoding: "utf8", timeout: 300_000 });
    expect(installed.status, installed.stderr).toBe(0);
  }
  copyFromContext(dockerfile.final);
  // ENTRYPOINT + CMD as Docker runs them: tini (Debian's, of which the image copies the static build) starting `node` from PATH.
  const [program, ...argv] = [...dockerfile.entrypoint, ...dockerfile.command];
  expect(dockerfile.command[0]).toBe("node");
  if (dockerfile.entrypoint.length > 0 && !fs.existsSync(program!)) {
    throw new Error(`the image's ENTRYPOINT ${program} is not installed here, so the bento cannot start as the image starts it; install it (apt-get install tini), as .ci/run does`);
  }
  // The image's ENV, with its folders mapped here, an address on this machine, and this node first on PATH.
  const env = { ...dockerfile.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH}`, BENTOC_HOST: "127.0.0.1", BENTOC_PORT: "0", BENTOC_HOME: local(dockerfile.env.BENTOC_HOME!) };
  child = spawn(program!, argv, { cwd: local(workdirOf(dockerfile.final)), env, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  url = await until(() => {
    if (child!.exitCode !== null) throw new Error(`the bento exited (${child!.exitCode}):\n${output}`);
    const lines = output.split("\n").flatMap((line) => { try { return [String(JSON.parse(line).msg)]; } catch { return []; } });
    const listening = lines.map((line) => /^Server listening at (http:\/\/127\.0\.0\.1:\d+)$/.exec(line)?.[1]).find(Boolean);
    return lines.some((line) => /^all \d+ workers are ready$/.test(line)) ? listening : undefined;
  }, "the bento to listen and be ready", 20_000);
}, 400_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child!.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
  }
  if (root) fs.rmSync(root, { recursive: true, force: true });
  project?.remove();
});

describe("a bento installed and started as its Dockerfile says", () => {
  it("installed only its runtime packages, natives included, and no bundled one", () => {
    const installed = fs.readdirSync(path.join(root, "app", "node_modules"));
    expect(installed).toEqual(expect.arrayContaining(["lmdb", "swagger-ui-dist"]));
    expect(installed).not.toContain("fastify");
    expect(installed).not.toContain("typescript");
  });

  it("answers /readyz and an API that reads its model from the bento's own model store", async () => {
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    const greeting = await postJson(`${url}/greet`, { name: "Ada" });
    expect(greeting, output).toMatchObject({ status: 200, body: "Bonjour, Ada!" });
  });

  it("passes the image's HEALTHCHECK command, run as Docker would with the image's env", () => {
    const dockerfile = parseDockerfile(fs.readFileSync(path.join(bento.dir, "Dockerfile"), "utf8"));
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
    expect(fs.readdirSync(path.join(root, "bentoc-home", "tasks")).length).toBeGreaterThan(0);
  });

  it("serves Swagger UI's files from the installed asset package", async () => {
    const css = await fetch(`${url}/docs/swagger-ui.css`);
    expect(css.status).toBe(200);
    expect((await css.text()).length).toBeGreaterThan(1000);
  });

  it("runs node under tini, the image's ENTRYPOINT", () => {
    expect(fs.readlinkSync(`/proc/${child!.pid}/exe`)).toBe(fs.realpathSync("/usr/bin/tini"));
    const children = fs.readFileSync(`/proc/${child!.pid}/task/${child!.pid}/children`, "utf8").trim().split(" ");
    expect(children.map((pid) => fs.readlinkSync(`/proc/${pid}/exe`))).toEqual([fs.realpathSync(process.execPath)]);
  });

  // Last: it stops the bento.
  it("on SIGTERM sent to tini, as `docker stop` sends it, finishes the request in flight and exits 0", async () => {
    const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child!.once("exit", (code, signal) => resolve([code, signal])));
    const inFlight = postJson(`${url}/slowly`, { word: "drained" });
    await until(() => output.includes(SLOWLY_STARTED) || undefined, "the slow request to reach a worker", 10_000);
    child!.kill("SIGTERM");
    expect(await inFlight, output).toMatchObject({ status: 200, body: "drained" });
    expect(await exited, output).toEqual([0, null]);
    expect(output).toMatch(/"msg":"SIGTERM received; stopping 2 worker\(s\)/);
    expect(output).toMatch(/"msg":"all workers stopped"/);
  });
});

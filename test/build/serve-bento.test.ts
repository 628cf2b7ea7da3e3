import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StoredBento } from "../../store/bento-store.js";
import { postJson, until } from "../support/bento-server.js";
import { REPO_ROOT } from "../support/run-cli.js";
import { BuildProject } from "./project.js";

let project: BuildProject;
let bento: StoredBento;

beforeAll(async () => {
  project = await BuildProject.create();
  bento = project.build();
});
afterAll(() => project?.remove());

/** `bentoc serve <tag> --port 0` as a child process; resolves once the server logged its address and readiness. */
async function serveTag(tag: string): Promise<{ url: string; stop(): Promise<number | null>; output(): string }> {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, "bin", "bentoc.js"), "serve", tag, "--port", "0"], {
    cwd: project.dir,
    env: { ...process.env, BENTOC_HOME: project.home, BENTOC_LOG_FORMAT: "json", NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const stop = async () => {
    if (child.exitCode === null) child.kill("SIGTERM");
    return exited;
  };
  try {
    const url = await until(() => {
      if (child.exitCode !== null) throw new Error(`bentoc serve exited (${child.exitCode}):\n${output}`);
      return output.includes(" is ready") ? /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1] : undefined;
    }, "the stored bento to serve", 120_000);
    return { url, stop, output: () => output };
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
}

describe("bentoc serve <name:tag>", () => {
  it("serves a stored bento with its runtime packages installed beside it, and stops on SIGTERM", async () => {
    const served = await serveTag("greeter:latest");
    try {
      expect((await fetch(`${served.url}/readyz`)).status).toBe(200);
      expect(await postJson(`${served.url}/greet`, { name: "Lin" })).toMatchObject({ status: 200, body: "Hello, Lin!" });
      expect(served.output()).toContain(`installing the runtime packages of ${bento.tag}`);
    } finally {
      expect(await served.stop()).toBe(0);
    }
    // The store entry is untouched; the installed copy lives under <home>/run.
    expect(fs.existsSync(path.join(bento.dir, "node_modules"))).toBe(false);
    expect(fs.existsSync(path.join(project.home, "run", "greeter", bento.version, "node_modules", "lmdb"))).toBe(true);
    // A second start reuses the installed copy.
    const again = await serveTag(bento.tag);
    try {
      expect(again.output()).not.toContain("installing the runtime packages");
      expect((await fetch(`${again.url}/readyz`)).status).toBe(200);
    } finally {
      await again.stop();
    }
  });

  it("says clearly when no such bento is stored", () => {
    const run = project.bentoc("serve", "greeter:nosuchversion");
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^bentoc: error: .*greeter:nosuchversion/);
  });

  it("refuses --reload for a stored bento", () => {
    const run = project.bentoc("serve", bento.tag, "--reload");
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("--reload needs a service file");
  });
});

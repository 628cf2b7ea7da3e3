import fs from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { StoredBento } from "../../store/bento-store.js";
import { tempDir } from "../support/run-cli.js";
import { BuildProject } from "./project.js";

let project: BuildProject;
let bento: StoredBento;
let bin: string;

beforeAll(async () => {
  project = await BuildProject.create();
  bento = project.build();
});
afterAll(() => project?.remove());
beforeEach(() => {
  bin = tempDir("fake-bin");
});
afterEach(() => fs.rmSync(bin, { recursive: true, force: true }));

/**
 * A stand-in for a container tool on PATH: it records each call's arguments (one per line) and
 * DOCKER_BUILDKIT in `<tool>.calls`, and exits with the code given for that subcommand.
 */
function fakeTool(tool: string, exitCodes: Record<string, number> = {}): string {
  const calls = path.join(bin, `${tool}.calls`);
  const cases = Object.entries(exitCodes).map(([subcommand, code]) => `  ${subcommand}) exit ${code} ;;`).join("\n");
  fs.writeFileSync(path.join(bin, tool), `#!/bin/sh
{ printf 'call\\n'; for a in "$@"; do printf '%s\\n' "$a"; done; printf 'DOCKER_BUILDKIT=%s\\n' "$DOCKER_BUILDKIT"; } >> '${calls}'
case "$1" in
${cases}
esac
exit 0
`, { mode: 0o755 });
  return calls;
}

/** Each recorded call as its argument list. */
function callsOf(file: string): string[][] {
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, "utf8").split("call\n").filter(Boolean).map((call) => call.trimEnd().split("\n"));
}

/** `bentoc containerize <tag> …` with PATH holding only the fake tools (the CLI itself is started by absolute path). */
const containerize = (...args: string[]) => project.bentocWith({ PATH: bin }, "containerize", ...args);

describe("bentoc containerize", () => {
  it("with no builder on PATH, fails naming the ready build context and the command to run", () => {
    const withoutTools = containerize(bento.tag);
    expect(withoutTools.status).toBe(1);
    expect(withoutTools.stderr).toContain("bentoc: error: no container builder works here (docker: not on PATH; podman: not on PATH; buildah: not on PATH)");
    expect(withoutTools.stderr).toContain(`The build context is ready at ${bento.dir}`);
    expect(withoutTools.stderr).toContain(`DOCKER_BUILDKIT=1 docker build --tag ${bento.tag} ${bento.dir}`);
  });

  it("builds with docker when its daemon answers, tagging the image with the bento's tag", () => {
    const calls = fakeTool("docker");
    const run = containerize(bento.tag);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`Built image ${bento.tag} with docker`);
    expect(run.stdout).not.toContain("push");
    expect(callsOf(calls)).toEqual([
      ["info", "--format", "{{.ServerVersion}}", "DOCKER_BUILDKIT="],
      ["build", "--tag", bento.tag, bento.dir, "DOCKER_BUILDKIT=1"],
    ]);
  });

  it("tags the image under the bento's registry, as its Kubernetes manifests name it, and prints the push command", () => {
    const built = project.bentoc("build", "service.ts", "--image-registry", "registry.example.com/ml", "--json");
    expect(built.status, built.stderr).toBe(0);
    const withRegistry = project.store.get(JSON.parse(built.stdout).tag);
    const image = `registry.example.com/ml/${withRegistry.tag}`;
    const calls = fakeTool("docker");
    const run = containerize(withRegistry.tag);
    expect(run.status, run.stderr).toBe(0);
    expect(callsOf(calls)[1]).toEqual(["build", "--tag", image, withRegistry.dir, "DOCKER_BUILDKIT=1"]);
    expect(run.stdout).toBe(`Built image ${image} with docker\nRun: docker run --rm -p 3000:3000 ${image}\nPush: docker push ${image}   (k8s/*.yaml name this image)\n`);
    expect(fs.readFileSync(path.join(withRegistry.dir, "k8s/greeter.yaml"), "utf8")).toContain(`image: ${image}\n`);
  });

  it("passes over docker without a daemon to podman, and takes --image", () => {
    const docker = fakeTool("docker", { info: 1 });
    const podman = fakeTool("podman");
    const run = containerize(bento.tag, "--image", "registry.example.com/greeter:1");
    expect(run.status).toBe(0);
    expect(callsOf(docker).map((call) => call[0])).toEqual(["info"]);
    expect(callsOf(podman)).toEqual([["build", "--tag", "registry.example.com/greeter:1", bento.dir, "DOCKER_BUILDKIT=1"]]);
  });

  it("reports a failed build with the builder's exit code", () => {
    fakeTool("docker", { build: 3 });
    const run = containerize(bento.tag);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(`bentoc: error: docker build failed (exit code 3); the build context is ${bento.dir}\n`);
  });

  it("names an unknown bento clearly", () => {
    const run = containerize("nothing:here");
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^bentoc: error: .*nothing/);
  });
});

import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { CliError } from "../errors.js";

/** A container build tool and the arguments that build a folder with a Dockerfile into a tagged image. */
interface Builder {
  tool: "docker" | "podman" | "buildah";
  buildArgs(image: string, contextDir: string): string[];
  /** For docker: the daemon must answer, or building would only fail later. */
  ready?: string[];
}

const BUILDERS: Builder[] = [
  { tool: "docker", buildArgs: (image, dir) => ["build", "--tag", image, dir], ready: ["info", "--format", "{{.ServerVersion}}"] },
  { tool: "podman", buildArgs: (image, dir) => ["build", "--tag", image, dir] },
  { tool: "buildah", buildArgs: (image, dir) => ["build", "--tag", image, dir] },
];

const READY_TIMEOUT_MS = 20_000;

/** An executable file of that name on PATH, or undefined. */
export function findOnPath(tool: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? "").split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, tool);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * Builds the bento folder into `image` with the first of docker (with a running daemon), podman
 * or buildah that works here; its output goes to this terminal. When none does, the error names
 * the ready build context and the command to run where a builder is.
 */
export function containerize(bentoDir: string, image: string, preferred?: string): { tool: string } {
  const candidates = preferred ? BUILDERS.filter((builder) => builder.tool === preferred) : BUILDERS;
  const skipped: string[] = [];
  for (const builder of candidates) {
    const executable = findOnPath(builder.tool);
    if (!executable) {
      skipped.push(`${builder.tool}: not on PATH`);
      continue;
    }
    if (builder.ready) {
      const probe = spawnSync(executable, builder.ready, { encoding: "utf8", timeout: READY_TIMEOUT_MS, stdio: ["ignore", "pipe", "pipe"] });
      if (probe.status !== 0) {
        skipped.push(`${builder.tool}: \`${builder.tool} ${builder.ready[0]}\` failed (${firstLine(probe.stderr) || (probe.error?.message ?? `exit ${probe.status}`)})`);
        continue;
      }
    }
    // BuildKit is what understands the Dockerfile's cache mounts.
    const result = spawnSync(executable, builder.buildArgs(image, bentoDir), { stdio: "inherit", env: { ...process.env, DOCKER_BUILDKIT: "1" } });
    if (result.status !== 0) throw new CliError(`${builder.tool} build failed (${result.error?.message ?? `exit code ${result.status ?? result.signal}`}); the build context is ${bentoDir}`);
    return { tool: builder.tool };
  }
  throw new CliError(
    `no container builder works here (${skipped.join("; ")}).\n` +
    `The build context is ready at ${bentoDir}\n` +
    `Build it where docker runs with:  DOCKER_BUILDKIT=1 docker build --tag ${image} ${bentoDir}`,
  );
}

function firstLine(text: string | undefined): string {
  return (text ?? "").trim().split("\n")[0] ?? "";
}

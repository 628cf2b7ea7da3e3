import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { Copy, Workdir } from "dockerfile-ast";
import { until } from "./bento-server.js";
import { parseDockerfile, runInstructions, type DockerfileParts, type DockerStage } from "./dockerfile-parts.js";
import { tempDir } from "./run-cli.js";

// The image's file system is played by a temp folder outside the repository (so nothing
// resolves from the repository's node_modules): each image folder below maps to one in `root`.
const IMAGE_FOLDERS: Record<string, string> = { "/app": "app", "/var/lib/bentoc": "bentoc-home" };

/** A bento installed and started on this machine as its Dockerfile installs and starts it. */
export interface ImageOnHost {
  /** The temp folder that plays the image's file system. */
  root: string;
  dockerfile: DockerfileParts;
  url: string;
  /** ENTRYPOINT + CMD's process (tini, when the image has it). */
  child: ChildProcess;
  output(): string;
  exited: Promise<[number | null, NodeJS.Signals | null]>;
  /** Where an absolute path of the image lies on this machine. */
  local(imagePath: string): string;
  /** Kills what still runs and removes `root`. */
  remove(): Promise<void>;
}

/**
 * Plays the bento's Dockerfile on this machine, where no container engine runs: the deps
 * stage's files and RUN lines (npm ci from the bento's lockfile, from the npm cache), the final
 * stage's files, then ENTRYPOINT + CMD with the image's ENV (an address on this machine, its
 * folders mapped, this node first on PATH), plus `env` as `docker run -e` adds it. Resolves once
 * the bento answers /readyz with 200.
 */
export async function startLikeImage(bentoDir: string, timeoutMs = 60_000, extraEnv: NodeJS.ProcessEnv = {}): Promise<ImageOnHost> {
  const root = tempDir("image");
  const local = (imagePath: string): string => {
    for (const [folder, here] of Object.entries(IMAGE_FOLDERS)) {
      const relative = path.posix.relative(folder, imagePath);
      if (!relative.startsWith("..")) return path.join(root, here, relative);
    }
    throw new Error(`the Dockerfile uses ${imagePath}, outside ${Object.keys(IMAGE_FOLDERS).join(" and ")}; extend test/support/image-on-host.ts`);
  };
  const dockerfile = parseDockerfile(fs.readFileSync(path.join(bentoDir, "Dockerfile"), "utf8"));
  const deps = dockerfile.stages.find((stage) => stage.name === "deps")!;
  copyFromContext(bentoDir, deps, local);
  for (const run of runInstructions(deps)) {
    const installed = spawnSync("/bin/sh", ["-c", `${run.getArgumentsContent()} --prefer-offline`], { cwd: local(workdirOf(deps)), encoding: "utf8", timeout: 300_000 });
    if (installed.status !== 0) throw new Error(`the deps stage's \`${run.getArgumentsContent()}\` failed (${installed.status}):\n${installed.stderr}`);
  }
  copyFromContext(bentoDir, dockerfile.final, local);

  const [program, ...argv] = [...dockerfile.entrypoint, ...dockerfile.command];
  if (dockerfile.entrypoint.length > 0 && !fs.existsSync(program!)) {
    throw new Error(`the image's ENTRYPOINT ${program} is not installed here, so the bento cannot start as the image starts it; install it (apt-get install tini), as .ci/run does`);
  }
  const env = { ...dockerfile.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH}`, BENTOC_HOST: "127.0.0.1", BENTOC_PORT: "0", BENTOC_HOME: local(dockerfile.env.BENTOC_HOME!), ...extraEnv };
  const child = spawn(program!, argv, { cwd: local(workdirOf(dockerfile.final)), env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.once("exit", (code, signal) => resolve([code, signal])));
  const remove = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGKILL");
      await exited;
    }
    fs.rmSync(root, { recursive: true, force: true });
  };
  try {
    const url = await until(async () => {
      if (child.exitCode !== null) throw new Error(`the bento exited (${child.exitCode}):\n${output}`);
      const listening = output.split("\n").map((line) => /"msg":"Server listening at (http:\/\/127\.0\.0\.1:\d+)"/.exec(line)?.[1]).find(Boolean);
      const ready = listening ? await fetch(`${listening}/readyz`).catch(() => undefined) : undefined;
      return ready?.status === 200 ? listening : undefined;
    }, "the bento to listen and be ready", timeoutMs);
    return { root, dockerfile, url, child, output: () => output, exited, local, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}

function workdirOf(stage: DockerStage): string {
  return (stage.instructions.filter((instruction) => instruction instanceof Workdir).at(-1) as Workdir).getArgumentsContent()!;
}

/** The build context's files that a stage's plain COPY instructions copy (COPY --from is another stage's output, already in place). */
function copyFromContext(bentoDir: string, stage: DockerStage, local: (imagePath: string) => string): void {
  for (const copy of stage.instructions.filter((instruction): instruction is Copy => instruction instanceof Copy)) {
    if (copy.getFlags().some((flag) => flag.getName() === "from")) continue;
    const words = copy.getArguments().map((argument) => argument.getValue());
    const target = path.posix.resolve(workdirOf(stage), words.pop()!);
    for (const source of words) {
      const destination = target.endsWith("/") || words.length > 1 ? path.join(local(target), path.basename(source)) : local(target);
      fs.mkdirSync(path.dirname(destination), { recursive: true });
      fs.cpSync(path.join(bentoDir, source), destination, { recursive: true });
    }
  }
}

import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { findOnPath } from "../../cli/build/container-builder.js";
import { until } from "../support/bento-server.js";
import { freePort } from "../support/ports.js";
import { REPO_ROOT, tempDir, type CliRun } from "../support/run-cli.js";

const INSTALL_TIMEOUT_MS = 240_000;
const STOP_TIMEOUT_MS = 15_000;

/**
 * The package as npm would publish it: `npm pack` of the repository (already built; its
 * `prepare` would rebuild dist/ under the other test files), into `dir`.
 */
export function packBentoc(dir: string): { tarball: string; files: string[] } {
  const packed = npm(["pack", "--ignore-scripts", "--json", "--pack-destination", dir], REPO_ROOT);
  const [{ filename, files }] = JSON.parse(packed.stdout) as [{ filename: string; files: { path: string }[] }];
  return { tarball: path.join(dir, filename), files: files.map((file) => file.path) };
}

/** Runs npm (from this machine's PATH) and fails with its output when it fails. */
export function npm(args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): CliRun {
  const run = spawnSync("npm", [...args, "--no-audit", "--no-fund", "--prefer-offline"], { cwd, env, encoding: "utf8", timeout: INSTALL_TIMEOUT_MS });
  if (run.status !== 0) throw new Error(`npm ${args.join(" ")} in ${cwd} failed (${run.status ?? run.error?.message}):\n${run.stderr}\n${run.stdout}`);
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** A `bentoc serve` running in the background on a port of its own. */
export interface ServeRun {
  url: string;
  child: ChildProcess;
  output(): string;
  /** SIGTERM, then the exit code (or signal). */
  stop(): Promise<number | NodeJS.Signals>;
}

/**
 * A user's own project outside this repository: `npm init -y`, then bentoc installed into it
 * the way a user installs it. Every bentoc command runs as `node_modules/.bin/bentoc` from the
 * project folder, with a PATH of node, npm and sh only (no container builder) and a bento store of
 * its own, so nothing resolves from or writes to this repository.
 */
export class UserProject {
  readonly bin: string;
  readonly env: NodeJS.ProcessEnv;
  private readonly serving = new Set<ServeRun>();

  private constructor(readonly dir: string, readonly home: string, private readonly pathDir: string) {
    this.bin = path.join(dir, "node_modules", ".bin");
    this.env = { HOME: process.env.HOME, PATH: pathDir, BENTOC_HOME: home, NO_COLOR: "1", BENTOC_LOG_FORMAT: "json" };
  }

  /** A fresh project with `install` (e.g. `["install", tarball]`) run in it by npm. */
  static create(name: string, install: string[], files: Record<string, string>): UserProject {
    const root = tempDir(name);
    const dir = path.join(root, "app");
    const pathDir = path.join(root, "path");
    fs.mkdirSync(dir);
    fs.mkdirSync(pathDir);
    // What npm needs to install and run scripts (node, npm, sh) and nothing else: no container builder.
    for (const tool of ["node", "npm", "sh"]) fs.symlinkSync(whichOnPath(tool), path.join(pathDir, tool));
    const project = new UserProject(dir, path.join(root, "bentoc-home"), pathDir);
    project.npm(["init", "-y"]);
    project.npm(install);
    project.write(files);
    return project;
  }

  write(files: Record<string, string>): void {
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(this.dir, name)), { recursive: true });
      fs.writeFileSync(path.join(this.dir, name), text);
    }
  }

  npm(args: string[]): CliRun {
    return npm(args, this.dir, this.env);
  }

  /** `bentoc <args>` as the user types it, to completion. */
  bentoc(args: string[]): CliRun {
    return this.tool("bentoc", args);
  }

  /** A command of the project's node_modules/.bin (`bentoc`, or `tsc` and `esbuild` that came with it) or its PATH (`node`), to completion. */
  tool(name: string, args: string[]): CliRun {
    const local = path.join(this.bin, name);
    const run = spawnSync(fs.existsSync(local) ? local : path.join(this.pathDir, name), args, { cwd: this.dir, env: this.env, encoding: "utf8", timeout: INSTALL_TIMEOUT_MS });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr };
  }

  /** `bentoc serve <target> --port <free> [args]`, with `env` on top of the project's, resolved once /readyz answers 200. */
  async serve(target: string, options: { args?: string[]; env?: NodeJS.ProcessEnv } = {}): Promise<ServeRun> {
    const port = await freePort();
    const child = spawn(path.join(this.bin, "bentoc"), ["serve", target, "--port", String(port), ...(options.args ?? [])], { cwd: this.dir, env: { ...this.env, ...options.env }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    const exited = new Promise<number | NodeJS.Signals>((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal ?? 1)));
    const run: ServeRun = {
      url: `http://127.0.0.1:${port}`,
      child,
      output: () => output,
      stop: async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
        return exited.finally(() => clearTimeout(timer));
      },
    };
    this.serving.add(run);
    await until(async () => {
      if (child.exitCode !== null) throw new Error(`bentoc serve ${target} exited with ${child.exitCode}:\n${output}`);
      const ready = await fetch(`${run.url}/readyz`).catch(() => undefined);
      return ready?.status === 200 ? true : undefined;
    }, `bentoc serve ${target} to be ready`, INSTALL_TIMEOUT_MS);
    return run;
  }

  /** Stops whatever `serve` started, and removes the project. */
  async remove(): Promise<void> {
    for (const run of this.serving) await run.stop();
    fs.rmSync(path.dirname(this.dir), { recursive: true, force: true });
  }
}

function whichOnPath(tool: string): string {
  const found = findOnPath(tool);
  if (!found) throw new Error(`${tool} is not on PATH`);
  return fs.realpathSync(found);
}

import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import os from "node:os";
import { detectCpuCount, type ReadTextFile } from "./cpu-count.js";
import { queryNvidiaSmi, type RunCommand } from "./nvidia-smi.js";
import type { DetectedResources, Environment } from "./types.js";

export interface DetectResourcesDeps {
  /** Environment whose PATH finds nvidia-smi. Default: process.env. */
  env?: Environment;
  /** Where the cgroup file system is mounted. Default: /sys/fs/cgroup. */
  cgroupRoot?: string;
  readTextFile?: ReadTextFile;
  runCommand?: RunCommand;
  /** CPUs when no cgroup quota applies. Default: os.availableParallelism(). */
  availableParallelism?: () => number;
  /** How long nvidia-smi may take before it counts as failed. Default: 10 s. */
  nvidiaSmiTimeoutMs?: number;
}

export const readTextFileOrUndefined: ReadTextFile = async (filePath) => {
  try {
    return await readFile(filePath, "utf8");
  } catch {
    return undefined;
  }
};

/** Runs through child_process.execFile (no shell); the program is looked up on options.env.PATH. */
export const execFileStdout: RunCommand = (file, args, { env, timeoutMs }) =>
  new Promise((resolve, reject) => {
    execFile(file, [...args], { env: { ...env }, timeout: timeoutMs, windowsHide: true }, (error, stdout) => {
      if (error) reject(error);
      else resolve(stdout);
    });
  });

/** CPUs (cgroup quota, else the OS) and GPUs (nvidia-smi) available to this process. */
export async function detectResources(deps: DetectResourcesDeps = {}): Promise<DetectedResources> {
  const [cpu, gpus] = await Promise.all([
    detectCpuCount(
      deps.readTextFile ?? readTextFileOrUndefined,
      deps.cgroupRoot ?? "/sys/fs/cgroup",
      (deps.availableParallelism ?? os.availableParallelism)(),
    ),
    queryNvidiaSmi(deps.runCommand ?? execFileStdout, deps.env ?? process.env, deps.nvidiaSmiTimeoutMs ?? 10_000),
  ]);
  return { cpuCount: cpu.cpuCount, cpuSource: cpu.source, gpus };
}

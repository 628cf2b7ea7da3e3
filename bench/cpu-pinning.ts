// CPU pinning for the HTTP benchmark: the load generator on one half of the CPUs, the server
// under test on the other. Unpinned on a 2-CPU machine, the scheduler moves both between the
// CPUs and the server competes with the load generator, so req/s measures the two together (a
// response header costs the load generator's JavaScript HTTP parser as much as the server).
// Pinned, each server has its CPUs to itself, and req/s is the server's.
import { execFileSync, spawnSync } from "node:child_process";
import { availableParallelism } from "node:os";

export interface CpuPinning {
  /** CPU list (taskset syntax) of the load generator, this process. */
  loadGenerator: string;
  /** CPU list of each server process. */
  server: string;
}

/** Why pinning is off, or the CPU split: needs `taskset` (util-linux) and at least two CPUs. */
export function planPinning(): CpuPinning | string {
  const cpus = availableParallelism();
  if (cpus < 2) return "one CPU: the load generator and the server share it";
  if (spawnSync("taskset", ["--version"], { stdio: "ignore" }).error) return "no taskset (util-linux) on this machine";
  const half = Math.floor(cpus / 2);
  const range = (from: number, to: number) => (from === to ? String(from) : `${from}-${to}`);
  return { loadGenerator: range(0, half - 1), server: range(half, cpus - 1) };
}

/** Pins this process (all its threads) to `cpus`. */
export function pinThisProcess(cpus: string): void {
  execFileSync("taskset", ["--all-tasks", "--cpu-list", "--pid", cpus, String(process.pid)], { stdio: "ignore" });
}

/** `execPath` and leading `execArgv` that start node pinned to `cpus`. */
export function pinnedNode(cpus: string): { execPath: string; execArgv: string[] } {
  return { execPath: "taskset", execArgv: ["--cpu-list", cpus, process.execPath] };
}

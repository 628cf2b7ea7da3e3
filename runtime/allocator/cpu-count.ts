import path from "node:path";
import type { CpuSource } from "./types.js";

/** Reads a text file, or gives undefined when it is missing or unreadable. */
export type ReadTextFile = (filePath: string) => Promise<string | undefined>;

export interface CpuCount {
  cpuCount: number;
  source: CpuSource;
}

/** CPUs from a cgroup v2 `cpu.max` ("max 100000" = no quota, "200000 100000" = 2). */
export function cpusFromCpuMax(contents: string): number | undefined {
  const [quota, period = "100000"] = contents.trim().split(/\s+/);
  if (quota === undefined || quota === "max") return undefined;
  return cpusFromQuota(Number(quota), Number(period));
}

/** CPUs from cgroup v1 `cpu.cfs_quota_us` / `cpu.cfs_period_us` (quota -1 = none). */
export function cpusFromCfs(quota: string, period: string): number | undefined {
  return cpusFromQuota(Number(quota.trim()), Number(period.trim()));
}

function cpusFromQuota(quota: number, period: number): number | undefined {
  if (!Number.isFinite(quota) || !Number.isFinite(period) || quota <= 0 || period <= 0) return undefined;
  // Half a CPU still needs one thread.
  return Math.max(1, Math.ceil(quota / period));
}

// v1 mounts the cpu controller under one of these names, depending on the distribution.
const CGROUP_V1_CPU_DIRS = ["cpu", "cpu,cpuacct", "cpuacct,cpu", "."];

/**
 * CPUs this process may use: the cgroup quota (v2, then v1) under `cgroupRoot`, never more
 * than `availableParallelism` (a quota larger than the machine buys no extra cores).
 */
export async function detectCpuCount(
  readTextFile: ReadTextFile,
  cgroupRoot: string,
  availableParallelism: number,
): Promise<CpuCount> {
  const osCount = Math.max(1, availableParallelism);
  const cpuMax = await readTextFile(path.join(cgroupRoot, "cpu.max"));
  if (cpuMax !== undefined) {
    const cpus = cpusFromCpuMax(cpuMax);
    return cpus === undefined ? { cpuCount: osCount, source: "os" } : { cpuCount: Math.min(cpus, osCount), source: "cgroup-v2" };
  }
  for (const dir of CGROUP_V1_CPU_DIRS) {
    const quota = await readTextFile(path.join(cgroupRoot, dir, "cpu.cfs_quota_us"));
    const period = await readTextFile(path.join(cgroupRoot, dir, "cpu.cfs_period_us"));
    if (quota === undefined || period === undefined) continue;
    const cpus = cpusFromCfs(quota, period);
    return cpus === undefined ? { cpuCount: osCount, source: "os" } : { cpuCount: Math.min(cpus, osCount), source: "cgroup-v1" };
  }
  return { cpuCount: osCount, source: "os" };
}

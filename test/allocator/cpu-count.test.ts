import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { detectResources } from "../../runtime/allocator/index.js";
import { noNvidiaSmi } from "./fake-nvidia-smi.js";

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A fake cgroup root holding `files` (relative path → contents). */
async function cgroupRoot(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), "bentoc-cgroup-"));
  dirs.push(root);
  for (const [name, contents] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, name)), { recursive: true });
    await writeFile(path.join(root, name), contents);
  }
  return root;
}

async function cpus(files: Record<string, string>, availableParallelism = 8) {
  const noSmi = await noNvidiaSmi();
  dirs.push(noSmi.path);
  const { cpuCount, cpuSource } = await detectResources({
    env: { PATH: noSmi.path },
    cgroupRoot: await cgroupRoot(files),
    availableParallelism: () => availableParallelism,
  });
  return { cpuCount, cpuSource };
}

describe("CPU count", () => {
  it("reads a cgroup v2 quota", async () => {
    expect(await cpus({ "cpu.max": "200000 100000\n" })).toEqual({ cpuCount: 2, cpuSource: "cgroup-v2" });
  });

  it("treats cgroup v2 'max' as no quota", async () => {
    expect(await cpus({ "cpu.max": "max 100000\n" })).toEqual({ cpuCount: 8, cpuSource: "os" });
  });

  it("rounds a fractional quota up, to at least 1", async () => {
    expect(await cpus({ "cpu.max": "150000 100000" })).toEqual({ cpuCount: 2, cpuSource: "cgroup-v2" });
    expect(await cpus({ "cpu.max": "50000 100000" })).toEqual({ cpuCount: 1, cpuSource: "cgroup-v2" });
  });

  it("never reports more CPUs than the OS offers", async () => {
    expect(await cpus({ "cpu.max": "1600000 100000" }, 4)).toEqual({ cpuCount: 4, cpuSource: "cgroup-v2" });
  });

  it("reads a cgroup v1 quota", async () => {
    const files = { "cpu,cpuacct/cpu.cfs_quota_us": "300000\n", "cpu,cpuacct/cpu.cfs_period_us": "100000\n" };
    expect(await cpus(files)).toEqual({ cpuCount: 3, cpuSource: "cgroup-v1" });
    expect(await cpus({ "cpu/cpu.cfs_quota_us": "25000", "cpu/cpu.cfs_period_us": "100000" })).toEqual({ cpuCount: 1, cpuSource: "cgroup-v1" });
  });

  it("treats a cgroup v1 quota of -1 as no quota", async () => {
    expect(await cpus({ "cpu/cpu.cfs_quota_us": "-1", "cpu/cpu.cfs_period_us": "100000" })).toEqual({ cpuCount: 8, cpuSource: "os" });
  });

  it("falls back to the OS without cgroup files, or with garbage in them", async () => {
    expect(await cpus({})).toEqual({ cpuCount: 8, cpuSource: "os" });
    expect(await cpus({ "cpu.max": "nonsense" })).toEqual({ cpuCount: 8, cpuSource: "os" });
  });

  it("uses os.availableParallelism() by default", async () => {
    const noSmi = await noNvidiaSmi();
    dirs.push(noSmi.path);
    const detected = await detectResources({ env: { PATH: noSmi.path }, cgroupRoot: await cgroupRoot({}) });
    expect(detected.cpuCount).toBe(os.availableParallelism());
  });
});

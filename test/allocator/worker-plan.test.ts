import { afterEach, describe, expect, it } from "vitest";
import { detectResources, planWorkers, type DetectedResources, type GpuDevice } from "../../runtime/allocator/index.js";
import { FOUR_GPUS, ONE_GPU, fakeNvidiaSmi, noNvidiaSmi, type FakeNvidiaSmi } from "./fake-nvidia-smi.js";

const fakes: FakeNvidiaSmi[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((fake) => fake.remove()));
});

/** Detects through a real fake nvidia-smi on PATH, on a machine with `cpuCount` CPUs and no cgroup quota. */
async function machineWith(fake: FakeNvidiaSmi, cpuCount = 8): Promise<DetectedResources> {
  fakes.push(fake);
  return detectResources({ env: { PATH: fake.path }, cgroupRoot: fake.path, availableParallelism: () => cpuCount });
}

function gpus(count: number): GpuDevice[] {
  return Array.from({ length: count }, (_, index) => ({ index, name: "NVIDIA A100-SXM4-40GB", memoryMiB: 40960 }));
}

const visibleDevices = (plan: ReturnType<typeof planWorkers>) => plan.workers.map((worker) => worker.env.CUDA_VISIBLE_DEVICES);

describe("planWorkers with GPUs found by a fake nvidia-smi", () => {
  it("0 GPUs (nvidia-smi absent): a GPU request warns and sets no CUDA_VISIBLE_DEVICES", async () => {
    const plan = planWorkers(await machineWith(await noNvidiaSmi()), { workers: 2, resources: { gpu: 1 } }, {});
    expect(plan.gpuAllocation).toBe("no-gpus");
    expect(visibleDevices(plan)).toEqual([undefined, undefined]);
    expect(plan.warnings).toHaveLength(1);
    expect(plan.warnings[0]).toMatch(/no GPU was found \(nvidia-smi is absent or failed\)/);
    expect(plan.warnings[0]).toMatch(/BENTOC_DISABLE_GPU_ALLOCATION=1/);
  });

  it("0 GPUs (nvidia-smi failing): the same warning", async () => {
    const plan = planWorkers(await machineWith(await fakeNvidiaSmi("No devices were found", 6)), { resources: { gpu: 1 } }, {});
    expect(plan.gpuAllocation).toBe("no-gpus");
    expect(plan.warnings[0]).toMatch(/no GPU was found/);
  });

  it("0 GPUs and none requested: no warning", async () => {
    const plan = planWorkers(await machineWith(await noNvidiaSmi()), { workers: 2 }, {});
    expect(plan.gpuAllocation).toBe("not-requested");
    expect(plan.warnings).toEqual([]);
  });

  it("1 GPU, 1 worker asking for 1: device 0", async () => {
    const plan = planWorkers(await machineWith(await fakeNvidiaSmi(ONE_GPU)), { resources: { gpu: 1 } }, {});
    expect(plan.gpuAllocation).toBe("assigned");
    expect(plan.workers[0]!.env).toMatchObject({ CUDA_VISIBLE_DEVICES: "0", CUDA_DEVICE_ORDER: "PCI_BUS_ID" });
    expect(plan.workers[0]!.gpus).toEqual([0]);
    expect(plan.warnings).toEqual([]);
  });

  it("4 GPUs, 2 workers × 2: distinct devices", async () => {
    const plan = planWorkers(await machineWith(await fakeNvidiaSmi(FOUR_GPUS)), { workers: 2, resources: { gpu: 2 } }, {});
    expect(visibleDevices(plan)).toEqual(["0,1", "2,3"]);
    expect(plan.warnings).toEqual([]);
  });

  it("4 GPUs, 4 workers × 1: one device each", async () => {
    const plan = planWorkers(await machineWith(await fakeNvidiaSmi(FOUR_GPUS)), { workers: 4, resources: { gpu: 1 } }, {});
    expect(visibleDevices(plan)).toEqual(["0", "1", "2", "3"]);
  });

  it("4 GPUs, 3 workers × 2: over-request warns with the fix and the plan still returns", async () => {
    const plan = planWorkers(await machineWith(await fakeNvidiaSmi(FOUR_GPUS)), { workers: 3, resources: { gpu: 2 } }, {});
    expect(plan.warnings).toHaveLength(1);
    expect(plan.warnings[0]).toContain(
      "3 workers × 2 GPUs need 6 GPUs but 4 were found (nvidia-smi): lower workers or resources.gpu, " +
        "or set BENTOC_DISABLE_GPU_ALLOCATION=1 to manage CUDA_VISIBLE_DEVICES yourself",
    );
    expect(visibleDevices(plan)).toEqual(["0,1", "2,3", "0,1"]);
  });
});

describe("planWorkers: GPU assignment", () => {
  const machine = (gpuCount: number, cpuCount = 8): DetectedResources => ({ cpuCount, cpuSource: "os", gpus: gpus(gpuCount) });

  it("uses nvidia-smi's indexes, not positions", () => {
    const plan = planWorkers({ cpuCount: 4, cpuSource: "os", gpus: [{ index: 2, name: "A" }, { index: 5, name: "B" }] }, { workers: 2, resources: { gpu: 1 } }, {});
    expect(visibleDevices(plan)).toEqual(["2", "5"]);
  });

  it("fractional: gpu 0.5 puts two workers on each device", () => {
    expect(visibleDevices(planWorkers(machine(2), { workers: 4, resources: { gpu: 0.5 } }, {}))).toEqual(["0", "0", "1", "1"]);
    expect(visibleDevices(planWorkers(machine(1), { workers: 2, resources: { gpu: 0.5 } }, {}))).toEqual(["0", "0"]);
  });

  it("fractional: gpu 0.25 puts four workers on a device, gpu 0.4 two", () => {
    expect(visibleDevices(planWorkers(machine(1), { workers: 4, resources: { gpu: 0.25 } }, {}))).toEqual(["0", "0", "0", "0"]);
    expect(visibleDevices(planWorkers(machine(2), { workers: 3, resources: { gpu: 0.4 } }, {}))).toEqual(["0", "0", "1"]);
  });

  it("fractional over-request warns and wraps", () => {
    const plan = planWorkers(machine(1), { workers: 3, resources: { gpu: 0.5 } }, {});
    expect(plan.warnings[0]).toContain("3 workers × 0.5 GPU need 2 GPUs but 1 was found (nvidia-smi)");
    expect(visibleDevices(plan)).toEqual(["0", "0", "0"]);
  });

  it("a worker asking for more GPUs than exist never gets a device twice", () => {
    const plan = planWorkers(machine(1), { workers: 1, resources: { gpu: 2 } }, {});
    expect(plan.workers[0]!.env.CUDA_VISIBLE_DEVICES).toBe("0");
    expect(plan.warnings[0]).toContain("1 worker × 2 GPUs needs 2 GPUs but 1 was found");
    for (const worker of planWorkers(machine(4), { workers: 5, resources: { gpu: 3 } }, {}).workers) {
      expect(new Set(worker.gpus).size).toBe(3);
    }
  });

  it("a fraction above 1 rounds up to whole devices, with a warning", () => {
    const plan = planWorkers(machine(4), { workers: 2, resources: { gpu: 1.5 } }, {});
    expect(visibleDevices(plan)).toEqual(["0,1", "2,3"]);
    expect(plan.warnings).toEqual([expect.stringMatching(/only fractions below 1 can share a device/)]);
  });

  it("BENTOC_DISABLE_GPU_ALLOCATION=1 leaves GPUs alone, even when over-requested", () => {
    const plan = planWorkers(machine(4), { workers: 3, resources: { gpu: 2 } }, { BENTOC_DISABLE_GPU_ALLOCATION: "1" });
    expect(plan.gpuAllocation).toBe("disabled");
    expect(visibleDevices(plan)).toEqual([undefined, undefined, undefined]);
    expect(plan.workers[0]!.env.CUDA_DEVICE_ORDER).toBeUndefined();
    expect(plan.warnings).toEqual([]);
  });

  it("BENTOC_DISABLE_GPU_ALLOCATION=0 or empty does not disable", () => {
    for (const value of ["0", "", "false"]) {
      expect(planWorkers(machine(1), { resources: { gpu: 1 } }, { BENTOC_DISABLE_GPU_ALLOCATION: value }).gpuAllocation).toBe("assigned");
    }
  });

  it("a preset CUDA_VISIBLE_DEVICES (even empty) leaves GPUs alone", () => {
    for (const preset of ["1,3", ""]) {
      const plan = planWorkers(machine(4), { workers: 2, resources: { gpu: 1 } }, { CUDA_VISIBLE_DEVICES: preset });
      expect(plan.gpuAllocation).toBe("preset");
      expect(visibleDevices(plan)).toEqual([undefined, undefined]);
      expect(plan.warnings).toEqual([]);
    }
  });

  it("no gpu request sets no CUDA_VISIBLE_DEVICES even when GPUs exist", () => {
    const plan = planWorkers(machine(4), { workers: 2, resources: { gpu: 0 } }, {});
    expect(plan.gpuAllocation).toBe("not-requested");
    expect(visibleDevices(plan)).toEqual([undefined, undefined]);
  });

  it("a negative gpu request warns and assigns nothing", () => {
    const plan = planWorkers(machine(4), { resources: { gpu: -1 } }, {});
    expect(plan.gpuAllocation).toBe("not-requested");
    expect(plan.warnings[0]).toMatch(/resources.gpu must be a positive number/);
  });
});

describe("planWorkers: threads", () => {
  const machine = (cpuCount: number): DetectedResources => ({ cpuCount, cpuSource: "cgroup-v2", gpus: [] });

  it("one worker by default, with every CPU", () => {
    const plan = planWorkers(machine(4), {}, {});
    expect(plan.workers).toHaveLength(1);
    expect(plan.workers[0]!.env).toEqual({ BENTOC_THREADS: "4", OMP_NUM_THREADS: "4" });
  });

  it("shares the CPUs between workers, at least 1 thread each", () => {
    expect(planWorkers(machine(8), { workers: 3 }, {}).threadsPerWorker).toBe(2);
    expect(planWorkers(machine(2), { workers: 4 }, {}).threadsPerWorker).toBe(1);
  });

  it('workers "cpu" runs one single-threaded worker per CPU', () => {
    const plan = planWorkers(machine(6), { workers: "cpu" }, {});
    expect(plan.workers.map((worker) => worker.index)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(plan.workers.every((worker) => worker.env.OMP_NUM_THREADS === "1" && worker.env.BENTOC_THREADS === "1")).toBe(true);
  });

  it("uses the requested cpu, rounded up, as threads", () => {
    expect(planWorkers(machine(8), { workers: 2, resources: { cpu: 2 } }, {}).threadsPerWorker).toBe(2);
    expect(planWorkers(machine(8), { workers: 2, resources: { cpu: "500m" } }, {}).threadsPerWorker).toBe(1);
    expect(planWorkers(machine(8), { workers: 2, resources: { cpu: "1500m" } }, {}).threadsPerWorker).toBe(2);
    expect(planWorkers(machine(8), { resources: { cpu: "3" } }, {}).threadsPerWorker).toBe(3);
  });

  it("warns when requested CPUs exceed the machine, and caps threads at the CPU count", () => {
    const plan = planWorkers(machine(2), { workers: 2, resources: { cpu: 4 } }, {});
    expect(plan.threadsPerWorker).toBe(2);
    expect(plan.warnings[0]).toMatch(/2 workers × 4 CPU need 8 threads but 2 CPU\(s\) are available \(cgroup-v2\)/);
  });

  it("warns on a cpu value that is not a quantity and falls back to the share", () => {
    const plan = planWorkers(machine(4), { workers: 2, resources: { cpu: "lots" } }, {});
    expect(plan.threadsPerWorker).toBe(2);
    expect(plan.warnings[0]).toMatch(/resources.cpu "lots" is not a CPU quantity/);
  });

  it("keeps a user's OMP_NUM_THREADS", () => {
    const plan = planWorkers(machine(4), {}, { OMP_NUM_THREADS: "7" });
    expect(plan.workers[0]!.env).toEqual({ BENTOC_THREADS: "4" });
  });

  it("rejects a worker count that is not a positive whole number", () => {
    expect(() => planWorkers(machine(4), { workers: 0 }, {})).toThrow(/workers must be a positive whole number/);
    expect(() => planWorkers(machine(4), { workers: 1.5 }, {})).toThrow(RangeError);
  });
});

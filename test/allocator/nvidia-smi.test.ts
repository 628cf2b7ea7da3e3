import { afterEach, describe, expect, it } from "vitest";
import { detectResources, parseNvidiaSmiCsv } from "../../runtime/allocator/index.js";
import { FOUR_GPUS, ONE_GPU, fakeNvidiaSmi, fakeNvidiaSmiScript, noNvidiaSmi, type FakeNvidiaSmi } from "./fake-nvidia-smi.js";

const fakes: FakeNvidiaSmi[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((fake) => fake.remove()));
});

async function gpusWith(fake: FakeNvidiaSmi, nvidiaSmiTimeoutMs?: number) {
  fakes.push(fake);
  const detected = await detectResources({
    env: { PATH: fake.path },
    cgroupRoot: fake.path, // no cgroup files there
    availableParallelism: () => 4,
    ...(nvidiaSmiTimeoutMs === undefined ? {} : { nvidiaSmiTimeoutMs }),
  });
  return detected.gpus;
}

describe("GPU detection through a fake nvidia-smi on PATH", () => {
  it("finds no GPUs when nvidia-smi is absent", async () => {
    expect(await gpusWith(await noNvidiaSmi())).toEqual([]);
  });

  it("finds no GPUs when nvidia-smi fails (no driver)", async () => {
    const fake = await fakeNvidiaSmi("NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.", 9);
    expect(await gpusWith(fake)).toEqual([]);
  });

  it("finds no GPUs when nvidia-smi reports none", async () => {
    expect(await gpusWith(await fakeNvidiaSmi("No devices were found", 6))).toEqual([]);
  });

  it("finds no GPUs when nvidia-smi is not executable", async () => {
    expect(await gpusWith(await fakeNvidiaSmiScript("echo '0, Tesla T4, 15360'", { executable: false }))).toEqual([]);
  });

  it("gives up on an nvidia-smi that hangs", async () => {
    const started = Date.now();
    expect(await gpusWith(await fakeNvidiaSmiScript("while :; do :; done"), 300)).toEqual([]);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("finds one GPU", async () => {
    expect(await gpusWith(await fakeNvidiaSmi(ONE_GPU))).toEqual([{ index: 0, name: "NVIDIA H100 80GB HBM3", memoryMiB: 81559 }]);
  });

  it("finds four GPUs", async () => {
    const gpus = await gpusWith(await fakeNvidiaSmi(FOUR_GPUS));
    expect(gpus.map((gpu) => gpu.index)).toEqual([0, 1, 2, 3]);
    expect(gpus[3]).toEqual({ index: 3, name: "NVIDIA A100-SXM4-40GB", memoryMiB: 40960 });
  });

  it("passes the documented query (the fake exits 2 on other arguments)", async () => {
    const fake = await fakeNvidiaSmiScript(`[ "$1" = "--query-gpu=index,name,memory.total" ] || exit 2\nprintf '0, X, 1\\n'`);
    expect(await gpusWith(fake)).toHaveLength(1);
  });
});

describe("parseNvidiaSmiCsv", () => {
  it("skips blank, warning and malformed lines and accepts CRLF", () => {
    const stdout = "WARNING: infoROM is corrupted at gpu 0000:00:04.0\r\n\r\n1, Tesla T4, 15360\r\n0, Tesla T4, 15360\r\nx, broken, 1\r\n";
    expect(parseNvidiaSmiCsv(stdout).map((gpu) => gpu.index)).toEqual([0, 1]);
  });

  it("keeps a comma inside a name and tolerates [N/A] memory", () => {
    expect(parseNvidiaSmiCsv("0, Odd, Name, [N/A]")).toEqual([{ index: 0, name: "Odd, Name" }]);
  });

  it("lists a repeated index once", () => {
    expect(parseNvidiaSmiCsv("0, A, 1\n0, A, 1")).toHaveLength(1);
  });
});

import { afterAll, describe, expect, it } from "vitest";
import { FOUR_GPUS, fakeNvidiaSmi, type FakeNvidiaSmi } from "../allocator/fake-nvidia-smi.js";
import { spawnBento, until, type SpawnedBento } from "../support/bento-server.js";
import { callFresh, isAlive, logLines, primaryLines } from "./cluster-client.js";
import { PIDS_SERVICE } from "./pids-service.js";

// The primary plans the workers with the allocator (a real fake nvidia-smi on PATH lists 4 GPUs)
// and gives each worker its slice through the environment; its warnings are printed once.

let bento: SpawnedBento | undefined;
let smi: FakeNvidiaSmi | undefined;
const workerPids = new Set<number>();

afterAll(async () => {
  await bento?.close();
  for (const pid of workerPids) if (isAlive(pid)) process.kill(pid, "SIGKILL");
  await smi?.remove();
});

describe("workers and the resource allocator", () => {
  it("gives each worker its GPUs through CUDA_VISIBLE_DEVICES and prints an over-request warning once", async () => {
    smi = await fakeNvidiaSmi(FOUR_GPUS);
    const env = { PATH: `${smi.path}:${process.env.PATH}`, CUDA_VISIBLE_DEVICES: undefined, BENTOC_DISABLE_GPU_ALLOCATION: undefined };
    bento = await spawnBento(PIDS_SERVICE(`{ workers: 3, resources: { gpu: 2 } }`), { env, timeoutMs: 30_000 });
    const running = bento;
    await until(async () => ((await callFresh(running.url, "GET", "/readyz")).status === 200 ? true : undefined), "all workers to be ready", 30_000);

    const gpusByWorker = new Map<string, string>();
    for (let call = 0; call < 12 && gpusByWorker.size < 3; call++) {
      const who = (await callFresh(running.url, "POST", "/whoami", {})).body as { pid: number; worker: string; gpus: string };
      workerPids.add(who.pid);
      gpusByWorker.set(who.worker, who.gpus);
    }
    // 3 workers × 2 GPUs on 4 devices: distinct pairs while they last, then the plan wraps around.
    expect(Object.fromEntries(gpusByWorker)).toEqual({ 0: "0,1", 1: "2,3", 2: "0,1" });

    const warnings = logLines(running.output()).filter((line) => line.level === 40);
    expect(warnings.map((line) => line.msg)).toEqual([expect.stringMatching(/^3 workers × 2 GPUs need 6 GPUs but 4 were found \(nvidia-smi\): lower workers or resources\.gpu, or set BENTOC_DISABLE_GPU_ALLOCATION=1/)]);
    expect(warnings[0]!.role).toBe("primary");
    expect(primaryLines(running.output()).map((line) => line.msg)).toContainEqual(expect.stringMatching(new RegExp(`^Pids: primary pid ${running.child.pid} runs 3 workers, \\d+ thread\\(s\\) each, GPUs \\[0,1\\] \\[2,3\\] \\[0,1\\]$`)));
  });
});

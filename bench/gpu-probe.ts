// The GPU check's probe (bench/gpu-check.ts): a bento whose workers say which GPUs the
// allocator gave them and which GPUs CUDA itself then sees in that worker (through PyTorch in a
// child process, which inherits the worker's environment as a model runtime would).

/** A probe service and the allocator settings it declares. */
export interface ProbeBento {
  name: string;
  workers: number;
  gpu: number;
}

/** Workers that share one GPU, and workers that each want a whole one (one GPU short on a 1-GPU machine). */
export const PROBE_BENTOS: readonly ProbeBento[] = [
  { name: "fractional", workers: 2, gpu: 0.5 },
  { name: "whole", workers: 2, gpu: 1 },
];

// What one worker answers, declared once for the probe's source and for the check.
// `cuda`: the GPU names CUDA lists (JSON), or why it could not tell.
const PROBE_ANSWER_FIELDS = { pid: "number", worker: "string", cudaVisibleDevices: "string", cudaDeviceOrder: "string", cuda: "string" } as const;
export type ProbeAnswer = { [Field in keyof typeof PROBE_ANSWER_FIELDS]: (typeof PROBE_ANSWER_FIELDS)[Field] extends "number" ? number : string };
const PROBE_ANSWER_SOURCE = `export interface ProbeAnswer { ${Object.entries(PROBE_ANSWER_FIELDS).map(([field, type]) => `${field}: ${type};`).join(" ")} }`;

// Prints CUDA's devices as a JSON array of names, or {"error": …} when torch or CUDA is missing.
const CUDA_DEVICES_PY = [
  "import json",
  "try:",
  "    import torch",
  "    print(json.dumps([torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())]))",
  "except Exception as error:",
  "    print(json.dumps({'error': str(error)}))",
].join("\n");

export function probeServiceSource(bento: ProbeBento): string {
  return `
import { execFile } from "node:child_process";
import { api, service } from "bentoc";

${PROBE_ANSWER_SOURCE}

// PyTorch takes seconds to import: ask once per worker.
let cudaView: Promise<string> | undefined;

function askCuda(): Promise<string> {
  return new Promise((resolve) => {
    execFile("python3", ["-c", ${JSON.stringify(CUDA_DEVICES_PY)}], { timeout: 120_000 }, (error, stdout) => {
      resolve(error ? JSON.stringify({ error: String(error.message) }) : stdout.trim());
    });
  });
}

@service({ workers: ${bento.workers}, resources: { gpu: ${bento.gpu} } })
export class GpuProbe {
  @api()
  async whoami(): Promise<ProbeAnswer> {
    cudaView ??= askCuda();
    const env = process.env;
    return {
      pid: process.pid,
      worker: env.BENTOC_WORKER_INDEX ?? "",
      cudaVisibleDevices: env.CUDA_VISIBLE_DEVICES ?? "(unset)",
      cudaDeviceOrder: env.CUDA_DEVICE_ORDER ?? "(unset)",
      cuda: await cudaView,
    };
  }
}
`;
}

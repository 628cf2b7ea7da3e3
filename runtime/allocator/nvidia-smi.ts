import type { Environment, GpuDevice } from "./types.js";

export const NVIDIA_SMI = "nvidia-smi";
export const NVIDIA_SMI_ARGS = ["--query-gpu=index,name,memory.total", "--format=csv,noheader,nounits"] as const;

/** Runs a program and resolves with its stdout; rejects when it is missing, fails or times out. */
export type RunCommand = (
  file: string,
  args: readonly string[],
  options: { env: Environment; timeoutMs: number },
) => Promise<string>;

/** Parses `index, name, memory.total` lines; lines that do not fit are skipped. */
export function parseNvidiaSmiCsv(stdout: string): GpuDevice[] {
  const devices: GpuDevice[] = [];
  const seen = new Set<number>();
  for (const line of stdout.split(/\r?\n/)) {
    const fields = line.split(",").map((field) => field.trim());
    if (fields.length < 3) continue;
    const indexField = fields[0]!;
    if (!/^\d+$/.test(indexField)) continue;
    const index = Number(indexField);
    if (seen.has(index)) continue;
    // A name could hold a comma, so memory is the last field and the name is what lies between.
    const memoryField = fields[fields.length - 1]!;
    const name = fields.slice(1, -1).join(", ");
    const memoryMiB = /^\d+(\.\d+)?$/.test(memoryField) ? Number(memoryField) : undefined;
    seen.add(index);
    devices.push(memoryMiB === undefined ? { index, name } : { index, name, memoryMiB });
  }
  return devices.sort((a, b) => a.index - b.index);
}

/** GPUs as `nvidia-smi` (found on the PATH of `env`) lists them; none when it is absent or fails. */
export async function queryNvidiaSmi(run: RunCommand, env: Environment, timeoutMs: number): Promise<GpuDevice[]> {
  try {
    return parseNvidiaSmiCsv(await run(NVIDIA_SMI, NVIDIA_SMI_ARGS, { env, timeoutMs }));
  } catch {
    return [];
  }
}

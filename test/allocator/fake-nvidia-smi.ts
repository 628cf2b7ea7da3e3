import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

/** A folder holding a real executable `nvidia-smi` shell script, to put first on PATH. */
export interface FakeNvidiaSmi {
  /** PATH value that finds the fake (and nothing else). */
  path: string;
  remove(): Promise<void>;
}

const EXPECTED_ARGS = `[ "$1" = "--query-gpu=index,name,memory.total" ] && [ "$2" = "--format=csv,noheader,nounits" ] && [ "$#" = 2 ] || { echo "unexpected arguments: $*" >&2; exit 2; }`;

/** nvidia-smi that checks its arguments, prints `stdout` (printf only: PATH holds no other programs) and exits with `exitCode`. */
export async function fakeNvidiaSmi(stdout: string, exitCode = 0): Promise<FakeNvidiaSmi> {
  const lines = stdout.split("\n").map((line) => `printf '%s\\n' '${line.replaceAll("'", "'\\''")}'`);
  return fakeNvidiaSmiScript([EXPECTED_ARGS, ...lines, `exit ${exitCode}`].join("\n"));
}

export async function fakeNvidiaSmiScript(body: string, { executable = true } = {}): Promise<FakeNvidiaSmi> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "bentoc-fake-nvidia-smi-"));
  const script = path.join(dir, "nvidia-smi");
  await writeFile(script, `#!/bin/sh\n${body}\n`);
  await chmod(script, executable ? 0o755 : 0o644);
  return { path: dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** A PATH with no nvidia-smi on it at all. */
export async function noNvidiaSmi(): Promise<FakeNvidiaSmi> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "bentoc-no-nvidia-smi-"));
  return { path: dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export const ONE_GPU = "0, NVIDIA H100 80GB HBM3, 81559";
export const FOUR_GPUS = [0, 1, 2, 3].map((index) => `${index}, NVIDIA A100-SXM4-40GB, 40960`).join("\n");

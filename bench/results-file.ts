import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";

/** Writes `bench/results/<benchmark>.json`: the bench's name, when and where it ran, then its own fields. Returns the path. */
export function writeResults(root: string, benchmark: string, fields: Record<string, unknown>): string {
  const dir = join(root, "bench", "results");
  mkdirSync(dir, { recursive: true });
  const document = {
    benchmark,
    date: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? "unknown",
    ...fields,
  };
  const path = join(dir, `${benchmark}.json`);
  writeFileSync(path, JSON.stringify(document, null, 2) + "\n");
  return path;
}

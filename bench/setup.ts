import { existsSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** A numeric command-line flag, or exit 2 with a one-line message naming what was expected. */
export function numberFlag(name: string, raw: string | undefined, rule: { zeroAllowed?: boolean; integer?: boolean } = {}): number {
  const value = Number(raw);
  const ok = Number.isFinite(value) && (rule.zeroAllowed ? value >= 0 : value > 0) && (!rule.integer || Number.isInteger(value));
  if (!ok) {
    console.error(`${name} must be a ${rule.zeroAllowed ? "non-negative" : "positive"} ${rule.integer ? "integer" : "number"}, got ${JSON.stringify(raw)}`);
    process.exit(2);
  }
  return value;
}

/** The package root, found by walking up so benches work from both `bench/` and `dist/bench/`. */
export function findRepoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "bentoc") return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error("bench: cannot find the bentoc package root above " + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

/** Removes a bench's scratch folder when it ends (also on Ctrl-C), unless `keep` asks to leave it for a look. */
export function scratchCleanup(folder: string, keep: boolean | undefined): () => void {
  const cleanUp = () => {
    if (keep) console.error(`kept ${folder}`);
    else rmSync(folder, { recursive: true, force: true });
  };
  process.once("SIGINT", () => {
    cleanUp();
    process.exit(130);
  });
  return cleanUp;
}

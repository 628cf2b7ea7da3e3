import fs from "node:fs";
import { fileURLToPath } from "node:url";

let cached: string | undefined;

/** This package's version, from its package.json (found from here both in the sources and in dist/). */
export function bentocVersion(): string {
  if (cached) return cached;
  for (const relative of ["../package.json", "../../package.json"]) {
    const file = fileURLToPath(new URL(relative, import.meta.url));
    if (!fs.existsSync(file)) continue;
    const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as { name?: string; version?: string };
    if (parsed.name === "bentoc" && parsed.version) return (cached = parsed.version);
  }
  return (cached = "0.0.0");
}

import fs from "node:fs";
import path from "node:path";
import { writeBentoYaml } from "../../manifest/bento-yaml.js";
import type { BentoManifest } from "../../manifest/types.js";
import type { BentoStore } from "../../store/bento-store.js";
import { sampleManifest } from "../manifest/sample-manifest.js";

/** A valid manifest named `name:version`, created at `creationTime`. */
export function bentoManifest(name: string, version: string, creationTime = "2025-03-01T12:30:00.000Z"): BentoManifest {
  return { ...sampleManifest(), name, version, creationTime };
}

/** Writes a small bento (bento.yaml plus a bundle file) into a fresh staging dir of `store`. */
export function stageBento(store: BentoStore, manifest: BentoManifest, files: Record<string, string> = { "server.mjs": "export {};\n" }): string {
  const dir = store.stagingDir();
  fs.writeFileSync(path.join(dir, "bento.yaml"), writeBentoYaml(manifest));
  for (const [relative, contents] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, relative)), { recursive: true });
    fs.writeFileSync(path.join(dir, relative), contents);
  }
  return dir;
}

/** Every path under `dir` (recursively, links not followed), sorted; [] when `dir` does not exist. */
export function treeOf(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, encoding: "utf8" }).sort();
}

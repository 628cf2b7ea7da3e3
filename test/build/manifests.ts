import type { BentoManifest } from "../../manifest/types.js";
import { sampleManifest } from "../manifest/sample-manifest.js";

/** The sample manifest with no GPU anywhere: its image starts from node:<ver>-bookworm-slim. */
export function cpuManifest(): BentoManifest {
  const manifest = sampleManifest();
  for (const service of manifest.services) {
    delete service.config.resources.gpu;
    delete service.config.resources.gpuType;
  }
  manifest.docker = { nodeVersion: "22", systemPackages: [] };
  return manifest;
}

/** The sample manifest (its first service asks for half a GPU) with a CUDA version as a service might write it. */
export function gpuManifest(cuda?: string): BentoManifest {
  const manifest = sampleManifest();
  manifest.docker = { nodeVersion: "20", systemPackages: ["libgomp1"], ...(cuda === undefined ? {} : { cuda }) };
  return manifest;
}

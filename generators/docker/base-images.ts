import type { BentoManifest } from "../../manifest/types.js";
import { DEFAULT_CUDA, normalizeCudaVersion } from "./cuda.js";
import { checkImageReference, checkNodeVersion } from "./inputs.js";

/**
 * The runtime stage's default: the Debian release the `node:*-bookworm-slim` images are built on,
 * without their npm, corepack and yarn. It has what Node's official binary links (glibc,
 * libstdc++, libgcc_s), because apt depends on them.
 */
export const DEFAULT_RUNTIME_IMAGE = "debian:bookworm-slim";

/** Whether any service of the bento asks for a GPU: its image then starts from CUDA. */
export function needsGpu(manifest: BentoManifest): boolean {
  return manifest.services.some((service) => (service.config.resources.gpu ?? 0) > 0);
}

/** The image the build stages start from: `docker.nodeImage` verbatim (e.g. pinned by digest), else `node:<nodeVersion>-bookworm-slim`. */
export function nodeStageImage(manifest: BentoManifest): string {
  const { docker } = manifest;
  const version = checkNodeVersion(docker.nodeVersion);
  return docker.nodeImage === undefined ? `node:${version}-bookworm-slim` : checkImageReference(docker.nodeImage, "docker.nodeImage");
}

/** The image the runtime stage starts from, and the CUDA version when that is a CUDA image. */
export function runtimeBaseImage(manifest: BentoManifest): { image: string; cuda?: string } {
  const { docker } = manifest;
  if (docker.baseImage !== undefined) return { image: checkImageReference(docker.baseImage, "docker.baseImage") };
  if (!needsGpu(manifest) && docker.cuda === undefined) return { image: DEFAULT_RUNTIME_IMAGE };
  const cuda = normalizeCudaVersion(docker.cuda ?? DEFAULT_CUDA);
  return { image: `nvidia/cuda:${cuda}-runtime-ubuntu22.04`, cuda };
}

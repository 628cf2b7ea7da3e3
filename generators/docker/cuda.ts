/**
 * CUDA runtime images the Dockerfile may start from: `nvidia/cuda:<version>-runtime-ubuntu22.04`
 * exists for each of these. Newest last within a minor line.
 */
export const CUDA_VERSIONS = ["11.8.0", "12.1.1", "12.2.2", "12.3.2", "12.4.1", "12.5.1", "12.6.3", "12.8.1", "12.9.1"] as const;

/** What a GPU service gets when it names no CUDA version: the newest 12.x. */
export const DEFAULT_CUDA = "12";

export class CudaVersionError extends Error {
  override readonly name = "CudaVersionError";
}

/**
 * The full CUDA version for what a service asked: `12` → the newest allowed 12.x,
 * `12.4` → the newest allowed 12.4.x, `12.4.1` → itself. Anything else is an error that lists
 * the allowed versions.
 */
export function normalizeCudaVersion(requested: string): string {
  const parts = /^[0-9]+(\.[0-9]+){0,2}$/.test(requested) ? requested.split(".") : undefined;
  const matches = parts ? CUDA_VERSIONS.filter((version) => sameLeadingParts(version.split("."), parts)) : [];
  const newest = matches.at(-1);
  if (newest) return newest;
  throw new CudaVersionError(`CUDA version '${requested}' is not supported; use one of ${CUDA_VERSIONS.join(", ")} (or just a major or major.minor such as 12 or 12.4)`);
}

function sameLeadingParts(version: string[], requested: string[]): boolean {
  return requested.every((part, index) => Number(part) === Number(version[index]));
}

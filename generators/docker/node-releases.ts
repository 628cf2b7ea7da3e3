import type { DockerManifest } from "../../manifest/types.js";

// When each Node.js line stops getting fixes (nodejs.org/en/about/previous-releases). Even
// majors are LTS lines; odd ones live about eight months.
const END_OF_LIFE: Readonly<Record<number, string>> = {
  20: "2026-04-30",
  21: "2024-06-01",
  22: "2027-04-30",
  23: "2025-06-01",
  24: "2028-04-30",
  25: "2026-06-01",
  26: "2029-04-30",
};

/**
 * What a build should warn about the image's Node.js: a `nodeVersion` past its end of life is
 * still built (bentoc's runtime runs on Node 20.19 and later), but the user hears about it. A
 * `nodeImage` replaces the version's image, so its Node.js is the user's to know.
 */
export function nodeVersionWarnings(docker: DockerManifest, today: Date): string[] {
  if (docker.nodeImage !== undefined) return [];
  const major = Number(docker.nodeVersion.split(".")[0]);
  const endOfLife = END_OF_LIFE[major];
  if (endOfLife === undefined || today.toISOString().slice(0, 10) < endOfLife) return [];
  return [
    `the image is built on Node.js ${major} (nodeVersion "${docker.nodeVersion}"), which reached its end of life on ${endOfLife} and gets no security fixes; ` +
      "set a supported LTS line in docker.nodeVersion (bentoc.yaml) or image.nodeVersion (@service), or remove both for bentoc's default, the current LTS",
  ];
}

import type { BentoManifest } from "../../manifest/types.js";
import { DEFAULT_CUDA, normalizeCudaVersion } from "./cuda.js";
import { checkBentoTag, checkEnvName, checkImageReference, checkNodeVersion, checkSystemPackage, dockerfileString } from "./inputs.js";
import { loadTemplate } from "./template.js";

export { CUDA_VERSIONS, CudaVersionError, normalizeCudaVersion } from "./cuda.js";
export { DockerfileInputError } from "./inputs.js";

/** The port every bento container listens on. */
export const CONTAINER_PORT = 3000;

/** The command the container runs, in the bento's `src/` folder. */
export const CONTAINER_COMMAND = ["node", "--enable-source-maps", "main.mjs"];

/**
 * How the bento's runtime packages are installed from its lockfile, in the image and by
 * `bentoc serve <tag>`. Install scripts do not run, as in bentoc's own install: the native
 * packages ship prebuilt binaries, a slim image has no compiler for those that do not, and the
 * rest would download extras or report telemetry at build time.
 */
export const NPM_INSTALL_ARGS = ["ci", "--omit=dev", "--ignore-scripts", "--no-audit", "--no-fund"];

/** Set in every image; the service's own `envs` come after, so they may override these. */
const BASE_ENV: Record<string, string> = {
  NODE_ENV: "production",
  BENTOC_HOST: "0.0.0.0",
  BENTOC_PORT: String(CONTAINER_PORT),
  BENTOC_LOG_FORMAT: "json",
  BENTOC_HOME: "/var/lib/bentoc",
};

// No curl in slim images: node itself asks /readyz, on the port the server was given.
const HEALTHCHECK_SCRIPT = `fetch("http://127.0.0.1:" + (process.env.BENTOC_PORT || ${CONTAINER_PORT}) + "/readyz").then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`;

/** Whether any service of the bento asks for a GPU: its image then starts from CUDA. */
export function needsGpu(manifest: BentoManifest): boolean {
  return manifest.services.some((service) => (service.config.resources.gpu ?? 0) > 0);
}

/** The image the runtime stage starts from, and the CUDA version when that is a CUDA image. */
export function runtimeBaseImage(manifest: BentoManifest): { image: string; cuda?: string } | undefined {
  const { docker } = manifest;
  if (docker.baseImage) return { image: checkImageReference(docker.baseImage) };
  if (!needsGpu(manifest) && docker.cuda === undefined) return undefined;
  const cuda = normalizeCudaVersion(docker.cuda ?? DEFAULT_CUDA);
  return { image: `nvidia/cuda:${cuda}-runtime-ubuntu22.04`, cuda };
}

/**
 * The bento's `Dockerfile` and `.dockerignore`: a multi-stage build on `node:<ver>-bookworm-slim`
 * (or a CUDA image with Node copied in, for GPU services), dependencies from the lockfile with a
 * shared BuildKit npm cache, a non-root user, a health check on /readyz, and port 3000. Every
 * manifest value is checked or quoted first; a bad one throws `DockerfileInputError` or
 * `CudaVersionError`.
 */
export function generateDockerfile(manifest: BentoManifest): Map<string, string> {
  checkBentoTag(manifest.name, manifest.version);
  const nodeImage = `node:${checkNodeVersion(manifest.docker.nodeVersion)}-bookworm-slim`;
  const base = runtimeBaseImage(manifest);
  const env = new Map(Object.entries(BASE_ENV));
  for (const service of manifest.services) {
    for (const variable of service.config.envs) if (variable.value !== undefined) env.set(checkEnvName(variable.name), variable.value);
  }
  const labels = [
    { name: "org.opencontainers.image.title", value: manifest.name },
    { name: "org.opencontainers.image.version", value: manifest.version },
    ...(base?.cuda ? [{ name: "dev.bentoc.cuda", value: base.cuda }] : []),
  ];
  const dockerfile = loadTemplate("Dockerfile.hbs")({
    name: manifest.name,
    version: manifest.version,
    nodeImage,
    runtimeImage: base?.image ?? "node",
    copyNode: base !== undefined,
    systemPackages: manifest.docker.systemPackages.map(checkSystemPackage).join(" "),
    labels: labels.map(({ name, value }) => ({ name, value: dockerfileString(value, `label ${name}`) })),
    env: [...env].map(([name, value]) => ({ name, value: dockerfileString(value, `environment variable ${name}`) })),
    models: manifest.models.length > 0,
    port: CONTAINER_PORT,
    npmInstall: ["npm", ...NPM_INSTALL_ARGS].join(" "),
    healthcheck: JSON.stringify(["node", "-e", HEALTHCHECK_SCRIPT]),
    command: JSON.stringify(CONTAINER_COMMAND),
  });
  return new Map([
    ["Dockerfile", dockerfile],
    [".dockerignore", loadTemplate("dockerignore.hbs")({})],
  ]);
}

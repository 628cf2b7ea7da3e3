import { imageReference } from "../../manifest/image-registry.js";
import type { BentoManifest } from "../../manifest/types.js";
import { nodeStageImage, runtimeBaseImage } from "./base-images.js";
import { checkBentoTag, checkEnvName, checkImageRegistry, checkSystemPackage, dockerfileString } from "./inputs.js";
import { nodeVersionWarnings } from "./node-releases.js";
import { loadTemplate } from "./template.js";

export { DEFAULT_RUNTIME_IMAGE, needsGpu, runtimeBaseImage } from "./base-images.js";
export { CUDA_VERSIONS, CudaVersionError, normalizeCudaVersion } from "./cuda.js";
export { DockerfileInputError } from "./inputs.js";

/** The port every bento container listens on. */
export const CONTAINER_PORT = 3000;

/** The command the container runs, in the bento's `src/` folder. */
export const CONTAINER_COMMAND = ["node", "--enable-source-maps", "main.mjs"];

/**
 * tini runs as PID 1 and starts the command: it reaps zombie processes and forwards signals to
 * node. Without `-g`: a multi-worker bento's primary drains its workers on SIGTERM itself, and a
 * worker signalled by both would die at the second SIGTERM instead of draining.
 */
export const CONTAINER_ENTRYPOINT = ["/usr/bin/tini", "--"];

// Debian's tini package ships a static build too: it runs on any runtime base, glibc or not.
const TINI_STATIC = "/usr/bin/tini-static";

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

/** What a build should warn about the image (the bento is built anyway), as of `today`. */
export function imageWarnings(manifest: BentoManifest, today: Date): string[] {
  return nodeVersionWarnings(manifest.docker, today);
}

/**
 * The bento's `Dockerfile` and `.dockerignore`: dependencies installed from the lockfile on
 * `node:<ver>-bookworm-slim` with a shared BuildKit npm cache; an image of `debian:bookworm-slim`
 * (a CUDA image for GPU services, or `docker.baseImage`) with only the `node` binary, tini and the
 * bento; a non-root user, a health check on /readyz, and port 3000. Every manifest value is
 * checked or quoted first; a bad one throws `DockerfileInputError` or `CudaVersionError`.
 */
export function generateDockerfile(manifest: BentoManifest): Map<string, string> {
  checkBentoTag(manifest.name, manifest.version);
  checkImageRegistry(manifest.docker.imageRegistry);
  const nodeImage = nodeStageImage(manifest);
  const base = runtimeBaseImage(manifest);
  const env = new Map(Object.entries(BASE_ENV));
  for (const service of manifest.services) {
    for (const variable of service.config.envs) if (variable.value !== undefined) env.set(checkEnvName(variable.name), variable.value);
  }
  const labels = [
    { name: "org.opencontainers.image.title", value: manifest.name },
    { name: "org.opencontainers.image.version", value: manifest.version },
    ...(base.cuda ? [{ name: "dev.bentoc.cuda", value: base.cuda }] : []),
  ];
  const dockerfile = loadTemplate("Dockerfile.hbs")({
    name: manifest.name,
    version: manifest.version,
    // The tag `bentoc containerize` gives it, under the registry the Kubernetes manifests pull from.
    image: imageReference(manifest),
    nodeImage,
    runtimeImage: base.image,
    tiniInstall: aptInstall(["tini"]),
    tiniStatic: TINI_STATIC,
    tini: CONTAINER_ENTRYPOINT[0],
    systemPackagesInstall: manifest.docker.systemPackages.length > 0 ? aptInstall(manifest.docker.systemPackages.map(checkSystemPackage)) : "",
    labels: labels.map(({ name, value }) => ({ name, value: dockerfileString(value, `label ${name}`) })),
    env: [...env].map(([name, value]) => ({ name, value: dockerfileString(value, `environment variable ${name}`) })),
    models: manifest.models.length > 0,
    port: CONTAINER_PORT,
    npmInstall: ["npm", ...NPM_INSTALL_ARGS].join(" "),
    healthcheck: JSON.stringify(["node", "-e", HEALTHCHECK_SCRIPT]),
    entrypoint: JSON.stringify(CONTAINER_ENTRYPOINT),
    command: JSON.stringify(CONTAINER_COMMAND),
  });
  return new Map([
    ["Dockerfile", dockerfile],
    [".dockerignore", loadTemplate("dockerignore.hbs")({})],
  ]);
}

/** A RUN line's command that installs Debian packages (checked names) and leaves no apt lists behind. */
function aptInstall(packages: string[]): string {
  return `apt-get update && apt-get install -y --no-install-recommends ${packages.join(" ")} && rm -rf /var/lib/apt/lists/*`;
}

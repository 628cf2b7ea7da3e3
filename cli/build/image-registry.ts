import { IMAGE_REGISTRY_ENV, imageRegistryProblem } from "../../manifest/image-registry.js";
import { CliError } from "../errors.js";
import type { BuildConfig } from "./build-config.js";

/**
 * The build with the registry its image is named under: `--image-registry`, else
 * BENTOC_IMAGE_REGISTRY, else bentoc.yaml's `docker.imageRegistry` (an empty value counts as
 * unset). A value that is not `host[:port][/path]` is an error naming where it came from.
 */
export function withImageRegistry(config: BuildConfig, flag: string | undefined, env: NodeJS.ProcessEnv = process.env): BuildConfig {
  const sources: [string, string | undefined][] = [
    ["--image-registry", flag],
    [IMAGE_REGISTRY_ENV, env[IMAGE_REGISTRY_ENV]],
    ["docker.imageRegistry in bentoc.yaml", config.docker.imageRegistry],
  ];
  const chosen = sources.find(([, value]) => value !== undefined && value !== "");
  const { imageRegistry: _unset, ...docker } = config.docker;
  if (chosen === undefined) return { ...config, docker };
  const [source, registry] = chosen as [string, string];
  const problem = imageRegistryProblem(registry);
  if (problem !== undefined) throw new CliError(`${source}: ${problem}`);
  return { ...config, docker: { ...docker, imageRegistry: registry } };
}

import type { BentoManifest } from "./types.js";

// Docker's reference grammar (github.com/distribution/reference): a host (domain components,
// upper case allowed) with an optional port, then path components in lower case.
const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
const HOST = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]{1,5})?`;
const IMAGE_REGISTRY = new RegExp(`^${HOST}(?:/${PATH_COMPONENT})*$`);

/** An image reference, `[host[:port]/]path[:tag][@sha256:<digest>]`, in the same grammar. */
export const IMAGE_REFERENCE = new RegExp(`^(?:${HOST}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$`);

/** The environment variable that names the registry when `bentoc build --image-registry` does not. */
export const IMAGE_REGISTRY_ENV = "BENTOC_IMAGE_REGISTRY";

/** Docker refuses a repository name past 255 characters; the bento's name follows the registry. */
export const IMAGE_REGISTRY_MAX_LENGTH = 200;

const EXAMPLE = "e.g. ghcr.io/acme or registry.example.com:5000/ml";

/** Why `value` cannot be an image registry (`host[:port][/path]`), or undefined when it can. */
export function imageRegistryProblem(value: string): string | undefined {
  const shown = JSON.stringify(value);
  if (value.includes("://")) return `${shown} has a URL scheme; give the registry without it (${EXAMPLE})`;
  if (value.length > IMAGE_REGISTRY_MAX_LENGTH) return `${shown} is longer than ${IMAGE_REGISTRY_MAX_LENGTH} characters`;
  if (IMAGE_REGISTRY.test(value)) return undefined;
  const path = value.split("/").slice(1);
  if (path.some((component) => /[A-Z]/.test(component))) return `${shown} has upper-case letters after the host; image paths are lower case (${EXAMPLE})`;
  return `${shown} is not an image registry; write host[:port][/path], the path in lower-case letters, digits and . _ - (${EXAMPLE})`;
}

/** The image a bento runs as: `<registry>/<name>:<version>`, or `<name>:<version>` with no registry. */
export function imageReference(manifest: Pick<BentoManifest, "name" | "version" | "docker">): string {
  const registry = manifest.docker.imageRegistry;
  return `${registry ? `${registry}/` : ""}${manifest.name}:${manifest.version}`;
}

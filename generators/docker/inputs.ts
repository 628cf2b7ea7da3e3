// Everything from the manifest that ends up in the Dockerfile passes through here first:
// each value is checked against a strict pattern or quoted, so no input can add an instruction
// or reach a shell. Nothing user-given is ever placed in a RUN line unless it matched a
// pattern without shell syntax.

import { IMAGE_REFERENCE, imageRegistryProblem } from "../../manifest/image-registry.js";

export class DockerfileInputError extends Error {
  override readonly name = "DockerfileInputError";
}

/**
 * A Node.js version bentoc's runtime runs on (20.19 or newer, as package.json's engines say): a
 * major (the newest release of that line), or major.minor[.patch].
 */
export function checkNodeVersion(version: string): string {
  const match = /^([0-9]{1,3})(?:\.([0-9]{1,3}))?(?:\.[0-9]{1,3})?$/.exec(version);
  const major = Number(match?.[1]);
  const minor = match?.[2] === undefined ? Infinity : Number(match[2]);
  if (!match || major < 20 || (major === 20 && minor < 19)) {
    throw new DockerfileInputError(`docker.nodeVersion '${printable(version)}' is not a Node.js version bentoc can run on; use 20.19 or newer, e.g. "24" or "22.11"`);
  }
  return version;
}

/**
 * A base image reference such as `nvidia/cuda:12.4.1-runtime-ubuntu22.04` or
 * `registry:5000/team/node@sha256:…`, used verbatim; `option` names where it came from.
 */
export function checkImageReference(image: string, option: "docker.baseImage" | "docker.nodeImage"): string {
  if (image.length > 255 || !IMAGE_REFERENCE.test(image)) {
    throw new DockerfileInputError(
      `${option} '${printable(image)}' is not an image reference; write it as name[:tag][@sha256:<64 hex digits>], e.g. "debian:bookworm-slim" or "node:24-bookworm-slim@sha256:…"`,
    );
  }
  return image;
}

// A Debian package name, optionally pinned (`libgomp1=12.2.0-14`): the same pattern the manifest schema has.
const SYSTEM_PACKAGE = /^[a-z0-9][a-z0-9+.-]*(=[A-Za-z0-9.+~:-]+)?$/;

export function checkSystemPackage(name: string): string {
  if (!SYSTEM_PACKAGE.test(name)) {
    throw new DockerfileInputError(`docker.systemPackages entry '${printable(name)}' is not a Debian package name (letters, digits, '+', '-', '.', optionally '=version')`);
  }
  return name;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function checkEnvName(name: string): string {
  if (!ENV_NAME.test(name)) throw new DockerfileInputError(`environment variable name '${printable(name)}' must be letters, digits and '_', not starting with a digit`);
  return name;
}

/**
 * A value as a double-quoted Dockerfile word: `\`, `"` and `$` are escaped, so the value is
 * taken literally (no variable expansion). Line breaks and other control characters cannot be
 * written in one Dockerfile line, so they are refused.
 */
export function dockerfileString(value: string, what: string): string {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) {
    throw new DockerfileInputError(`${what} contains a line break or another control character, which a Dockerfile cannot hold; remove it or set the variable when the container starts`);
  }
  return `"${value.replace(/[\\"$]/g, (character) => `\\${character}`)}"`;
}

/** A value shown in an error message on one line, however hostile. */
function printable(value: string): string {
  const shown = JSON.stringify(value).slice(1, -1);
  return shown.length > 80 ? `${shown.slice(0, 77)}...` : shown;
}

/** The registry the image is tagged under, as it appears in a comment: `host[:port][/path]` only. */
export function checkImageRegistry(registry: string | undefined): void {
  const problem = registry === undefined ? undefined : imageRegistryProblem(registry);
  if (problem !== undefined) throw new DockerfileInputError(`docker.imageRegistry: ${problem}`);
}

/** The bento's name and version as they appear in comments and labels: store tag parts only. */
export function checkBentoTag(name: string, version: string): void {
  if (!/^[a-z0-9][a-z0-9._-]{0,127}$/.test(name) || !/^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/.test(version)) {
    throw new DockerfileInputError(`bento tag '${printable(`${name}:${version}`)}' is not a valid store tag`);
  }
}

import { createHash } from "node:crypto";
import { generateClient } from "../../generators/client/index.js";
import { generateDockerfile } from "../../generators/docker/index.js";
import { generateKubernetes } from "../../generators/k8s/index.js";
import { generateOpenApi } from "../../generators/openapi/index.js";
import type { BentoManifest } from "../../manifest/types.js";
import { base32Lower, canonicalJson } from "../../manifest/version.js";
import { bundleBento } from "./bundle-bento.js";
import { runtimePackageFiles } from "./runtime-lockfile.js";

/** A bento's files by path inside it (`bento.yaml` aside, which is written from the final manifest). */
export type BentoFiles = Map<string, string | Uint8Array>;

/** Where the bento's runnable code lives in it: the bundle, and the project files `include` copies. */
export const SOURCE_DIR = "src";

export interface ArtefactInputs {
  serviceFile: string;
  /** The build context: the bundle is laid out as if it sat there (see bundleBento). */
  contextDir: string;
  lockfile: string;
  knownExternals?: Iterable<string>;
}

/**
 * Everything generated for a manifest: the bundle and its runtime package files, the
 * Dockerfile, Kubernetes manifests, OpenAPI document and typed client.
 */
export async function bentoArtefacts(manifest: BentoManifest, inputs: ArtefactInputs): Promise<{ files: BentoFiles; externalNames: Set<string> }> {
  const bundle = await bundleBento(manifest, inputs.serviceFile, inputs.contextDir, inputs.knownExternals);
  const files: BentoFiles = new Map();
  for (const [name, contents] of bundle.files) files.set(`${SOURCE_DIR}/${name}`, contents);
  for (const [name, contents] of Object.entries(runtimePackageFiles(manifest.name, bundle.runtimePackages, inputs.lockfile))) files.set(name, contents);
  for (const [name, contents] of generateDockerfile(manifest)) files.set(name, contents);
  for (const [name, contents] of generateKubernetes(manifest)) files.set(name, contents);
  for (const [name, contents] of generateOpenApi(manifest)) files.set(name, contents);
  for (const [name, contents] of generateClient(manifest)) files.set(`client/${name}`, contents);
  return { files, externalNames: bundle.externalNames };
}

/**
 * The bento's version: a content hash over the manifest (without `version` and `creationTime`)
 * and every file's path and bytes, as 16 lower-case base32 characters like the manifest's own.
 * The files must come from a manifest whose version and creation time were fixed placeholders,
 * so that neither leaks into the hash through the bundle or the Dockerfile.
 */
export function bentoVersion(manifest: BentoManifest, files: BentoFiles): string {
  const { version: _version, creationTime: _creationTime, ...content } = manifest;
  const hash = createHash("sha256").update(canonicalJson(content)).update("\n");
  for (const name of [...files.keys()].sort()) {
    hash.update(`${name}\0${createHash("sha256").update(files.get(name)!).digest("hex")}\n`);
  }
  return base32Lower(hash.digest()).slice(0, 16);
}

import fs from "node:fs";
import path from "node:path";
import { compileService } from "../../compiler/index.js";
import { CudaVersionError, DockerfileInputError } from "../../generators/docker/index.js";
import { writeBentoYaml } from "../../manifest/bento-yaml.js";
import type { BentoManifest } from "../../manifest/types.js";
import { validateManifest } from "../../manifest/validate.js";
import type { BentoStore, StoredBento } from "../../store/bento-store.js";
import type { ModelStore, StoredModel } from "../../store/model-store.js";
import { formatDiagnostics } from "../code-frame.js";
import { CliError } from "../errors.js";
import { modelsForBento, placeModels } from "./bento-models.js";
import { SOURCE_DIR, bentoArtefacts, bentoVersion, type BentoFiles } from "./bento-files.js";
import type { BuildConfig } from "./build-config.js";
import { collectIncludedFiles } from "./include-files.js";
import { findLockfile } from "./runtime-lockfile.js";

/** Stand-ins while the version is computed: neither may influence the hash. */
const PLACEHOLDER = { version: "0000000000000000", creationTime: "1970-01-01T00:00:00.000Z" };

/**
 * Compiles, bundles and packages a service into the bento store. The version is a content
 * hash of what the bento holds, so building unchanged sources again gives the same tag (and
 * the store keeps the entry it has). Nothing reaches the store unless every file was written.
 */
export async function buildBento(config: BuildConfig, store: BentoStore, modelStore: ModelStore): Promise<StoredBento> {
  // Built now (or at SOURCE_DATE_EPOCH), so `name:latest` is the last build; the version ignores it.
  const compiled = compileService(config.serviceFile, { creationTime: buildTime(), ...(config.entry ? { service: config.entry } : {}) });
  if (!compiled.manifest) {
    throw new CliError(`${path.basename(config.serviceFile)} does not compile:\n${formatDiagnostics(compiled.diagnostics, { color: false, cwd: process.cwd() }).trimEnd()}`);
  }
  const { manifest, models, identities } = await modelsForBento(buildManifest(compiled.manifest, config), modelStore);
  const inputs = { serviceFile: config.serviceFile, contextDir: config.contextDir, lockfile: findLockfile(config.contextDir) };
  const included = collectIncludedFiles(config.contextDir, manifest.include, manifest.exclude);
  const sourceFiles: BentoFiles = new Map([...included].map(([name, contents]) => [`${SOURCE_DIR}/${name}`, contents]));
  const draft = await generated({ ...manifest, ...PLACEHOLDER }, inputs);
  const version = bentoVersion(manifest, new Map([...draft.files, ...sourceFiles, ...identities]));
  const final = { ...manifest, version };
  const { files } = await generated(final, { ...inputs, knownExternals: draft.externalNames });
  for (const name of sourceFiles.keys()) {
    if (files.has(name)) throw new CliError(`the included file ${name.slice(SOURCE_DIR.length + 1)} has the name of a file bentoc generates; exclude or rename it`);
  }
  return storeBento(store, final, new Map([...files, ...sourceFiles]), models);
}

function buildTime(): Date {
  const epoch = process.env.SOURCE_DATE_EPOCH;
  return epoch && /^[0-9]+$/.test(epoch) ? new Date(Number(epoch) * 1000) : new Date(Math.floor(Date.now() / 1000) * 1000);
}

/** The compiled manifest with what bentoc.yaml says about packaging, checked like any bento.yaml. */
function buildManifest(compiled: BentoManifest, config: BuildConfig): BentoManifest {
  const manifest: BentoManifest = {
    ...compiled,
    labels: { ...compiled.labels, ...config.labels },
    include: config.include ?? compiled.include,
    exclude: config.exclude ?? compiled.exclude,
    docker: { ...compiled.docker, ...config.docker },
    ...(config.taskStoreSecret ? { taskStore: { secret: config.taskStoreSecret } } : {}),
  };
  const validation = validateManifest(manifest);
  if (!validation.ok) throw new CliError(`the bento manifest is not valid:\n  ${validation.problems.slice(0, 5).join("\n  ")}`);
  return manifest;
}

async function generated(manifest: BentoManifest, inputs: Parameters<typeof bentoArtefacts>[1]): ReturnType<typeof bentoArtefacts> {
  try {
    return await bentoArtefacts(manifest, inputs);
  } catch (error) {
    if (error instanceof DockerfileInputError || error instanceof CudaVersionError) throw new CliError(error.message);
    throw error;
  }
}

function storeBento(store: BentoStore, manifest: BentoManifest, files: BentoFiles, models: StoredModel[]): StoredBento {
  const staging = store.stagingDir();
  try {
    placeModels(staging, models);
    for (const [name, contents] of files) {
      const target = path.join(staging, name);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, contents);
    }
    // bento.yaml last: a staging folder without it is not a bento.
    fs.writeFileSync(path.join(staging, "bento.yaml"), writeBentoYaml(manifest));
  } catch (error) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  return store.add(staging);
}

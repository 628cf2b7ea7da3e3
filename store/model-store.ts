import fs from "node:fs";
import path from "node:path";
import { type ArchiveLimits, unpackArchiveInto } from "./archive.js";
import { EntryStore } from "./entry-store.js";
import { StoreError } from "./errors.js";
import { bentocHome } from "./home.js";
import { contentVersion, copyModelFiles, planModelCopy, verifyModelFiles } from "./model-files.js";
import { MODEL_YAML, type ModelFile, type ModelInfo, readModelYaml, writeModelYaml } from "./model-yaml.js";
import { assertValidName, assertValidVersion, formatTag } from "./tag.js";
import type { StoredEntry } from "./versioned-dirs.js";

export { StoreError } from "./errors.js";
export type { ModelFile, ModelInfo } from "./model-yaml.js";

/** The model's own files live here inside an entry, apart from model.yaml, so no name can clash. */
export const MODEL_FILES_DIR = "files";

export interface StoredModel extends StoredEntry {
  info: ModelInfo;
  sizeBytes: number;
  /** The directory holding the model's files (`<dir>/files`): what a service loads from. */
  path: string;
}

export interface ModelImportOptions {
  name: string;
  /** Defaults to the content hash of the files, so importing identical files twice is a no-op. */
  version?: string;
  labels?: Record<string, string>;
  metadata?: Record<string, unknown>;
}

/** Stored models, `<home>/models/<name>/<version>/` with `model.yaml` and `files/`. */
export class ModelStore extends EntryStore<StoredModel> {
  constructor(home: string = bentocHome(), private readonly now: () => Date = () => new Date()) {
    super(path.join(home, "models"), "model", readStoredModel, "bentoc models list");
  }

  /** Copies a directory (or one file) into the store as a new model version. */
  importDirectory(source: string, options: ModelImportOptions): StoredModel {
    assertValidName(options.name, "model name");
    if (options.version !== undefined) assertValidVersion(options.version);
    const plan = planModelCopy(source);
    const staging = this.stagingDir();
    try {
      const files = copyModelFiles(plan, path.join(staging, MODEL_FILES_DIR));
      return this.commitStaged(staging, files, options);
    } catch (error) {
      this.discardStaging(staging);
      throw error;
    }
  }

  /**
   * Writes model.yaml for files already in `<staging>/files` and renames the entry into
   * place; when that version exists, the staging dir is dropped and the entry returned.
   */
  commitStaged(staging: string, files: ModelFile[], options: ModelImportOptions): StoredModel {
    const version = options.version ?? contentVersion(files);
    const target = this.entries.entryDir(options.name, version);
    if (fs.existsSync(target)) return this.entries.commit(staging, options.name, version);
    const info: ModelInfo = {
      name: options.name,
      version,
      creationTime: this.now().toISOString(),
      sizeBytes: files.reduce((sum, file) => sum + file.sizeBytes, 0),
      files,
      labels: options.labels ?? {},
      metadata: options.metadata ?? {},
    };
    fs.writeFileSync(path.join(staging, MODEL_YAML), writeModelYaml(info));
    return this.entries.commit(staging, info.name, info.version);
  }

  /** Same as `get`: `name`, `name:latest` or `name:version` → the stored model and its files. */
  resolve(tag: string): StoredModel {
    return this.get(tag);
  }

  /**
   * Imports an archive made by `exportTo`: refused without writing anything when unsafe,
   * and checked file by file against the sha256s in its model.yaml before it is added.
   */
  async importFrom(file: string, limits?: ArchiveLimits): Promise<StoredModel> {
    const staging = await unpackArchiveInto(file, () => this.stagingDir(), limits);
    try {
      const info = readInfo(staging, path.basename(file));
      verifyModelFiles(path.join(staging, MODEL_FILES_DIR), info.files, path.basename(file));
      const extra = fs.readdirSync(staging).filter((name) => name !== MODEL_YAML && name !== MODEL_FILES_DIR);
      if (extra.length > 0) throw new StoreError(`${path.basename(file)} holds ${extra.join(", ")} beside model.yaml and files/; it is not a model archive`);
      return this.entries.commit(staging, info.name, info.version);
    } catch (error) {
      this.discardStaging(staging);
      throw error;
    }
  }
}

function readInfo(dir: string, source: string): ModelInfo {
  const file = path.join(dir, MODEL_YAML);
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    throw new StoreError(`${source} has no model.yaml at its root; it is not a model`);
  }
  return readModelYaml(text, file);
}

function readStoredModel(dir: string, name: string, version: string): StoredModel {
  const info = readInfo(dir, dir);
  if (info.name !== name || info.version !== version) {
    throw new StoreError(`${dir} holds ${formatTag(info.name, info.version)}, not ${formatTag(name, version)}; the store is damaged, delete that directory`);
  }
  return {
    name, version, tag: formatTag(name, version), dir, info,
    creationTime: info.creationTime, sizeBytes: info.sizeBytes, path: path.join(dir, MODEL_FILES_DIR),
  };
}

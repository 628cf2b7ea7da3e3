import fs from "node:fs";
import path from "node:path";
import { ManifestError, readBentoYaml } from "../manifest/bento-yaml.js";
import type { BentoManifest } from "../manifest/types.js";
import { type ArchiveLimits, unpackArchiveInto } from "./archive.js";
import { EntryStore } from "./entry-store.js";
import { StoreError } from "./errors.js";
import { bentocHome } from "./home.js";
import { formatTag } from "./tag.js";
import { directorySize, type StoredEntry } from "./versioned-dirs.js";

export { StoreError } from "./errors.js";

export const BENTO_YAML = "bento.yaml";

export interface StoredBento extends StoredEntry {
  manifest: BentoManifest;
  sizeBytes: number;
}

/** Built bentos, `<home>/bentos/<name>/<version>/`, each with `bento.yaml` at its root. */
export class BentoStore extends EntryStore<StoredBento> {
  constructor(home: string = bentocHome()) {
    super(path.join(home, "bentos"), "bento", readStoredBento, "bentoc list");
  }

  /**
   * Moves a complete bento (its `bento.yaml` names it) into the store in one rename. The
   * staging directory is gone afterwards in every case: moved, or removed when that version
   * exists already (its existing entry is returned) or the bento is not valid.
   */
  add(stagingDir: string): StoredBento {
    let manifest: BentoManifest;
    try {
      manifest = readManifest(stagingDir);
    } catch (error) {
      this.discardStaging(stagingDir);
      throw error;
    }
    return this.entries.commit(stagingDir, manifest.name, manifest.version);
  }

  /** Imports an archive made by `exportTo`; refuses unsafe archives without writing anything. */
  async importFrom(file: string, limits?: ArchiveLimits): Promise<StoredBento> {
    const staging = await unpackArchiveInto(file, () => this.stagingDir(), limits);
    return this.add(staging);
  }
}

function readManifest(dir: string): BentoManifest {
  const file = path.join(dir, BENTO_YAML);
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    throw new StoreError(`${file} is missing: a bento has bento.yaml at its root`);
  }
  try {
    return readBentoYaml(text, file);
  } catch (error) {
    if (error instanceof ManifestError) throw new StoreError(error.message);
    throw error;
  }
}

function readStoredBento(dir: string, name: string, version: string): StoredBento {
  const manifest = readManifest(dir);
  if (manifest.name !== name || manifest.version !== version) {
    throw new StoreError(`${dir} holds ${formatTag(manifest.name, manifest.version)}, not ${formatTag(name, version)}; the store is damaged, delete that directory`);
  }
  return {
    name, version, tag: formatTag(name, version), dir, manifest,
    creationTime: manifest.creationTime, sizeBytes: directorySize(dir),
  };
}

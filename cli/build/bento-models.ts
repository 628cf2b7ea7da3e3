import fs from "node:fs";
import path from "node:path";
import type { BentoManifest } from "../../manifest/types.js";
import { canonicalJson } from "../../manifest/version.js";
import { ensureModelsStored } from "../../store/ensure-models.js";
import { referenceOf } from "../../store/model-refs.js";
import type { ModelStore, StoredModel } from "../../store/model-store.js";
import { progressReporter } from "../store/pull-command.js";

/** Where a bento carries its models: a model store of its own, which the image puts under BENTOC_HOME. */
export const MODELS_DIR = "models";

export interface BentoModels {
  /** The manifest with each model's size filled in. */
  manifest: BentoManifest;
  models: StoredModel[];
  /** Per model, `models/<name>/<version>` → its files' paths and sha256s: what the bento version hashes instead of the bytes. */
  identities: Map<string, string>;
}

/**
 * The stored models a bento's manifest refers to: Hugging Face models that are missing are
 * pulled (with a progress bar), a missing store model is an error naming the import command.
 */
export async function modelsForBento(manifest: BentoManifest, store: ModelStore): Promise<BentoModels> {
  const progress = progressReporter();
  let models: StoredModel[];
  try {
    models = await ensureModelsStored(store, manifest.models.map(referenceOf), { onProgress: progress.report });
  } finally {
    progress.stop();
  }
  const sized = manifest.models.map((model, index) => ({ ...model, size: models[index]!.sizeBytes }));
  const identities = new Map(models.map((model) => [targetOf(model), canonicalJson(model.info.files)]));
  return { manifest: { ...manifest, models: sized }, models, identities };
}

function targetOf(model: StoredModel): string {
  return `${MODELS_DIR}/${model.name}/${model.version}`;
}

/** Puts the models into a bento folder as `models/<name>/<version>/`: hard links where the file system allows (models are large), copies otherwise. */
export function placeModels(bentoDir: string, models: StoredModel[]): void {
  for (const model of models) linkTree(model.dir, path.join(bentoDir, targetOf(model)));
}

function linkTree(source: string, target: string): void {
  fs.mkdirSync(target, { recursive: true });
  for (const entry of fs.readdirSync(source, { withFileTypes: true })) {
    const from = path.join(source, entry.name);
    const to = path.join(target, entry.name);
    if (entry.isDirectory()) linkTree(from, to);
    else if (entry.isFile()) {
      try {
        fs.linkSync(from, to);
      } catch {
        fs.copyFileSync(from, to);
      }
    }
  }
}

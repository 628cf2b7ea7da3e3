import type { ModelManifest } from "../manifest/types.js";
import { StoreError } from "./errors.js";
import { findPulledModel, huggingFaceModelName } from "./huggingface-ref.js";
import type { ModelStore, StoredModel } from "./model-store.js";
import { parseTag } from "./tag.js";

/** A model a service refers to: the data of the sdk's `model(...)` / `huggingface(...)` refs. */
export type ModelReference =
  | { kind: "store"; tag: string }
  | { kind: "huggingface"; modelId: string; revision: string; include?: readonly string[]; exclude?: readonly string[] };

/** The reference a manifest's `models` entry describes. */
export function referenceOf(model: ModelManifest): ModelReference {
  return model.source === "huggingface"
    ? { kind: "huggingface", modelId: model.tag, revision: model.revision ?? "main", include: model.include, exclude: model.exclude }
    : { kind: "store", tag: model.tag };
}

/** The stored model a reference means; a StoreError naming the command that stores it when there is none. */
export function findStoredModel(store: ModelStore, ref: ModelReference): StoredModel {
  if (ref.kind === "huggingface") {
    const pulled = findPulledModel(store, ref.modelId, ref.revision);
    if (pulled) return pulled;
    const revision = ref.revision === "main" ? "" : ` --revision ${ref.revision}`;
    throw new StoreError(
      `Model ${ref.modelId}@${ref.revision} is not in the model store (${store.root}) as ${huggingFaceModelName(ref.modelId)}; run \`bentoc models pull ${ref.modelId}${revision}\``,
    );
  }
  try {
    return store.resolve(ref.tag);
  } catch (error) {
    if (!(error instanceof StoreError) || !error.message.startsWith("No model")) throw error;
    throw new StoreError(
      `Model ${ref.tag} is not in the model store (${store.root}); run \`bentoc models import <path> --name ${parseTag(ref.tag).name}\`, or set BENTOC_HOME to the store that holds it`,
    );
  }
}

import type { ModelStore, StoredModel } from "./model-store.js";

/** `Org/Some.Model` → `org--some.model`: a valid store name for a Hub model id. */
export function huggingFaceModelName(modelId: string): string {
  return modelId.toLowerCase().replace("/", "--");
}

/** The newest stored pull of `modelId` at `revision` (a branch, tag or commit sha), if any. */
export function findPulledModel(store: ModelStore, modelId: string, revision: string, name = huggingFaceModelName(modelId)): StoredModel | undefined {
  const pulled = store.list(name).filter(({ info }) =>
    info.metadata.source === "huggingface" && info.metadata.modelId === modelId
    && (info.metadata.revision === revision || info.metadata.commit === revision));
  return pulled.at(-1);
}

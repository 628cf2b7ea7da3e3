import { type HubPullOptions, pullHuggingFace } from "./huggingface.js";
import { findPulledModel } from "./huggingface-ref.js";
import { findStoredModel, type ModelReference } from "./model-refs.js";
import type { ModelStore, StoredModel } from "./model-store.js";

/**
 * Makes sure every reference is stored (for `bentoc build`): Hugging Face models that are
 * missing are pulled; a missing store model is an error with the command that imports it,
 * raised before anything is downloaded. Returns the stored models in the order of `refs`.
 */
export async function ensureModelsStored(
  store: ModelStore,
  refs: readonly ModelReference[],
  pull: Pick<HubPullOptions, "onProgress" | "endpoint" | "token"> = {},
): Promise<StoredModel[]> {
  const local = refs.map((ref) => (ref.kind === "store" ? findStoredModel(store, ref) : undefined));
  const stored: StoredModel[] = [];
  for (const [index, ref] of refs.entries()) {
    if (ref.kind === "store") stored.push(local[index]!);
    else stored.push(findPulledModel(store, ref.modelId, ref.revision) ?? await pullHuggingFace(store, { ...pull, modelId: ref.modelId, revision: ref.revision, include: ref.include, exclude: ref.exclude }));
  }
  return stored;
}

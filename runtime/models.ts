import { MODEL_RESOLVER_SLOT, type ModelRefData, type ModelResolver, type ResolvedModel } from "../sdk/model.js";
import { StoreError } from "../store/errors.js";
import { bentocHome } from "../store/home.js";
import { findPulledModel, huggingFaceModelName } from "../store/huggingface-ref.js";
import { ModelStore, type StoredModel } from "../store/model-store.js";
import { parseTag } from "../store/tag.js";

/**
 * Resolves `model(...)` and `huggingface(...)` refs against the model store under
 * BENTOC_HOME. A ref resolves once per process, so `latest` cannot change under a running
 * server when a newer version is imported.
 */
export function createModelResolver(home: () => string = () => bentocHome()): ModelResolver {
  const resolved = new Map<string, ResolvedModel>();
  return (ref) => {
    const key = JSON.stringify(ref);
    let found = resolved.get(key);
    if (found === undefined) {
      found = describe(findStored(new ModelStore(home()), ref));
      resolved.set(key, found);
    }
    return found;
  };
}

function findStored(store: ModelStore, ref: ModelRefData): StoredModel {
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

function describe(model: StoredModel): ResolvedModel {
  return Object.freeze({
    tag: model.tag,
    path: model.path,
    files: Object.freeze(model.info.files.map((file) => file.path)),
    labels: Object.freeze({ ...model.info.labels }),
    metadata: Object.freeze({ ...model.info.metadata }),
  });
}

/** Lets `ModelRef.resolve()` and `.path` in service code reach the model store. */
export function registerModelResolver(resolver: ModelResolver = createModelResolver()): void {
  (globalThis as Record<symbol, unknown>)[MODEL_RESOLVER_SLOT] = resolver;
}

registerModelResolver();

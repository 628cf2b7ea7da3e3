import { MODEL_RESOLVER_SLOT, type ModelResolver, type ResolvedModel } from "../sdk/model.js";
import { bentocHome } from "../store/home.js";
import { findStoredModel } from "../store/model-refs.js";
import { ModelStore, type StoredModel } from "../store/model-store.js";

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
      found = describe(findStoredModel(new ModelStore(home()), ref));
      resolved.set(key, found);
    }
    return found;
  };
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

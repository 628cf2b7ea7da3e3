/** What a model reference points at once resolved in the model store. */
export interface ResolvedModel {
  /** `name:version` actually used (`latest` resolved). */
  readonly tag: string;
  /** Directory holding the model's files: load `path.join(resolved.path, "model.onnx")`. */
  readonly path: string;
  /** The model's files, relative to `path`, "/"-separated. */
  readonly files: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  readonly metadata: Readonly<Record<string, unknown>>;
}

interface Resolvable {
  /**
   * Finds the model in the model store (`$BENTOC_HOME`, default `~/.bentoc`). Works in a
   * process that has loaded the bentoc runtime (any bentoc server); throws a clear error
   * when the model is not stored. Within one process a ref always resolves to the same version.
   */
  resolve(): ResolvedModel;
  /** `resolve().path`: the directory of the model's files. */
  readonly path: string;
}

/** A reference to a model in the model store, e.g. `model("iris:latest")`. */
export interface ModelRef extends Resolvable {
  readonly kind: "store";
  readonly tag: string;
}

/** A model on the Hugging Face Hub, pulled into the model store by `bentoc models pull`. */
export interface HuggingFaceRef extends Resolvable {
  readonly kind: "huggingface";
  readonly modelId: string;
  readonly revision: string;
  readonly include?: readonly string[];
  readonly exclude?: readonly string[];
}

/** The data of a ref, as the runtime's resolver receives it. */
export type ModelRefData = Omit<ModelRef, keyof Resolvable> | Omit<HuggingFaceRef, keyof Resolvable>;

/**
 * The runtime registers its resolver here. The sdk imports nothing of bentoc's own, so a
 * well-known global symbol joins the two (and survives the sdk being loaded twice).
 */
export const MODEL_RESOLVER_SLOT: unique symbol = Symbol.for("bentoc.modelResolver");

export type ModelResolver = (ref: ModelRefData) => ResolvedModel;

const TAG_PATTERN = /^[a-z0-9]([a-z0-9._-]{0,62}[a-z0-9])?(:[A-Za-z0-9_][A-Za-z0-9._-]{0,127})?$/;

export function model(tag: string): ModelRef {
  if (!TAG_PATTERN.test(tag)) {
    throw new TypeError(`model(${JSON.stringify(tag)}): a tag is "name" or "name:version", lower-case name of letters, digits, ".", "_", "-"`);
  }
  return resolvable({ kind: "store", tag: tag.includes(":") ? tag : `${tag}:latest` });
}

export function huggingface(
  modelId: string,
  options: { revision?: string; include?: readonly string[]; exclude?: readonly string[] } = {},
): HuggingFaceRef {
  return resolvable({ kind: "huggingface", modelId, revision: options.revision ?? "main", include: options.include, exclude: options.exclude });
}

/** Adds `resolve()` and `path` as non-enumerable members, so the ref's data stays a plain record. */
function resolvable<T extends ModelRefData>(data: T): T & Resolvable {
  const resolve = (): ResolvedModel => {
    const resolver = (globalThis as Record<symbol, unknown>)[MODEL_RESOLVER_SLOT] as ModelResolver | undefined;
    if (typeof resolver !== "function") {
      throw new Error(`${describeRef(data)} can only be resolved where the bentoc runtime is loaded (a bentoc server, or import "bentoc/runtime")`);
    }
    return resolver(data);
  };
  Object.defineProperties(data, {
    resolve: { value: resolve, enumerable: false },
    path: { get: () => resolve().path, enumerable: false },
  });
  return Object.freeze(data) as T & Resolvable;
}

function describeRef(ref: ModelRefData): string {
  return ref.kind === "store" ? `model(${JSON.stringify(ref.tag)})` : `huggingface(${JSON.stringify(ref.modelId)})`;
}

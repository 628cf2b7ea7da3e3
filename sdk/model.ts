/** A reference to a model in the model store, e.g. `model("iris:latest")`. */
export interface ModelRef {
  readonly kind: "store";
  readonly tag: string;
}

/** A model on the Hugging Face Hub, pulled into the model store by `bentoc models pull`. */
export interface HuggingFaceRef {
  readonly kind: "huggingface";
  readonly modelId: string;
  readonly revision: string;
  readonly include?: readonly string[];
  readonly exclude?: readonly string[];
}

const TAG_PATTERN = /^[a-z0-9]([a-z0-9._-]{0,62}[a-z0-9])?(:[A-Za-z0-9_][A-Za-z0-9._-]{0,127})?$/;

export function model(tag: string): ModelRef {
  if (!TAG_PATTERN.test(tag)) {
    throw new TypeError(`model(${JSON.stringify(tag)}): a tag is "name" or "name:version", lower-case name of letters, digits, ".", "_", "-"`);
  }
  return Object.freeze({ kind: "store", tag: tag.includes(":") ? tag : `${tag}:latest` });
}

export function huggingface(
  modelId: string,
  options: { revision?: string; include?: readonly string[]; exclude?: readonly string[] } = {},
): HuggingFaceRef {
  return Object.freeze({ kind: "huggingface", modelId, revision: options.revision ?? "main", include: options.include, exclude: options.exclude });
}

import ts = require("typescript");
import { HUGGINGFACE_ID_PATTERN, MODEL_TAG_PATTERN } from "../manifest/manifest-schema.js";
import type { ModelManifest } from "../manifest/types.js";
import type { CompileContext } from "./compile-context.js";

const MODEL_TAG = new RegExp(MODEL_TAG_PATTERN);
const HUGGINGFACE_ID = new RegExp(HUGGINGFACE_ID_PATTERN);

/** `model("iris:latest")` and `huggingface("org/name", {...})` calls in a service class's field initialisers and constructor. */
export function modelsOf(declaration: ts.ClassDeclaration, context: CompileContext): ModelManifest[] {
  const models: ModelManifest[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const kind = context.sdk.sdkName(context.checker.getSymbolAtLocation(node.expression));
      if (kind === "model" || kind === "huggingface") {
        const model = modelOf(node, kind, context);
        if (model && !models.some((known) => known.tag === model.tag)) models.push(model);
      }
    }
    ts.forEachChild(node, visit);
  };
  for (const member of declaration.members) {
    if (ts.isConstructorDeclaration(member) && member.body) visit(member.body); // `this.iris = model(…)`
    if (!ts.isPropertyDeclaration(member) || !member.initializer) continue;
    visit(member.initializer);
    // `iris = IRIS` where `const IRIS = model("iris:v1")` sits at module level.
    const held = context.evaluator.unwrap(member.initializer);
    if (held !== member.initializer) visit(held);
  }
  return models;
}

function modelOf(call: ts.CallExpression, kind: "model" | "huggingface", context: CompileContext): ModelManifest | undefined {
  const [first, second] = call.arguments;
  const what = `${kind}(…)`;
  const id = first ? context.evaluator.evaluate(first) : undefined;
  if (!id?.ok || typeof id.value !== "string") {
    context.sink.report("BTC1011", first ?? call, what, "the first argument must be a string literal or constant, so bentoc can package the model.");
    return undefined;
  }
  if (kind === "model") {
    if (!MODEL_TAG.test(id.value)) {
      context.sink.report("BTC1011", first!, JSON.stringify(id.value), "a tag is 'name' or 'name:version', with a lower-case name of letters, digits, '.', '_' and '-'.");
      return undefined;
    }
    return { tag: id.value.includes(":") ? id.value : `${id.value}:latest`, source: "store" };
  }
  if (!HUGGINGFACE_ID.test(id.value)) {
    context.sink.report("BTC1011", first!, JSON.stringify(id.value), "a Hugging Face model id looks like 'org/name'.");
    return undefined;
  }
  const options = second ? context.evaluator.evaluate(second) : { ok: true as const, value: {} };
  if (!options.ok || typeof options.value !== "object" || options.value === null) {
    context.sink.report("BTC1011", second ?? call, what, "the options must be an object literal bentoc can read at compile time.");
    return undefined;
  }
  const { revision, include, exclude } = options.value as { revision?: string; include?: string[]; exclude?: string[] };
  const model: ModelManifest = { tag: id.value, source: "huggingface", revision: revision ?? "main" };
  if (include) model.include = [...include];
  if (exclude) model.exclude = [...exclude];
  return model;
}

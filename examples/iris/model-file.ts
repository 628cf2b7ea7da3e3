import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Names the model file explicitly (a bento in a container, a model kept elsewhere). */
export const MODEL_ENV = "IRIS_MODEL";
const RELATIVE = join("model", "iris.onnx");
// `bentoc serve` bundles this module into <service dir>/.bentoc/serve/server.mjs: two levels down.
const LEVELS_UP = 3;

/**
 * The model file: $IRIS_MODEL when set, else `model/iris.onnx` in the first folder at or up to
 * two levels above this module — the service's own folder, whether this module runs from
 * source or from the bundle `bentoc serve` writes. Throws a message that names both ways.
 */
export function irisModelFile(env: NodeJS.ProcessEnv = process.env, moduleUrl: string = import.meta.url): string {
  const named = env[MODEL_ENV];
  if (named) {
    if (!existsSync(named)) throw new Error(`${MODEL_ENV}=${named}: no such file`);
    return resolve(named);
  }
  const tried: string[] = [];
  let dir = dirname(fileURLToPath(moduleUrl));
  for (let level = 0; level < LEVELS_UP; level++) {
    const candidate = join(dir, RELATIVE);
    if (existsSync(candidate)) return candidate;
    tried.push(candidate);
    dir = dirname(dir);
  }
  throw new Error(`the Iris model was not found (tried ${tried.join(", ")}); set ${MODEL_ENV} to its path, or build it: npm run build && node dist/examples/iris/model/build-model.js`);
}

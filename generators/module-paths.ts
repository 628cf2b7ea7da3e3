import { posix } from "node:path";

/** The file TypeScript emits for a source file, as an import names it: service.ts → service.js, .mts → .mjs, .cts → .cjs. */
export function emittedName(file: string): string {
  return file.replace(/\.(m|c)?tsx?$/, (extension) => ({ ".mts": ".mjs", ".cts": ".cjs" })[extension] ?? ".js");
}

/**
 * The import specifier of `module` (a path relative to the compiled file's folder, as the
 * manifest has it), from a file that imports the compiled file as `entrySpecifier`.
 */
export function specifierFrom(entrySpecifier: string, module: string): string {
  const joined = posix.normalize(posix.join(posix.dirname(entrySpecifier), emittedName(module)));
  return joined.startsWith(".") ? joined : `./${joined}`;
}

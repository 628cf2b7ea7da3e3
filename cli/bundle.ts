import fs from "node:fs";
import path from "node:path";
import { build, type BuildOptions } from "esbuild";
import { emittedName } from "../generators/module-paths.js";
import { generateServer } from "../generators/server/index.js";
import type { BentoManifest } from "../manifest/types.js";
import { writeFilesAtomically } from "./write-files.js";

/** Where `bentoc serve` keeps the generated server, beside the service so its packages resolve. */
export function serveDirectory(serviceFile: string): string {
  return path.join(path.dirname(path.resolve(serviceFile)), ".bentoc", "serve");
}

/** esbuild options every bundle of a generated server shares. */
export const SERVER_BUILD_OPTIONS = {
  outExtension: { ".js": ".mjs" },
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  logLevel: "silent",
  // Standard (TC39) decorators, as the compiler type-checked them.
  tsconfigRaw: { compilerOptions: { experimentalDecorators: false, useDefineForClassFields: true } },
} as const satisfies BuildOptions;

/** The generated `server.ts` and `main.ts` for a server placed in `outDir`, importing the service from where it is. */
export function generatedServerFiles(manifest: BentoManifest, serviceFile: string, outDir: string): Map<string, string> {
  const absoluteService = path.resolve(serviceFile);
  // The import names the emitted file, as TypeScript wants: service.mts → service.mjs, and so on.
  let serviceModule = emittedName(path.relative(outDir, absoluteService).split(path.sep).join("/"));
  if (!serviceModule.startsWith(".")) serviceModule = `./${serviceModule}`;
  return generateServer(manifest, { serviceModule });
}

/**
 * Generates the server for a compiled service and bundles it with esbuild into ESM files:
 * `main.mjs` starts the server, `server.mjs` exports `createServer` (for embedding and tests).
 * The service and its local modules are inside; packages (native ones included) are left to Node.
 * Returns the path of `main.mjs`.
 */
export async function bundleServer(manifest: BentoManifest, serviceFile: string, outDir: string): Promise<string> {
  return (await bundleServerWithInputs(manifest, serviceFile, outDir)).main;
}

/** `bundleServer`, also naming the source files bundled in (absolute paths): what `--reload` watches. */
export async function bundleServerWithInputs(manifest: BentoManifest, serviceFile: string, outDir: string): Promise<{ main: string; inputs: string[] }> {
  const generated = writeFilesAtomically(outDir, generatedServerFiles(manifest, serviceFile, outDir));
  const result = await build({
    ...SERVER_BUILD_OPTIONS,
    entryPoints: [path.join(outDir, "main.ts"), path.join(outDir, "server.ts")],
    outdir: outDir,
    packages: "external",
    sourcemap: true,
    metafile: true,
  });
  // Metafile paths are relative to esbuild's working directory (process.cwd()).
  const inputs = Object.keys(result.metafile.inputs)
    .map((input) => path.resolve(input))
    .filter((input) => !generated.includes(input) && fs.existsSync(input));
  return { main: path.join(outDir, "main.mjs"), inputs };
}

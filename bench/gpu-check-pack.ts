// `node dist/bench/gpu-check-pack.js <folder>`: packs the GPU check (bench/gpu-check.ts) to
// run on a GPU machine that has Node but not this repo's packages: every probe bento is
// compiled here and bundled with its packages into one main.mjs, and the check itself into
// check.mjs. There: `node <folder>/check.mjs <folder>`.
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { readFile } from "node:fs/promises";
import { build, type Plugin } from "esbuild";
import { SERVER_BUILD_OPTIONS, generatedServerFiles } from "../cli/bundle.js";
import { formatDiagnostics } from "../cli/code-frame.js";
import { writeFilesAtomically } from "../cli/write-files.js";
import { compileService } from "../compiler/index.js";
import { SWAGGER_FILES } from "../runtime/operational.js";
import { PROBE_BENTOS, probeServiceSource } from "./gpu-probe.js";
import { BenchFailure } from "./server-process.js";
import { findRepoRoot } from "./setup.js";

// Bundled CommonJS packages call require() for Node's built-ins, which ESM lacks.
const REQUIRE_BANNER = `import { createRequire as bentocCreateRequire } from "node:module"; const require = bentocCreateRequire(import.meta.url);`;

// The runtime loads some packages through its own createRequire(), which esbuild cannot follow;
// with that line gone, its require() calls are the bundler's and the packages go in the bundle.
const OWN_REQUIRE = /^const require = createRequire\(import\.meta\.url\);$/m;
const bundleRuntimeRequires: Plugin = {
  name: "bundle-runtime-requires",
  setup(plugins) {
    plugins.onLoad({ filter: /[\\/]dist[\\/]runtime[\\/].*\.js$/ }, async (args) => ({ contents: (await readFile(args.path, "utf8")).replace(OWN_REQUIRE, ""), loader: "js" }));
  },
};

async function bundleWithPackages(entry: string, outfile: string): Promise<void> {
  await build({ ...SERVER_BUILD_OPTIONS, entryPoints: [entry], outfile, banner: { js: REQUIRE_BANNER }, plugins: [bundleRuntimeRequires] });
}

/** The Swagger UI files the server reads from disk at start, where the bundles' require() finds them. */
function copySwaggerUi(out: string): void {
  const from = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
  const to = join(out, "node_modules", "swagger-ui-dist");
  mkdirSync(to, { recursive: true });
  for (const file of ["package.json", ...Object.keys(SWAGGER_FILES)]) copyFileSync(join(from, file), join(to, file));
}

async function packProbe(name: string, source: string, scratch: string, out: string): Promise<void> {
  const folder = join(scratch, name);
  mkdirSync(folder, { recursive: true });
  const serviceFile = join(folder, "service.ts");
  writeFileSync(serviceFile, source);
  const { manifest, diagnostics } = compileService(serviceFile);
  if (!manifest) throw new BenchFailure(`the ${name} probe does not compile:\n${formatDiagnostics(diagnostics, { color: false, cwd: folder })}`);
  writeFilesAtomically(folder, generatedServerFiles(manifest, serviceFile, folder));
  await bundleWithPackages(join(folder, "main.ts"), join(out, name, "main.mjs"));
}

async function main(): Promise<void> {
  const target = process.argv[2];
  if (!target) throw new BenchFailure("usage: node dist/bench/gpu-check-pack.js <folder>");
  const out = resolve(target);
  const root = findRepoRoot();
  // Inside the package, so the probe's `import "bentoc"` resolves to dist/.
  const scratch = join(root, `.bentoc-tmp-gpu-check-${process.pid}`);
  try {
    // Replaces an earlier pack, and nothing else.
    if (existsSync(out) && readdirSync(out).length > 0 && !existsSync(join(out, "check.mjs"))) {
      throw new BenchFailure(`${out} exists and is not a packed GPU check: choose a new folder`);
    }
    rmSync(out, { recursive: true, force: true });
    for (const bento of PROBE_BENTOS) await packProbe(bento.name, probeServiceSource(bento), scratch, out);
    await bundleWithPackages(join(dirname(fileURLToPath(import.meta.url)), "gpu-check.js"), join(out, "check.mjs"));
    copySwaggerUi(out);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  console.log(`packed the GPU check into ${out}; on the GPU machine: node ${join(out, "check.mjs")} ${out}`);
}

try {
  await main();
} catch (error) {
  console.error(error instanceof BenchFailure ? `gpu-check-pack failed: ${error.message}` : error);
  process.exitCode = 1;
}

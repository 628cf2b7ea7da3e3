import fs from "node:fs";
import { createRequire, isBuiltin } from "node:module";
import path from "node:path";
import { build, type Plugin } from "esbuild";
import type { BentoManifest } from "../../manifest/types.js";
import { SERVER_BUILD_OPTIONS, generatedServerFiles } from "../bundle.js";
import { CliError } from "../errors.js";
import { declaredDependencies, isNativePackage, packageNameOf, packageOfFile, type InstalledPackage } from "./packages.js";

/** The bundle of a bento: `main.mjs` and its source map, and the packages it needs from node_modules at run time. */
export interface BentoBundle {
  /** File name (in the bento's `src/`) → contents. */
  files: Map<string, Uint8Array>;
  /** Sorted by name; each is installed from the lockfile beside the bundle. */
  runtimePackages: InstalledPackage[];
  /** Package names kept out of the bundle; pass them to the next bundle of the same service to skip rediscovery. */
  externalNames: Set<string>;
}

// Bundled modules that used `createRequire(import.meta.url)` call this module-wide `require`.
const BANNER = `import { createRequire as __bentocCreateRequire } from "node:module";\nconst require = __bentocCreateRequire(import.meta.url);`;

/** Passes at most: each can only add packages that read files beside themselves. */
const MAX_PASSES = 5;

/**
 * Bundles the generated server, the service, bentoc's runtime and every pure-JS dependency into
 * one `main.mjs`. Kept out, to be installed beside it: native packages (a `binding.gyp`,
 * `prebuilds/` or `.node` addon), packages that load files next to their own modules
 * (`__dirname`), packages the code reaches only by `require.resolve("pkg/…")` (assets such as
 * Swagger UI, or a module a worker thread loads), and packages the code names as strings among
 * its package's dependencies (a logger transport).
 *
 * The generated server is read from memory as if it were in `contextDir` (nothing is written to
 * the project, so concurrent builds cannot mix), and the output is laid out as if it sat there
 * too, as `src/main.mjs` sits beside the included project files in the bento: source-map paths
 * name files as the bento holds them, and the same sources give the same bytes wherever stored.
 */
export async function bundleBento(manifest: BentoManifest, serviceFile: string, contextDir: string, knownExternals: Iterable<string> = []): Promise<BentoBundle> {
  const generated: GeneratedServer = { dir: contextDir, files: generatedServerFiles(manifest, serviceFile, contextDir) };
  const externalNames = new Set(knownExternals);
  for (let pass = 1; ; pass++) {
    const attempt = await bundleOnce(generated, contextDir, externalNames);
    const added = [...attempt.readsBesideItself].filter((name) => !externalNames.has(name));
    if (added.length === 0) return { files: attempt.files, runtimePackages: attempt.runtimePackages, externalNames };
    if (pass === MAX_PASSES) throw new CliError(`bundling did not settle after ${MAX_PASSES} passes (still adding ${added.join(", ")})`);
    for (const name of added) externalNames.add(name);
  }
}

interface Attempt {
  files: Map<string, Uint8Array>;
  runtimePackages: InstalledPackage[];
  readsBesideItself: Set<string>;
}

async function bundleOnce(generated: GeneratedServer, outdir: string, externalNames: ReadonlySet<string>): Promise<Attempt> {
  const scan = new RuntimeScan();
  const result = await build({
    ...SERVER_BUILD_OPTIONS,
    entryPoints: [{ in: `${GENERATED}:main.ts`, out: "main" }],
    outdir,
    absWorkingDir: outdir,
    write: false,
    metafile: true,
    sourcemap: "linked",
    sourcesContent: false,
    banner: { js: BANNER },
    plugins: [generatedServerPlugin(generated), externalsPlugin(externalNames, scan)],
  }).catch((error: Error & { errors?: { text: string; location?: { file: string; line: number } | null }[] }) => {
    const first = error.errors?.[0];
    throw new CliError(first ? `bundling failed: ${first.location ? `${first.location.file}:${first.location.line}: ` : ""}${first.text}` : `bundling failed: ${error.message}`);
  });
  const bundled = new Set(Object.keys(result.metafile.inputs).flatMap((input) => packageOfFile(path.resolve(outdir, input))?.name ?? []));
  for (const [name, pkg] of scan.loadedByName) if (!bundled.has(name)) scan.addRuntime(pkg);
  const files = new Map(result.outputFiles.map((file) => [path.relative(outdir, file.path).split(path.sep).join("/"), file.contents]));
  return { files, runtimePackages: scan.runtimePackages(), readsBesideItself: scan.readsBesideItself };
}

/** What one bundling pass learns about the packages the bundle will need at run time. */
class RuntimeScan {
  readonly readsBesideItself = new Set<string>();
  /** Packages named in code as strings (resolved from the naming module): needed unless bundled anyway. */
  readonly loadedByName = new Map<string, InstalledPackage>();
  private readonly runtime = new Map<string, InstalledPackage>();

  addRuntime(pkg: InstalledPackage): void {
    const known = this.runtime.get(pkg.name);
    if (known && known.version !== pkg.version) {
      throw new CliError(`the bento would need two versions of ${pkg.name} at run time (${known.version} at ${known.dir} and ${pkg.version} at ${pkg.dir}); run \`npm dedupe\` so one version serves both`);
    }
    if (!known || pkg.dir < known.dir) this.runtime.set(pkg.name, pkg);
  }

  runtimePackages(): InstalledPackage[] {
    return [...this.runtime.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}

/** The generated `main.ts` and `server.ts`, and the folder their relative imports start from. */
interface GeneratedServer {
  dir: string;
  files: Map<string, string>;
}

const GENERATED = "bentoc-generated";

/** Serves the generated server from memory: `main.ts` (the entry) and the `./server.js` it imports. */
function generatedServerPlugin(generated: GeneratedServer): Plugin {
  return {
    name: "bentoc:generated-server",
    setup(build) {
      build.onResolve({ filter: new RegExp(`^${GENERATED}:main\\.ts$`) }, () => ({ path: "main.ts", namespace: GENERATED }));
      build.onResolve({ filter: /^\.\/server\.js$/, namespace: GENERATED }, () => ({ path: "server.ts", namespace: GENERATED }));
      build.onLoad({ filter: /.*/, namespace: GENERATED }, (args) => ({ contents: generated.files.get(args.path)!, loader: "ts", resolveDir: generated.dir }));
    },
  };
}

const SKIP = Symbol("bentoc:resolving");

function externalsPlugin(externalNames: ReadonlySet<string>, scan: RuntimeScan): Plugin {
  return {
    name: "bentoc:bento-externals",
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData === SKIP || isBuiltin(args.path)) return undefined;
        const resolved = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: SKIP });
        const pkg = resolved.errors.length === 0 ? packageOfFile(resolved.path) : undefined;
        if (!pkg || !(externalNames.has(pkg.name) || isNativePackage(pkg.dir))) return undefined;
        scan.addRuntime(pkg);
        return { path: args.path, external: true };
      });
      build.onLoad({ filter: /\.(m|c)?[jt]sx?$/ }, async (args) => {
        const text = await fs.promises.readFile(args.path, "utf8");
        const pkg = packageOfFile(args.path);
        if (pkg && /\b__(dirname|filename)\b/.test(text)) scan.readsBesideItself.add(pkg.name);
        for (const match of text.matchAll(/(?:\brequire|createRequire\(import\.meta\.url\))\.resolve\(\s*(["'])([^"'./][^"']*)\1\s*\)/g)) {
          const loaded = resolvePackage(match[2]!, args.path);
          if (loaded) scan.addRuntime(loaded);
        }
        // The service and bentoc's runtime may name a package only as a string (pino's transport target).
        if (!pkg || pkg.name === "bentoc") {
          for (const name of declaredDependencies(args.path)) {
            if (!text.includes(JSON.stringify(name))) continue;
            const loaded = resolvePackage(name, args.path);
            if (loaded) scan.loadedByName.set(name, loaded);
          }
        }
        return { contents: bundlableRequires(text), loader: loaderFor(args.path) };
      });
    },
  };
}

/**
 * ESM code that loads CommonJS with `createRequire(import.meta.url)` hides those requires from
 * esbuild; written as plain `require(…)` calls they are bundled, or kept external by the rules
 * above. The banner defines `require` for what stays external and for `require.resolve`.
 */
function bundlableRequires(text: string): string {
  if (!text.includes("createRequire(import.meta.url)")) return text;
  return text.replace(/^[ \t]*const require = createRequire\(import\.meta\.url\);?[ \t]*$/gm, "").replace(/createRequire\(import\.meta\.url\)\(/g, "require(");
}

function loaderFor(file: string): "js" | "jsx" | "ts" | "tsx" {
  const extension = path.extname(file);
  if (extension === ".tsx" || extension === ".jsx") return extension.slice(1) as "tsx" | "jsx";
  return /^\.(m|c)?ts$/.test(extension) ? "ts" : "js";
}

/** The installed package a specifier names, seen from a file; undefined when not installed (the code copes without it, as in development). */
function resolvePackage(specifier: string, fromFile: string): InstalledPackage | undefined {
  const require = createRequire(fromFile);
  // Its package.json first (a package with `exports` may not export it), else what the specifier resolves to.
  for (const candidate of [`${packageNameOf(specifier)}/package.json`, specifier]) {
    try {
      return packageOfFile(require.resolve(candidate));
    } catch {
      // try the next
    }
  }
  return undefined;
}

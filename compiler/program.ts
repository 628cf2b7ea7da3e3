import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts = require("typescript");
import type { DiagnosticSink } from "./reporter.js";

export interface ServiceProgram {
  program: ts.Program;
  checker: ts.TypeChecker;
  entry: ts.SourceFile;
  /** Folder of the SDK declarations the program resolved "bentoc" to. */
  sdkDir: string;
}

// Without a tsconfig, resolve like a bundler (esbuild bundles the service) with TC39 decorators.
const DEFAULT_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  strict: true,
  skipLibCheck: true,
  esModuleInterop: true,
  lib: ["lib.es2023.d.ts", "lib.dom.d.ts", "lib.dom.iterable.d.ts"],
};

/**
 * The SDK the running compiler understands: its own declarations, whichever copy of
 * "bentoc" the service's folder would otherwise find. Built packages have `.d.ts`
 * next to the compiler; running from source (tests) has the `.ts` files.
 */
function sdkEntry(): string {
  const sdkDir = fileURLToPath(new URL("../sdk/", import.meta.url));
  const declaration = path.join(sdkDir, "index.d.ts");
  return fs.existsSync(declaration) ? declaration : path.join(sdkDir, "index.ts");
}

function readCompilerOptions(entryPath: string, sink: DiagnosticSink): ts.CompilerOptions {
  const configPath = ts.findConfigFile(path.dirname(entryPath), (file) => ts.sys.fileExists(file), "tsconfig.json");
  if (!configPath) return { ...DEFAULT_OPTIONS };
  const parsed = ts.getParsedCommandLineOfConfigFile(configPath, { noEmit: true }, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => sink.addTypeScript(diagnostic),
  });
  if (!parsed) return { ...DEFAULT_OPTIONS };
  for (const diagnostic of parsed.errors) {
    // A tsconfig whose `include` misses the service file is fine: we compile the file itself.
    if (diagnostic.code !== 18003) sink.addTypeScript(diagnostic);
  }
  return parsed.options;
}

export function loadServiceProgram(entryPath: string, sink: DiagnosticSink): ServiceProgram {
  const sdk = sdkEntry();
  const options = readCompilerOptions(entryPath, sink);
  options.noEmit = true;
  options.paths = { ...options.paths, bentoc: [sdk] };
  const program = ts.createProgram({ rootNames: [entryPath], options, host: compilerHost(options) });
  const entry = program.getSourceFile(entryPath);
  if (!entry) throw new Error(`TypeScript did not load ${entryPath}`);
  return { program, checker: program.getTypeChecker(), entry, sdkDir: path.dirname(sdk) };
}

// JSDoc of the standard library and @types only matters for type errors (as in `tsc`);
// parsing all of it costs about a fifth of the compile. Everything else keeps its docs.
const LIBRARY_DECLARATIONS = /[\\/]node_modules[\\/](typescript[\\/]lib|@types)[\\/]/;

function compilerHost(options: ts.CompilerOptions): ts.CompilerHost {
  const host = ts.createCompilerHost(options, true);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersionOrOptions, onError, shouldCreateNewSourceFile) => {
    const sourceOptions = typeof languageVersionOrOptions === "object" ? languageVersionOrOptions : { languageVersion: languageVersionOrOptions };
    const jsDocParsingMode = LIBRARY_DECLARATIONS.test(fileName) ? ts.JSDocParsingMode.ParseForTypeErrors : ts.JSDocParsingMode.ParseAll;
    return getSourceFile(fileName, { ...sourceOptions, jsDocParsingMode }, onError, shouldCreateNewSourceFile);
  };
  return host;
}

/** The service author's own files: what tsc would report errors for. */
export function userSourceFiles(service: ServiceProgram): ts.SourceFile[] {
  return service.program.getSourceFiles().filter(
    (file) => !file.isDeclarationFile && !file.fileName.includes("/node_modules/") && !isInside(file.fileName, service.sdkDir),
  );
}

export function collectTypeScriptDiagnostics(service: ServiceProgram, sink: DiagnosticSink): void {
  const { program } = service;
  for (const diagnostic of program.getOptionsDiagnostics()) sink.addTypeScript(diagnostic);
  for (const diagnostic of program.getGlobalDiagnostics()) sink.addTypeScript(diagnostic);
  for (const file of userSourceFiles(service)) {
    for (const diagnostic of program.getSyntacticDiagnostics(file)) sink.addTypeScript(diagnostic);
    for (const diagnostic of program.getSemanticDiagnostics(file)) sink.addTypeScript(diagnostic);
  }
}

export function isInside(file: string, dir: string): boolean {
  const relative = path.relative(dir, file);
  return !relative.startsWith("..") && !path.isAbsolute(relative);
}

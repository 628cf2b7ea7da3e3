// Type-checks generated clients in memory with the TypeScript compiler API: one program for
// many clients, under settings stricter than most projects use, so a client compiles anywhere.
import path from "node:path";
import ts from "typescript";

/** Where the virtual files live; nothing is written there. */
export const VIRTUAL_ROOT = path.resolve("/virtual-bentoc-client");

/** The strictest settings a consumer might have: strict plus the opt-in checks, ESM, no emit. */
const STRICT_OPTIONS: ts.CompilerOptions = {
  strict: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  noImplicitOverride: true,
  noImplicitReturns: true,
  noFallthroughCasesInSwitch: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  noPropertyAccessFromIndexSignature: true,
  verbatimModuleSyntax: true,
  isolatedModules: true,
  erasableSyntaxOnly: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  skipLibCheck: true,
  noEmit: true,
};

/** A browser project (DOM typings, no Node), or a Node project (@types/node, no DOM). */
export const ENVIRONMENTS = {
  browser: { lib: ["lib.es2022.d.ts", "lib.dom.d.ts", "lib.dom.iterable.d.ts"], types: [] as string[] },
  node: { lib: ["lib.es2022.d.ts"], types: ["node"] },
} satisfies Record<string, { lib: string[]; types: string[] }>;

/**
 * Diagnostics of a program made of `files` (paths relative to the virtual root), formatted one
 * per line as `file:line:col TSxxxx message`; empty means it compiles.
 */
export function typeCheck(files: ReadonlyMap<string, string>, environment: keyof typeof ENVIRONMENTS): string[] {
  const options: ts.CompilerOptions = { ...STRICT_OPTIONS, ...ENVIRONMENTS[environment], typeRoots: [path.resolve("node_modules/@types")] };
  const virtual = new Map([...files].map(([name, text]) => [path.join(VIRTUAL_ROOT, name), text]));
  const host = ts.createCompilerHost(options, true);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (file) => virtual.get(path.resolve(file)) ?? readFile(file);
  host.fileExists = (file) => virtual.has(path.resolve(file)) || ts.sys.fileExists(file);
  host.directoryExists = (directory) => isInside(path.resolve(directory), VIRTUAL_ROOT) || ts.sys.directoryExists(directory);
  host.getSourceFile = (file, language, onError) => {
    const text = virtual.get(path.resolve(file));
    return text !== undefined ? ts.createSourceFile(file, text, language, true) : getSourceFile(file, language, onError);
  };
  const roots = [...virtual.keys()].filter((file) => file.endsWith(".ts"));
  const program = ts.createProgram(roots, options, host);
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
    if (!diagnostic.file || diagnostic.start === undefined) return `TS${diagnostic.code} ${message}`;
    const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    return `${path.relative(VIRTUAL_ROOT, diagnostic.file.fileName)}:${line + 1}:${character + 1} TS${diagnostic.code} ${message}`;
  });
}

function isInside(file: string, directory: string): boolean {
  const relative = path.relative(directory, file);
  return !relative.startsWith("..") && !path.isAbsolute(relative);
}

/** Files of a generated client placed under a folder of the virtual root. */
export function under(folder: string, files: ReadonlyMap<string, string>): [string, string][] {
  return [...files].map(([name, text]) => [`${folder}/${name}`, text]);
}

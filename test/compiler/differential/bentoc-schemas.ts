import fs from "node:fs";
import path from "node:path";
import { compileService, type Diagnostic } from "../../../compiler/index.js";
import type { JsonSchema } from "../../../manifest/types.js";
import { apiNameOf, CORPUS_DIR, corpusFiles, type RootType } from "./roots.js";

/** What bentoc made of one root type. */
export type BentocOutcome =
  | { kind: "schemas"; request: JsonSchema; requestRequired: boolean; response: JsonSchema; defs: Record<string, JsonSchema> }
  | { kind: "refused"; codes: string[]; messages: string[] }
  | { kind: "crash"; message: string };

/** Copies the corpus into `dir` and writes a service with one `@api()` per root type. */
export function writeDifferentialService(dir: string, roots: readonly RootType[]): string {
  fs.mkdirSync(path.join(dir, "corpus"), { recursive: true });
  for (const file of corpusFiles()) fs.copyFileSync(path.join(CORPUS_DIR, file), path.join(dir, "corpus", file));
  const lines = [
    'import { api, service } from "bentoc";',
    'import type * as C from "./corpus/index.js";',
    "",
    "@service()",
    "export class Differential {",
    // One method per line, so a diagnostic's line names its API.
    ...roots.map((root) => `  @api() async ${apiNameOf(root)}(value: C.${root.name}): Promise<C.${root.name}> { return value; }`),
    "}",
    "",
  ];
  const serviceFile = path.join(dir, "service.ts");
  fs.writeFileSync(serviceFile, lines.join("\n"));
  return serviceFile;
}

/**
 * Compiles the service once; a refused type fails the whole compile, so the APIs its
 * diagnostics point at are set aside and the rest compiled again, until it succeeds.
 */
export function compileRootTypes(dir: string, roots: readonly RootType[]): Map<string, BentocOutcome> {
  const outcomes = new Map<string, BentocOutcome>();
  compileSubset(dir, roots, outcomes);
  return outcomes;
}

function compileSubset(dir: string, roots: readonly RootType[], outcomes: Map<string, BentocOutcome>): void {
  if (roots.length === 0) return;
  const serviceFile = writeDifferentialService(dir, roots);
  let diagnostics: Diagnostic[];
  try {
    const result = compileService(serviceFile);
    if (result.manifest) {
      const service = result.manifest.services[0]!;
      for (const root of roots) {
        const api = service.apis.find((candidate) => candidate.name === apiNameOf(root))!;
        const properties = (api.input.schema.properties ?? {}) as Record<string, JsonSchema>;
        const required = (api.input.schema.required ?? []) as string[];
        outcomes.set(root.name, {
          kind: "schemas",
          // No `value` property: the parameter may only be absent.
          request: properties.value ?? false,
          requestRequired: required.includes("value"),
          response: api.output.schema,
          defs: result.manifest.$defs,
        });
      }
      return;
    }
    diagnostics = result.diagnostics.filter((diagnostic) => diagnostic.category === "error");
  } catch (error) {
    if (roots.length === 1) {
      outcomes.set(roots[0]!.name, { kind: "crash", message: error instanceof Error ? error.stack ?? error.message : String(error) });
      return;
    }
    return bisect(dir, roots, outcomes);
  }
  const blamed = blameRoots(diagnostics, roots, serviceFile);
  if (blamed.size === 0) {
    if (roots.length === 1) {
      outcomes.set(roots[0]!.name, refusal(diagnostics));
      return;
    }
    return bisect(dir, roots, outcomes);
  }
  for (const [name, found] of blamed) outcomes.set(name, refusal(found));
  compileSubset(dir, roots.filter((root) => !blamed.has(root.name)), outcomes);
}

function bisect(dir: string, roots: readonly RootType[], outcomes: Map<string, BentocOutcome>): void {
  const half = Math.ceil(roots.length / 2);
  compileSubset(dir, roots.slice(0, half), outcomes);
  compileSubset(dir, roots.slice(half), outcomes);
}

function refusal(diagnostics: readonly Diagnostic[]): BentocOutcome {
  return { kind: "refused", codes: [...new Set(diagnostics.map((d) => d.code))].sort(), messages: diagnostics.map((d) => d.message) };
}

/** Root types a diagnostic points into: its API's line in the service, or the root's own declaration. */
function blameRoots(diagnostics: readonly Diagnostic[], roots: readonly RootType[], serviceFile: string): Map<string, Diagnostic[]> {
  const blamed = new Map<string, Diagnostic[]>();
  const add = (root: RootType | undefined, diagnostic: Diagnostic) => {
    if (root) blamed.set(root.name, [...(blamed.get(root.name) ?? []), diagnostic]);
  };
  const firstApiLine = 6;
  for (const diagnostic of diagnostics) {
    if (!diagnostic.file || diagnostic.line === undefined) continue;
    if (path.resolve(diagnostic.file) === path.resolve(serviceFile)) {
      add(roots[diagnostic.line - firstApiLine], diagnostic);
    } else {
      const file = path.basename(diagnostic.file);
      const start = diagnostic.start ?? -1;
      add(roots.find((root) => root.file === file && root.start <= start && start < root.end), diagnostic);
    }
  }
  return blamed;
}

import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import type { JsonSchema } from "../../../manifest/types.js";
import type { Json } from "./values.js";

export interface OracleCase {
  typeName: string;
  value: Json;
}

const MISSING_PROPERTIES = new Set([2739, 2741]);
// Weak type detection ("no properties in common" with an all-optional type) is a check on
// assignments, not on values: `{}` is a valid Partial<T>, and objects are open.
const WEAK_TYPE = 2559;
const ADMITS_UNDEFINED = ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.Undefined | ts.TypeFlags.Void;

/**
 * Asks the TypeScript checker whether each value, written as a literal, is assignable to its
 * type: one file, one `const` per value, type-checked once. Returns the cases it refuses.
 */
export function casesTheCheckerRefuses(dir: string, cases: readonly OracleCase[]): { case: OracleCase; message: string }[] {
  // `wire` keeps literal types but makes the value non-fresh, as a parsed request body is.
  const header = [
    'import type * as C from "./corpus/index.js";',
    "type Json = null | boolean | number | string | Json[] | { [key: string]: Json };",
    "declare function wire<const T extends Json>(value: T): T;",
  ];
  const lines = cases.map((entry, index) => `export const v${index}: C.${entry.typeName} = wire(${JSON.stringify(entry.value)});`);
  const file = path.join(dir, "oracle.ts");
  fs.writeFileSync(file, [...header, ...lines, ""].join("\n"));
  const program = ts.createProgram([file], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    lib: ["lib.es2023.d.ts", "lib.dom.d.ts"],
  });
  const source = program.getSourceFile(file)!;
  const checker = program.getTypeChecker();
  const refused = new Map<number, string>();
  for (const diagnostic of program.getSemanticDiagnostics(source)) {
    if (diagnostic.start === undefined || diagnostic.code === WEAK_TYPE) continue;
    const index = source.getLineAndCharacterOfPosition(diagnostic.start).line - header.length;
    if (MISSING_PROPERTIES.has(diagnostic.code) && cases[index] && absentMayBeUndefined(source, diagnostic.start, cases[index].value, checker)) continue;
    if (!refused.has(index)) refused.set(index, `TS${diagnostic.code}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, " ")}`);
  }
  return [...refused.entries()].filter(([index]) => cases[index]).map(([index, message]) => ({ case: cases[index]!, message }));
}

/**
 * "Property 'meta' is missing" where every missing property's type admits undefined: JSON
 * writes undefined as absence, so the method receives exactly what its type allows.
 */
function absentMayBeUndefined(source: ts.SourceFile, start: number, value: Json, checker: ts.TypeChecker): boolean {
  const declaration = source.statements
    .filter(ts.isVariableStatement)
    .flatMap((statement) => [...statement.declarationList.declarations])
    .find((candidate) => candidate.getStart() <= start && start < candidate.getEnd());
  if (!declaration || typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const target = checker.getTypeAtLocation(declaration.name);
  if (target.isUnion()) return false;
  const missing = checker.getPropertiesOfType(target).filter((property) => !(property.flags & ts.SymbolFlags.Optional) && !(property.getName() in value));
  return missing.length > 0 && missing.every((property) => {
    const type = checker.getTypeOfSymbolAtLocation(property, declaration);
    return (type.isUnion() ? type.types : [type]).some((member) => member.flags & ADMITS_UNDEFINED);
  });
}

/** bigint and Date arrive as strings and are revived by the runtime: the checker cannot judge the JSON text. */
export function needsRevival(schema: JsonSchema, defs: Record<string, JsonSchema>): boolean {
  const seen = new Set<string>();
  const visit = (node: unknown): boolean => {
    if (Array.isArray(node)) return node.some(visit);
    if (node === null || typeof node !== "object") return false;
    for (const [key, child] of Object.entries(node)) {
      if (key === "x-bentoc-type") return true;
      if (key === "$ref" && typeof child === "string") {
        const name = child.replace("#/$defs/", "");
        if (!seen.has(name)) {
          seen.add(name);
          if (visit(defs[name])) return true;
        }
      } else if (visit(child)) {
        return true;
      }
    }
    return false;
  };
  return visit(schema);
}

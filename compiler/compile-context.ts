import type ts from "typescript";
import type { ConstantEvaluator } from "./evaluate.js";
import type { DiagnosticSink } from "./reporter.js";
import type { SchemaBuilder } from "./schema/builder.js";
import type { SdkSymbols } from "./sdk-symbols.js";

/** What every step of one compile run shares. */
export interface CompileContext {
  checker: ts.TypeChecker;
  /** The file being compiled: its folder is where the manifest's module paths start. */
  entry: ts.SourceFile;
  sdk: SdkSymbols;
  sink: DiagnosticSink;
  evaluator: ConstantEvaluator;
  schemas: SchemaBuilder;
}

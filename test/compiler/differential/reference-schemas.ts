import path from "node:path";
import { createGenerator, type Config } from "ts-json-schema-generator";
import { CORPUS_DIR, type RootType } from "./roots.js";

export type ReferenceSchema = Record<string, unknown>;
export type ReferenceOutcome = { kind: "schema"; schema: ReferenceSchema } | { kind: "failed"; message: string };

/**
 * The options that make the reference describe TypeScript's own semantics: objects are
 * open (structural typing allows extra properties), every declaration reachable is a
 * definition (so recursion ends), JSDoc keywords are read as bentoc reads them.
 */
export const REFERENCE_CONFIG: Config = {
  path: path.join(CORPUS_DIR, "*.ts"),
  expose: "export",
  topRef: true,
  jsDoc: "extended",
  additionalProperties: true,
  skipTypeCheck: true,
  sortProps: false,
  strictTuples: false,
  encodeRefs: false,
  functions: "fail",
  discriminatorType: "json-schema",
};

/** One program for the whole corpus, one schema per root type (a failure costs only its type). */
export function referenceSchemas(roots: readonly RootType[]): Map<string, ReferenceOutcome> {
  const generator = createGenerator(REFERENCE_CONFIG);
  const outcomes = new Map<string, ReferenceOutcome>();
  for (const root of roots) {
    try {
      outcomes.set(root.name, { kind: "schema", schema: generator.createSchema(root.name) as ReferenceSchema });
    } catch (error) {
      outcomes.set(root.name, { kind: "failed", message: error instanceof Error ? error.message.split("\n")[0]! : String(error) });
    }
  }
  return outcomes;
}

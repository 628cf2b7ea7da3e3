import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

export const CORPUS_DIR = fileURLToPath(new URL("./corpus/", import.meta.url));

/** One exported, non-generic type of the corpus: each becomes one API of the generated service. */
export interface RootType {
  name: string;
  /** Corpus file name, e.g. `unions.ts`. */
  file: string;
  start: number;
  end: number;
}

/** The corpus's root types in file order; index.ts only re-exports and adds none. */
export function corpusRootTypes(): RootType[] {
  const roots: RootType[] = [];
  for (const file of corpusFiles().filter((name) => name !== "index.ts")) {
    const text = fs.readFileSync(path.join(CORPUS_DIR, file), "utf8");
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
    for (const statement of source.statements) {
      if (!isExportedTypeDeclaration(statement)) continue;
      roots.push({ name: statement.name.text, file, start: statement.getStart(source), end: statement.getEnd() });
    }
  }
  return roots;
}

export function corpusFiles(): string[] {
  return fs.readdirSync(CORPUS_DIR).filter((name) => name.endsWith(".ts")).sort();
}

type TypeDeclaration = ts.InterfaceDeclaration | ts.TypeAliasDeclaration | ts.ClassDeclaration | ts.EnumDeclaration;

function isExportedTypeDeclaration(statement: ts.Statement): statement is TypeDeclaration & { name: ts.Identifier } {
  const isType = ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement);
  if (!isType || !statement.name) return false;
  const exported = ts.getModifiers(statement)?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword) ?? false;
  const generic = !ts.isEnumDeclaration(statement) && (statement.typeParameters?.length ?? 0) > 0;
  return exported && !generic;
}

/** The API that carries a root type through the generated service. */
export function apiNameOf(root: RootType): string {
  return `t_${root.name}`;
}

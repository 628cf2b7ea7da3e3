import ts = require("typescript");
import { DIAGNOSTICS, formatMessage, type Diagnostic, type DiagnosticCode } from "./diagnostics.js";

/** Collects every diagnostic of one compile run, so all are reported at once. */
export class DiagnosticSink {
  readonly diagnostics: Diagnostic[] = [];
  private readonly seen = new Set<string>();

  report(code: DiagnosticCode, node: ts.Node | undefined, ...args: (string | number)[]): void {
    const diagnostic: Diagnostic = { code, category: DIAGNOSTICS[code].category, message: formatMessage(code, args) };
    if (node) Object.assign(diagnostic, locationOf(node.getSourceFile(), node.getStart(), node.getWidth()));
    this.add(diagnostic);
  }

  /** A problem of the file as a whole, placed at its start. */
  reportInFile(code: DiagnosticCode, file: ts.SourceFile, ...args: (string | number)[]): void {
    this.add({ code, category: DIAGNOSTICS[code].category, message: formatMessage(code, args), ...locationOf(file, 0, 0) });
  }

  addTypeScript(diagnostic: ts.Diagnostic): void {
    const entry: Diagnostic = {
      code: `TS${diagnostic.code}`,
      category: diagnostic.category === ts.DiagnosticCategory.Error ? "error" : "warning",
      message: ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"),
    };
    if (diagnostic.file && diagnostic.start !== undefined) {
      Object.assign(entry, locationOf(diagnostic.file, diagnostic.start, diagnostic.length ?? 0));
    }
    this.add(entry);
  }

  // A shared named type is mapped once, but guard against the same finding twice anyway.
  private add(diagnostic: Diagnostic): void {
    const key = `${diagnostic.code}:${diagnostic.file}:${diagnostic.start}:${diagnostic.message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.diagnostics.push(diagnostic);
  }
}

function locationOf(file: ts.SourceFile, start: number, length: number): Partial<Diagnostic> {
  const position = file.getLineAndCharacterOfPosition(start);
  return { file: file.fileName, line: position.line + 1, column: position.character + 1, start, length };
}

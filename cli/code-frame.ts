import fs from "node:fs";
import path from "node:path";
import { styleText } from "node:util";
import type { Diagnostic } from "../compiler/diagnostics.js";

type Style = Parameters<typeof styleText>[0];

/** Prints diagnostics the way `tsc --pretty` does: location, code, message, and the line with a squiggle. */
export function formatDiagnostics(diagnostics: readonly Diagnostic[], options: { color: boolean; cwd: string }): string {
  if (diagnostics.length === 0) return "";
  const paint = (style: Style, text: string) => (options.color ? styleText(style, text) : text);
  const sources = new Map<string, string[]>();
  const linesOf = (file: string) => {
    if (!sources.has(file)) sources.set(file, fs.existsSync(file) ? fs.readFileSync(file, "utf8").split(/\r?\n/) : []);
    return sources.get(file)!;
  };
  const blocks = diagnostics.map((diagnostic) => {
    const label = diagnostic.category === "error" ? paint("red", "error") : paint("yellow", "warning");
    const header = `${label} ${paint("gray", diagnostic.code)}: ${diagnostic.message}`;
    if (!diagnostic.file || diagnostic.line === undefined || diagnostic.column === undefined) return header;
    const location = `${paint("cyan", path.relative(options.cwd, diagnostic.file))}:${paint("yellow", String(diagnostic.line))}:${paint("yellow", String(diagnostic.column))}`;
    const frame = codeFrame(linesOf(diagnostic.file), diagnostic, paint);
    return `${location} - ${header}${frame ? `\n\n${frame}` : ""}`;
  });
  const errors = diagnostics.filter((d) => d.category === "error").length;
  const summary = errors > 0 ? `\nFound ${errors} error${errors === 1 ? "" : "s"}.` : "";
  return `${blocks.join("\n\n")}\n${summary}\n`;
}

function codeFrame(lines: string[], diagnostic: Diagnostic, paint: (style: Style, text: string) => string): string {
  const text = lines[diagnostic.line! - 1];
  if (text === undefined) return "";
  const gutter = String(diagnostic.line);
  const start = diagnostic.column! - 1;
  const width = Math.max(1, Math.min(diagnostic.length ?? 1, text.length - start));
  const squiggle = " ".repeat(start) + "~".repeat(width);
  return `${paint("inverse", gutter)} ${text}\n${paint("inverse", " ".repeat(gutter.length))} ${paint("red", squiggle)}`;
}

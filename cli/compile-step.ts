import fs from "node:fs";
import path from "node:path";
import { compileService, type Diagnostic } from "../compiler/index.js";
import type { BentoManifest } from "../manifest/types.js";
import { formatDiagnostics } from "./code-frame.js";
import { CliError } from "./errors.js";

export interface CompileFlags {
  json: boolean;
  service?: string;
}

/** Compiles the service for a command, printing diagnostics; the manifest, or undefined on errors. */
export function compileForCommand(serviceFile: string, flags: CompileFlags): { manifest?: BentoManifest; diagnostics: Diagnostic[] } {
  const absolute = path.resolve(serviceFile);
  if (!fs.existsSync(absolute)) throw new CliError(`cannot find service file '${serviceFile}'`);
  if (!fs.statSync(absolute).isFile()) throw new CliError(`'${serviceFile}' is a directory; give the path of the service's .ts file`);
  if (!/\.(c|m)?tsx?$/.test(absolute)) throw new CliError(`'${serviceFile}' is not a TypeScript file (.ts, .mts, .cts, .tsx)`);
  const result = compileService(absolute, flags.service ? { service: flags.service } : {});
  if (!flags.json && result.diagnostics.length > 0) {
    process.stderr.write(formatDiagnostics(result.diagnostics, { color: !!process.stderr.isTTY && !process.env.NO_COLOR, cwd: process.cwd() }));
  }
  return result;
}

import fs from "node:fs";
import path from "node:path";
import type { Argv } from "yargs";
import { compileService, type Diagnostic } from "../compiler/index.js";
import type { BentoManifest } from "../manifest/types.js";
import { formatDiagnostics } from "./code-frame.js";
import { CliError } from "./errors.js";
import { DEPENDENCY_TYPES_HEADER, dependencyTypesFileName, generateDependencyTypes } from "../generators/dependency-types/index.js";
import { writeFilesAtomically } from "./write-files.js";

/** Flags of every command that compiles a service file first. */
export interface ServiceArgs {
  service: string;
  json: boolean;
  entry?: string;
}

export function withServiceArgs(yargs: Argv, jsonDescription: string): Argv<ServiceArgs> {
  return yargs
    .positional("service", { type: "string", demandOption: true, describe: "The service's .ts file" })
    .option("json", { type: "boolean", default: false, describe: jsonDescription })
    .option("entry", { type: "string", describe: "Entry service (class or service name) when the file has several" }) as Argv<ServiceArgs>;
}

/**
 * Compiles the service for a command. Diagnostics go to stderr like tsc's (with `--json`, the
 * failure report goes to stdout); on errors the exit code is set and undefined comes back.
 */
export function compileForCommand(args: ServiceArgs): { manifest: BentoManifest; diagnostics: Diagnostic[] } | undefined {
  const absolute = path.resolve(args.service);
  if (!fs.existsSync(absolute)) throw new CliError(`cannot find service file '${args.service}'`);
  if (!fs.statSync(absolute).isFile()) throw new CliError(`'${args.service}' is a directory; give the path of the service's .ts file`);
  if (!/\.(c|m)?tsx?$/.test(absolute)) throw new CliError(`'${args.service}' is not a TypeScript file (.ts, .mts, .cts, .tsx)`);
  const { manifest, diagnostics } = compileService(absolute, args.entry ? { service: args.entry } : {});
  if (!args.json && diagnostics.length > 0) {
    process.stderr.write(formatDiagnostics(diagnostics, { color: !!process.stderr.isTTY && !process.env.NO_COLOR, cwd: process.cwd() }));
  }
  if (manifest) {
    writeDependencyTypes(manifest, absolute);
    return { manifest, diagnostics };
  }
  if (args.json) process.stdout.write(`${JSON.stringify({ ok: false, diagnostics }, null, 2)}\n`);
  process.exitCode = 1;
  return undefined;
}

/**
 * Writes `<service>.bentoc.d.ts` beside the service file when its services depend on each other
 * (the named arguments of the depends() handles, for the project's type checking), and removes
 * the one bentoc wrote before when they no longer do.
 */
function writeDependencyTypes(manifest: BentoManifest, serviceFile: string): void {
  const generated = generateDependencyTypes(manifest, serviceFile);
  const dir = path.dirname(serviceFile);
  if (generated.size > 0) {
    writeFilesAtomically(dir, generated);
    return;
  }
  const stale = path.join(dir, dependencyTypesFileName(serviceFile));
  if (fs.existsSync(stale) && fs.readFileSync(stale, "utf8").startsWith(DEPENDENCY_TYPES_HEADER)) fs.rmSync(stale);
}

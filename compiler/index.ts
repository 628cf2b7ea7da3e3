import fs from "node:fs";
import path from "node:path";
import type { BentoManifest } from "../manifest/types.js";
import { assembleManifest } from "./assemble.js";
import { bentocVersion } from "./bentoc-version.js";
import type { CompileContext } from "./compile-context.js";
import { hasErrors, type Diagnostic } from "./diagnostics.js";
import { ConstantEvaluator } from "./evaluate.js";
import { collectTypeScriptDiagnostics, loadServiceProgram, userSourceFiles } from "./program.js";
import { DiagnosticSink } from "./reporter.js";
import { RouteTable } from "./routes.js";
import { SchemaBuilder } from "./schema/builder.js";
import { SdkSymbols } from "./sdk-symbols.js";
import { checkThrownStatuses } from "./declared-errors.js";
import { resolveDependencies, servicesElsewhere } from "./dependencies.js";
import { compileServiceClass, serviceClassesOf } from "./service.js";

export type { Diagnostic } from "./diagnostics.js";
export { DIAGNOSTICS, hasErrors } from "./diagnostics.js";

export interface CompileOptions {
  /** Which service is the entry when the file has several (class or service name); default the first. */
  service?: string;
  /** The manifest's creation time; default `SOURCE_DATE_EPOCH`, else the newest source file's mtime, so recompiling unchanged sources is byte-identical. */
  creationTime?: Date;
}

export interface CompileResult {
  /** Present only when there are no errors. */
  manifest?: BentoManifest;
  diagnostics: Diagnostic[];
}

/** Compiles a service file to its bento manifest, reporting every problem found in one run. */
export function compileService(entryPath: string, options: CompileOptions = {}): CompileResult {
  const sink = new DiagnosticSink();
  const program = loadServiceProgram(path.resolve(entryPath), sink);
  collectTypeScriptDiagnostics(program, sink);
  const sdk = new SdkSymbols(program.checker, program.sdkDir);
  const context: CompileContext = {
    checker: program.checker,
    sdk,
    sink,
    entry: program.entry,
    evaluator: new ConstantEvaluator(program.checker),
    schemas: new SchemaBuilder(program.checker, sdk, sink),
  };
  const routes = new RouteTable(sink);
  const classes = serviceClassesOf(program.entry, context);
  classes.push(...servicesElsewhere(classes, context));
  // A @service class that cannot be used has been reported already; "none found" would mislead.
  if (classes.length === 0 && !sink.diagnostics.some((d) => d.code === "BTC1002" || d.code === "BTC1014")) {
    sink.reportInFile("BTC1001", program.entry, path.basename(entryPath));
  }
  const services = classes.map((serviceClass) => compileServiceClass(serviceClass, context, routes));
  resolveDependencies(classes, services, context);
  routes.checkMounts();
  for (const file of new Set([program.entry, ...classes.map((serviceClass) => serviceClass.declaration.getSourceFile())])) checkThrownStatuses(file, context);
  const seen = new Set<string>();
  services.forEach((service, index) => {
    if (seen.has(service.manifest.name)) sink.report("BTC1013", classes[index]!.declaration.name, service.manifest.name);
    seen.add(service.manifest.name);
  });
  const entry = options.service
    ? services.find((service) => service.manifest.name === options.service || service.manifest.className === options.service)
    : services[0];
  if (options.service && !entry && services.length > 0) {
    sink.reportInFile("BTC1001", program.entry, `${path.basename(entryPath)} (no service named '${options.service}'; found ${services.map((s) => s.manifest.name).join(", ")})`);
  }
  const diagnostics = inSourceOrder(sink.diagnostics);
  if (hasErrors(diagnostics) || !entry) return { diagnostics };
  const { defs, resolveInputRefs } = context.schemas.finish();
  for (const api of services.flatMap((service) => service.manifest.apis)) api.input.schema = resolveInputRefs(api.input.schema) as typeof api.input.schema;
  const manifest = assembleManifest({
    services,
    entry,
    defs,
    bentocVersion: bentocVersion(),
    creationTime: options.creationTime ?? defaultCreationTime(userSourceFiles(program).map((file) => file.fileName)),
  });
  return { manifest, diagnostics };
}

/** Like tsc: by file, then position; problems without a place first. */
function inSourceOrder(diagnostics: Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) => (a.file ?? "").localeCompare(b.file ?? "") || (a.start ?? -1) - (b.start ?? -1));
}

function defaultCreationTime(files: string[]): Date {
  const epoch = process.env.SOURCE_DATE_EPOCH;
  if (epoch && /^[0-9]+$/.test(epoch)) return new Date(Number(epoch) * 1000);
  const newest = Math.max(0, ...files.map((file) => fs.statSync(file).mtimeMs));
  return new Date(Math.floor(newest / 1000) * 1000);
}

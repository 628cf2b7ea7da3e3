import path from "node:path";
import ts = require("typescript");
import type { ModelManifest, MountManifest, ServiceConfigManifest, ServiceManifest } from "../manifest/types.js";
import { apiOf, type EndpointDeclaration, type EndpointOptions } from "./api.js";
import type { CompileContext } from "./compile-context.js";
import { docText } from "./doc-text.js";
import { modelsOf } from "./models.js";
import { mountOf } from "./mounts.js";
import { OptionReader } from "./option-reader.js";
import { API_OPTIONS, SERVICE_OPTIONS, TASK_OPTIONS, type OptionSpec } from "./option-specs.js";
import type { RouteTable } from "./routes.js";
import { docOfSymbol } from "./schema/jsdoc.js";

export const DEFAULT_TRAFFIC_TIMEOUT_SECONDS = 60;

interface ServiceOptionsValue {
  name?: string;
  resources?: ServiceConfigManifest["resources"];
  workers?: number | "cpu";
  traffic?: { timeout?: number; maxConcurrency?: number };
  envs?: { name: string; value?: string }[];
  labels?: Record<string, string>;
  image?: { nodeVersion?: string; cuda?: string; systemPackages?: string[] };
}

export interface CompiledService {
  manifest: ServiceManifest;
  options: ServiceOptionsValue;
  models: ModelManifest[];
}

export interface ServiceClass {
  declaration: ts.ClassDeclaration;
  decorator: ts.Decorator;
  /** The name the module exports it under (`default` for a default export). */
  exportName: string;
}

/** The classes of the file that carry bentoc's `@service()`, each exported as a value the server can import and construct. */
export function serviceClassesOf(file: ts.SourceFile, context: CompileContext): ServiceClass[] {
  const exportNames = valueExportNames(file, context.checker);
  return file.statements.flatMap((statement) => {
    if (!ts.isClassDeclaration(statement)) return [];
    const serviceClass = serviceClassOf(statement, exportNames, context);
    return serviceClass ? [serviceClass] : [];
  });
}

/** The `@service()` class a declaration is, reporting why it cannot be served; undefined when it is none. */
export function serviceClassOf(statement: ts.ClassDeclaration, exportNames: Map<ts.Symbol, string> | undefined, context: CompileContext): ServiceClass | undefined {
  const decorator = ts.getDecorators(statement)?.find((candidate) => context.sdk.decoratorName(candidate) === "service");
  if (!decorator) return undefined;
  if (!statement.name) {
    context.sink.report("BTC1014", decorator, "(anonymous)", "it has no name; name it, e.g. `export default class MyService`");
    return undefined;
  }
  const symbol = context.checker.getSymbolAtLocation(statement.name);
  const exportName = symbol && (exportNames ?? valueExportNames(statement.getSourceFile(), context.checker)).get(symbol);
  if (!exportName) {
    context.sink.report("BTC1002", statement.name, statement.name.text);
    return undefined;
  }
  const problem = constructionProblem(statement);
  if (problem) {
    context.sink.report("BTC1014", statement.name, statement.name.text, problem);
    return undefined;
  }
  return { declaration: statement, decorator, exportName };
}

/** Class symbol → the name it is exported under as a value (`export type { X }` does not count). */
function valueExportNames(file: ts.SourceFile, checker: ts.TypeChecker): Map<ts.Symbol, string> {
  const names = new Map<ts.Symbol, string>();
  const moduleSymbol = checker.getSymbolAtLocation(file);
  for (const exported of moduleSymbol ? checker.getExportsOfModule(moduleSymbol) : []) {
    const typeOnly = exported.getDeclarations()?.some((declaration) => ts.isExportSpecifier(declaration) && (declaration.isTypeOnly || declaration.parent.parent.isTypeOnly));
    if (typeOnly) continue;
    const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    if (!names.has(target)) names.set(target, exported.getName());
  }
  return names;
}

/** Why `new Service()` would not work, if it would not. */
function constructionProblem(declaration: ts.ClassDeclaration): string | undefined {
  const creates = `the server creates it with \`new ${declaration.name?.text}()\``;
  if (ts.getCombinedModifierFlags(declaration) & ts.ModifierFlags.Abstract) return `it is abstract; ${creates}`;
  const constructor = declaration.members.find(ts.isConstructorDeclaration);
  const required = constructor?.parameters.filter((parameter) => !parameter.questionToken && !parameter.initializer && !parameter.dotDotDotToken);
  if (!required || required.length === 0) return undefined;
  return `its constructor takes required parameters (${required.map((parameter) => parameter.name.getText()).join(", ")}); ${creates}`;
}

export function compileServiceClass({ declaration, decorator, exportName }: ServiceClass, context: CompileContext, routes: RouteTable): CompiledService {
  const options = (readOptions(decorator, "service", SERVICE_OPTIONS, context).value ?? {}) as ServiceOptionsValue;
  const name = options.name ?? (exportName === "default" ? declaration.name!.text : exportName);
  const hooks = { onStartup: [] as string[], onShutdown: [] as string[] };
  const endpoints: EndpointDeclaration[] = [];
  const mounts: MountManifest[] = [];
  for (const member of declaration.members) {
    let endpointKind: "api" | "task" | undefined;
    for (const memberDecorator of ts.getDecorators(member as ts.HasDecorators) ?? []) {
      const kind = context.sdk.decoratorName(memberDecorator);
      if (kind !== "api" && kind !== "task" && kind !== "onStartup" && kind !== "onShutdown" && kind !== "mount") continue;
      const methodName = publicMethodName(member, kind, context);
      if (!methodName) continue;
      if (kind === "onStartup" || kind === "onShutdown") {
        hooks[kind].push(methodName);
        continue;
      }
      if (kind === "mount") {
        const mount = mountOf(member as ts.MethodDeclaration, methodName, memberDecorator, context);
        if (mount) {
          mounts.push(mount);
          routes.claimMount(mount.path, `${name}.${methodName}`, memberDecorator);
        }
        continue;
      }
      if (endpointKind) {
        context.sink.report("BTC3004", memberDecorator, methodName, endpointKind === "api" ? "an API" : "a task", kind === "api" ? "an API" : "a task");
        continue;
      }
      endpointKind = kind;
      const { value, locations } = readOptions(memberDecorator, kind, kind === "api" ? API_OPTIONS : TASK_OPTIONS, context);
      endpoints.push({ method: member as ts.MethodDeclaration, methodName, decorator: kind, options: (value ?? {}) as EndpointOptions, optionLocations: locations });
    }
  }
  const duplicates = reportDuplicateApiNames(endpoints, name, context);
  const symbol = context.checker.getSymbolAtLocation(declaration.name!);
  const models = modelsOf(declaration, context);
  const manifest: ServiceManifest = {
    name,
    className: exportName,
    // Relative to the compiled file's folder: the generated server imports each service from its own module.
    module: path.posix.relative(path.posix.dirname(context.entry.fileName), declaration.getSourceFile().fileName),
    doc: symbol ? docText(docOfSymbol(symbol, context.checker)) : {},
    config: configOf(options),
    models: models.map((model) => model.tag),
    dependencies: [],
    hooks,
    apis: endpoints.map((endpoint) => apiOf(endpoint, name, context, duplicates.has(endpoint) ? undefined : routes)),
    ...(mounts.length > 0 ? { mounts } : {}),
  };
  return { manifest, options, models };
}

/** Reports APIs that reuse a name, and returns them: their routes would only repeat the clash. */
function reportDuplicateApiNames(endpoints: EndpointDeclaration[], serviceName: string, context: CompileContext): Set<EndpointDeclaration> {
  const owners = new Map<string, string>();
  const duplicates = new Set<EndpointDeclaration>();
  for (const endpoint of endpoints) {
    const apiName = endpoint.options.name ?? endpoint.methodName;
    const owner = owners.get(apiName);
    if (owner) {
      context.sink.report("BTC1009", endpoint.optionLocations.get("name") ?? endpoint.method.name, apiName, owner, serviceName);
      duplicates.add(endpoint);
    } else {
      owners.set(apiName, endpoint.methodName);
    }
  }
  return duplicates;
}

function configOf(options: ServiceOptionsValue): ServiceConfigManifest {
  const traffic: ServiceConfigManifest["traffic"] = { timeout: options.traffic?.timeout ?? DEFAULT_TRAFFIC_TIMEOUT_SECONDS };
  if (options.traffic?.maxConcurrency !== undefined) traffic.maxConcurrency = options.traffic.maxConcurrency;
  return { resources: { ...options.resources }, workers: options.workers ?? 1, traffic, envs: (options.envs ?? []).map((env) => ({ ...env })) };
}

function readOptions(decorator: ts.Decorator, name: string, spec: OptionSpec, context: CompileContext): { value: unknown; locations: Map<string, ts.Node> } {
  const argument = ts.isCallExpression(decorator.expression) ? decorator.expression.arguments[0] : undefined;
  if (!argument) return { value: {}, locations: new Map() };
  const reader = new OptionReader(context.evaluator, context.sink, name);
  return { value: reader.read(argument, spec, ""), locations: reader.locations };
}

/** The method's name when the decorator sits on a public instance method; otherwise reports why not. */
function publicMethodName(member: ts.ClassElement, decorator: string, context: CompileContext): string | undefined {
  const label = member.name && (ts.isIdentifier(member.name) || ts.isPrivateIdentifier(member.name)) ? member.name.text : member.name?.getText() ?? "member";
  let problem: string | undefined;
  if (!ts.isMethodDeclaration(member)) problem = "not a method";
  else if (!ts.isIdentifier(member.name)) problem = ts.isPrivateIdentifier(member.name) ? "a #private method" : "a method with a computed name";
  else if (ts.getCombinedModifierFlags(member) & ts.ModifierFlags.Static) problem = "a static method";
  else if (ts.getCombinedModifierFlags(member) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) problem = "not public";
  if (problem) {
    context.sink.report("BTC1010", member.name ?? member, decorator, label, problem);
    return undefined;
  }
  return label;
}

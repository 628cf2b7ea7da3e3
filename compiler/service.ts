import ts = require("typescript");
import type { ModelManifest, ServiceConfigManifest, ServiceManifest } from "../manifest/types.js";
import { apiOf, type EndpointDeclaration, type EndpointOptions } from "./api.js";
import type { CompileContext } from "./compile-context.js";
import { docText } from "./doc-text.js";
import { modelsOf } from "./models.js";
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

/** The exported classes of the file that carry bentoc's `@service()`. */
export function serviceClassesOf(file: ts.SourceFile, context: CompileContext): { declaration: ts.ClassDeclaration; decorator: ts.Decorator }[] {
  const found: { declaration: ts.ClassDeclaration; decorator: ts.Decorator }[] = [];
  const moduleSymbol = context.checker.getSymbolAtLocation(file);
  const exported = new Set((moduleSymbol ? context.checker.getExportsOfModule(moduleSymbol) : []).map((symbol) => symbol.getName()));
  for (const statement of file.statements) {
    if (!ts.isClassDeclaration(statement)) continue;
    const decorator = ts.getDecorators(statement)?.find((candidate) => context.sdk.decoratorName(candidate) === "service");
    if (!decorator) continue;
    const name = statement.name?.text;
    if (!name || !exported.has(name)) {
      context.sink.report("BTC1002", statement.name ?? decorator, name ?? "(anonymous)");
      continue;
    }
    found.push({ declaration: statement, decorator });
  }
  return found;
}

export function compileServiceClass(declaration: ts.ClassDeclaration, decorator: ts.Decorator, context: CompileContext, routes: RouteTable): CompiledService {
  const className = declaration.name!.text;
  const options = (readOptions(decorator, "service", SERVICE_OPTIONS, context) ?? {}) as ServiceOptionsValue;
  const name = options.name ?? className;
  const hooks = { onStartup: [] as string[], onShutdown: [] as string[] };
  const endpoints: EndpointDeclaration[] = [];
  for (const member of declaration.members) {
    for (const memberDecorator of ts.getDecorators(member as ts.HasDecorators) ?? []) {
      const kind = context.sdk.decoratorName(memberDecorator);
      if (kind !== "api" && kind !== "task" && kind !== "onStartup" && kind !== "onShutdown") continue;
      const methodName = publicMethodName(member, kind, context);
      if (!methodName) continue;
      if (kind === "onStartup" || kind === "onShutdown") {
        hooks[kind].push(methodName);
        continue;
      }
      const spec = kind === "api" ? API_OPTIONS : TASK_OPTIONS;
      const endpointOptions = (readOptions(memberDecorator, kind, spec, context) ?? {}) as EndpointOptions;
      endpoints.push({ method: member as ts.MethodDeclaration, methodName, decorator: kind, options: endpointOptions });
    }
  }
  reportDuplicateApiNames(endpoints, name, context);
  const symbol = context.checker.getSymbolAtLocation(declaration.name!);
  const models = modelsOf(declaration, context);
  const manifest: ServiceManifest = {
    name,
    className,
    module: declaration.getSourceFile().fileName.split("/").pop()!,
    doc: symbol ? docText(docOfSymbol(symbol, context.checker)) : {},
    config: configOf(options),
    models: models.map((model) => model.tag),
    dependencies: [],
    hooks,
    apis: endpoints.map((endpoint) => apiOf(endpoint, name, context, routes)),
  };
  return { manifest, options, models };
}

function reportDuplicateApiNames(endpoints: EndpointDeclaration[], serviceName: string, context: CompileContext): void {
  const owners = new Map<string, string>();
  for (const endpoint of endpoints) {
    const apiName = endpoint.options.name ?? endpoint.methodName;
    const owner = owners.get(apiName);
    if (owner) context.sink.report("BTC1009", endpoint.method.name, apiName, owner, serviceName);
    else owners.set(apiName, endpoint.methodName);
  }
}

function configOf(options: ServiceOptionsValue): ServiceConfigManifest {
  const traffic: ServiceConfigManifest["traffic"] = { timeout: options.traffic?.timeout ?? DEFAULT_TRAFFIC_TIMEOUT_SECONDS };
  if (options.traffic?.maxConcurrency !== undefined) traffic.maxConcurrency = options.traffic.maxConcurrency;
  return { resources: { ...options.resources }, workers: options.workers ?? 1, traffic, envs: (options.envs ?? []).map((env) => ({ ...env })) };
}

function readOptions(decorator: ts.Decorator, name: string, spec: OptionSpec, context: CompileContext): unknown {
  if (!ts.isCallExpression(decorator.expression)) return {};
  const argument = decorator.expression.arguments[0];
  if (!argument) return {};
  return new OptionReader(context.evaluator, context.sink, name).read(argument, spec, "");
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

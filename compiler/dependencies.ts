import ts = require("typescript");
import type { CompileContext } from "./compile-context.js";
import { SERVICE_NAME_PATTERN, TAG_NAME_PATTERN } from "../manifest/manifest-schema.js";
import { dependencyUrlVariable } from "../manifest/service-selection.js";
import type { ExternalDependencyManifest } from "../manifest/types.js";
import { serviceClassOf, type CompiledService, type ServiceClass } from "./service.js";

/** One `depends(Target)` in a service class's fields. */
interface DependsCall {
  call: ts.CallExpression;
  /** The class it names, when it names one of this file's services. */
  target: CompiledService | undefined;
}

/** What a generated client class states of the service it calls, in its static `bentoService`. */
type OtherBentoService = ExternalDependencyManifest;

/**
 * Fills each service's `dependencies` from the `depends(…)` calls in its field initialisers:
 * each must name a @service class (BTC1015), or the generated client of another bento's service
 * (its `externalDependencies`), and services may not depend on each other in a cycle (BTC1016),
 * which no order of start-up could serve.
 */
export function resolveDependencies(classes: readonly ServiceClass[], services: readonly CompiledService[], context: CompileContext): void {
  const byDeclaration = new Map(classes.map((serviceClass, index) => [serviceClass.declaration, services[index]!]));
  const callsOf = new Map<CompiledService, DependsCall[]>();
  classes.forEach((serviceClass, index) => {
    const service = services[index]!;
    const calls: DependsCall[] = [];
    for (const call of dependsCallsOf(serviceClass.declaration, context)) {
      const declaration = classDeclarationOf(call, context);
      const elsewhere = declaration && clientIdentityOf(declaration, context);
      if (elsewhere) addOtherBentoService(service, elsewhere, call, services, context);
      else calls.push({ call, target: targetOf(call, declaration, byDeclaration, context) });
    }
    callsOf.set(service, calls);
    for (const { call, target } of calls) {
      if (!target) continue;
      if (target === service) context.sink.report("BTC1016", call, `${service.manifest.name} → ${service.manifest.name}`);
      else if (!service.manifest.dependencies.includes(target.manifest.name)) service.manifest.dependencies.push(target.manifest.name);
    }
  });
  reportCycles(services, callsOf, context);
}

/**
 * The services of other files that the compiled file's services depend on (and those they
 * depend on, in turn): a gateway in service.ts may call an Embedder in embedder.ts. The server
 * imports each from its own module, and the bundle carries its code as it carries any import.
 */
export function servicesElsewhere(classes: readonly ServiceClass[], context: CompileContext): ServiceClass[] {
  const known = new Set(classes.map((serviceClass) => serviceClass.declaration));
  const found: ServiceClass[] = [];
  for (let next = 0, pending = [...classes]; next < pending.length; next++) {
    for (const call of dependsCallsOf(pending[next]!.declaration, context)) {
      const declaration = classDeclarationOf(call, context);
      if (!declaration || known.has(declaration) || declaration.getSourceFile() === context.entry || context.sdk.isSdkNode(declaration)) continue;
      known.add(declaration);
      const serviceClass = serviceClassOf(declaration, undefined, context);
      if (!serviceClass) continue; // not a service: reported where the dependency is resolved
      found.push(serviceClass);
      pending.push(serviceClass);
    }
  }
  return found;
}

function classDeclarationOf(call: ts.CallExpression, context: CompileContext): ts.ClassDeclaration | undefined {
  const argument = call.arguments[0];
  let symbol = argument ? context.checker.getSymbolAtLocation(argument) : undefined;
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = context.checker.getAliasedSymbol(symbol);
  return symbol?.declarations?.find(ts.isClassDeclaration);
}

function dependsCallsOf(declaration: ts.ClassDeclaration, context: CompileContext): ts.CallExpression[] {
  const calls: ts.CallExpression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && context.sdk.sdkName(context.checker.getSymbolAtLocation(node.expression)) === "depends") calls.push(node);
    ts.forEachChild(node, visit);
  };
  for (const member of declaration.members) {
    if (ts.isPropertyDeclaration(member) && member.initializer) visit(member.initializer);
    if (ts.isConstructorDeclaration(member) && member.body) visit(member.body);
  }
  return calls;
}

function targetOf(call: ts.CallExpression, declaration: ts.ClassDeclaration | undefined, byDeclaration: Map<ts.ClassDeclaration, CompiledService>, context: CompileContext): CompiledService | undefined {
  const argument = call.arguments[0];
  const target = declaration && byDeclaration.get(declaration);
  if (!target && !(declaration && hasServiceDecorator(declaration, context))) {
    const why = declaration
      ? "it is neither a @service() class nor a client that bentoc generated for another bento's service"
      : "its argument must be a @service() class, e.g. `depends(Embedder)`, or the generated client of another bento's service";
    context.sink.report("BTC1015", argument ?? call, argument ? argument.getText() : "nothing", why);
  }
  return target;
}

/** A @service() class that could not be compiled has been reported already: its dependents are not told again. */
function hasServiceDecorator(declaration: ts.ClassDeclaration, context: CompileContext): boolean {
  return ts.getDecorators(declaration)?.some((decorator) => context.sdk.decoratorName(decorator) === "service") ?? false;
}

/** Reports each cycle once, at the `depends()` call that closes it. */
function reportCycles(services: readonly CompiledService[], callsOf: Map<CompiledService, DependsCall[]>, context: CompileContext): void {
  const done = new Set<CompiledService>();
  const path: CompiledService[] = [];
  const visit = (service: CompiledService): void => {
    if (done.has(service)) return;
    path.push(service);
    for (const { call, target } of callsOf.get(service) ?? []) {
      if (!target || target === service) continue;
      const start = path.indexOf(target);
      if (start !== -1) context.sink.report("BTC1016", call, [...path.slice(start), target].map((member) => member.manifest.name).join(" → "));
      else visit(target);
    }
    path.pop();
    done.add(service);
  };
  for (const service of services) visit(service);
}

/**
 * `{ bento, service }` from a class's static `bentoService` (`as const`, so its properties have
 * string literal types): what marks a client generated by bentoc, in source or in a .d.ts.
 */
function clientIdentityOf(declaration: ts.ClassDeclaration, context: CompileContext): OtherBentoService | undefined {
  const symbol = declaration.name && context.checker.getSymbolAtLocation(declaration.name);
  if (!symbol) return undefined;
  const staticSide = context.checker.getTypeOfSymbolAtLocation(symbol, declaration);
  const identity = staticSide.getProperty("bentoService");
  if (!identity) return undefined;
  const identityType = context.checker.getTypeOfSymbolAtLocation(identity, declaration);
  const literal = (name: string): string | undefined => {
    const property = identityType.getProperty(name);
    const type = property && context.checker.getTypeOfSymbolAtLocation(property, declaration);
    return type?.isStringLiteral() ? type.value : undefined;
  };
  const bento = literal("bento");
  const service = literal("service");
  const valid = bento !== undefined && service !== undefined && new RegExp(TAG_NAME_PATTERN).test(bento) && new RegExp(SERVICE_NAME_PATTERN).test(service);
  return valid ? { bento, service } : undefined;
}

/**
 * Lists a service of another bento among the caller's external dependencies. It is reached at
 * BENTOC_DEPENDENCY_<SERVICE>_URL, so no service of this bento, nor of a third bento, may read
 * the same variable (BTC1017).
 */
function addOtherBentoService(caller: CompiledService, other: OtherBentoService, call: ts.CallExpression, services: readonly CompiledService[], context: CompileContext): void {
  const variable = dependencyUrlVariable(other.service);
  const described = `the service '${other.service}' of the bento '${other.bento}'`;
  const local = services.find((service) => dependencyUrlVariable(service.manifest.name) === variable);
  if (local) {
    context.sink.report("BTC1017", call.arguments[0]!, call.arguments[0]!.getText(), described, variable, `this bento's service '${local.manifest.name}'`);
    return;
  }
  const external = services.flatMap((service) => service.manifest.externalDependencies ?? []);
  const clash = external.find((known) => dependencyUrlVariable(known.service) === variable && (known.bento !== other.bento || known.service !== other.service));
  if (clash) {
    context.sink.report("BTC1017", call.arguments[0]!, call.arguments[0]!.getText(), described, variable, `the service '${clash.service}' of the bento '${clash.bento}'`);
    return;
  }
  const list = (caller.manifest.externalDependencies ??= []);
  if (!list.some((known) => known.bento === other.bento && known.service === other.service)) list.push({ bento: other.bento, service: other.service });
}

import ts = require("typescript");
import type { CompileContext } from "./compile-context.js";
import type { CompiledService, ServiceClass } from "./service.js";

/** One `depends(Target)` in a service class's fields. */
interface DependsCall {
  call: ts.CallExpression;
  /** The class it names, when it names one of this file's services. */
  target: CompiledService | undefined;
}

/**
 * Fills each service's `dependencies` from the `depends(…)` calls in its field initialisers:
 * each must name a @service class of this file (BTC1015), and services may not depend on each
 * other in a cycle (BTC1016), which no order of start-up could serve.
 */
export function resolveDependencies(classes: readonly ServiceClass[], services: readonly CompiledService[], context: CompileContext): void {
  const byDeclaration = new Map(classes.map((serviceClass, index) => [serviceClass.declaration, services[index]!]));
  const callsOf = new Map<CompiledService, DependsCall[]>();
  classes.forEach((serviceClass, index) => {
    const service = services[index]!;
    const calls = dependsCallsOf(serviceClass.declaration, context).map((call) => ({ call, target: targetOf(call, byDeclaration, context) }));
    callsOf.set(service, calls);
    for (const { call, target } of calls) {
      if (!target) continue;
      if (target === service) context.sink.report("BTC1016", call, `${service.manifest.name} → ${service.manifest.name}`);
      else if (!service.manifest.dependencies.includes(target.manifest.name)) service.manifest.dependencies.push(target.manifest.name);
    }
  });
  reportCycles(services, callsOf, context);
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

function targetOf(call: ts.CallExpression, byDeclaration: Map<ts.ClassDeclaration, CompiledService>, context: CompileContext): CompiledService | undefined {
  const argument = call.arguments[0];
  let symbol = argument ? context.checker.getSymbolAtLocation(argument) : undefined;
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = context.checker.getAliasedSymbol(symbol);
  const declaration = symbol?.declarations?.find(ts.isClassDeclaration);
  const target = declaration && byDeclaration.get(declaration);
  if (!target) {
    const named = argument ? argument.getText() : "nothing";
    const why = declaration
      ? "it is not a @service() class exported from this file; bentoc serves the services of the file it compiles, so declare or re-declare it there"
      : "its argument must be a @service() class of this file, e.g. `depends(Embedder)`";
    context.sink.report("BTC1015", argument ?? call, named, why);
  }
  return target;
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

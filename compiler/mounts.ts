import ts = require("typescript");
import type { MountManifest } from "../manifest/types.js";
import type { CompileContext } from "./compile-context.js";
import { routeProblem } from "./routes.js";

/**
 * A method decorated `@mount("/admin")`: a Fastify plugin `(app)` or a Node request handler
 * `(request, response)` served under that path prefix. Its path must be a constant route
 * (BTC1003, BTC1006), and its parameters say which of the two it is (BTC1020).
 */
export function mountOf(method: ts.MethodDeclaration, methodName: string, decorator: ts.Decorator, context: CompileContext): MountManifest | undefined {
  const argument = ts.isCallExpression(decorator.expression) ? decorator.expression.arguments[0] : undefined;
  if (!argument) {
    context.sink.report("BTC1006", decorator, "(none)", "@mount() takes the path prefix it serves, e.g. @mount(\"/admin\").");
    return undefined;
  }
  const evaluation = context.evaluator.evaluate(argument);
  if (!evaluation.ok || typeof evaluation.value !== "string") {
    const node = evaluation.ok ? argument : evaluation.node;
    context.sink.report("BTC1003", node, "@mount() path", node.getText());
    return undefined;
  }
  const path = evaluation.value;
  const problem = routeProblem(path);
  if (problem) {
    context.sink.report("BTC1006", argument, path, problem);
    return undefined;
  }
  const parameters = method.parameters.filter((parameter) => !(ts.isIdentifier(parameter.name) && parameter.name.text === "this"));
  const kind = parameters.length === 1 ? "fastify" : parameters.length === 2 ? "node" : undefined;
  if (!kind) {
    context.sink.report("BTC1020", method.name, methodName, String(parameters.length));
    return undefined;
  }
  return { path, method: methodName, kind };
}

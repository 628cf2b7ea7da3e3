import ts = require("typescript");
import type { ApiManifest } from "../manifest/types.js";
import { batchingOf, type BatchingOptions } from "./batching.js";
import type { CompileContext } from "./compile-context.js";
import { docText } from "./doc-text.js";
import { inputOf } from "./input.js";
import { outputOf } from "./output.js";
import { routeProblem, type RouteTable } from "./routes.js";
import { docOfSymbol } from "./schema/jsdoc.js";

export interface EndpointOptions extends BatchingOptions {
  route?: string;
  name?: string;
  batchable?: boolean;
  tags?: string[];
}

export interface EndpointDeclaration {
  method: ts.MethodDeclaration;
  methodName: string;
  decorator: "api" | "task";
  options: EndpointOptions;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** One API of a service: its route, kind, input, output, batching and docs. */
export function apiOf(endpoint: EndpointDeclaration, serviceName: string, context: CompileContext, routes: RouteTable): ApiManifest {
  const { method, methodName, options } = endpoint;
  const name = options.name ?? methodName;
  if (!IDENTIFIER.test(name)) context.sink.report("BTC1012", method.name, name);
  const route = options.route ?? `/${name}`;
  const problem = routeProblem(route);
  if (problem) context.sink.report("BTC1006", method.name, route, problem);

  const { input, types } = inputOf(method, methodName, context);
  const output = outputOf(method, methodName, context);
  let kind: ApiManifest["kind"] = output.streaming ? "stream" : "unary";
  if (endpoint.decorator === "task") {
    if (output.streaming) context.sink.report("BTC3004", method.name, methodName, "a task", "a stream (a task stores one result)");
    kind = "task";
  }
  const symbol = context.checker.getSymbolAtLocation(method.name);
  const api: ApiManifest = {
    name,
    method: methodName,
    route,
    httpMethod: "POST",
    kind,
    doc: symbol ? docText(docOfSymbol(symbol, context.checker)) : {},
    tags: [...new Set([serviceName, ...(options.tags ?? [])])],
    input,
    output: output.output,
  };
  if (options.batchable) api.batching = batchingOf(method, methodName, options, types, output, context);
  if (!problem) routes.claim(api, `${serviceName}.${methodName}`, method.name);
  return api;
}

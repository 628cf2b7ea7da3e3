import ts = require("typescript");
import type { ApiManifest, InputManifest, TaskManifest } from "../manifest/types.js";
import { batchingOf, type BatchingOptions } from "./batching.js";
import type { CompileContext } from "./compile-context.js";
import { declaredErrorsOf } from "./declared-errors.js";
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
  retriesOnLoss?: number;
  retentionS?: number;
}

export interface EndpointDeclaration {
  method: ts.MethodDeclaration;
  methodName: string;
  decorator: "api" | "task";
  options: EndpointOptions;
  /** Where each option was written, for diagnostics about it. */
  optionLocations: Map<string, ts.Node>;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * One API of a service: its route, kind, input, output, batching and docs. `routes` is
 * undefined when the API's name already clashed, so its route is not reported again.
 */
export function apiOf(endpoint: EndpointDeclaration, serviceName: string, context: CompileContext, routes: RouteTable | undefined): ApiManifest {
  const { method, methodName, options, optionLocations } = endpoint;
  const name = options.name ?? methodName;
  const validName = IDENTIFIER.test(name);
  if (!validName) context.sink.report("BTC1012", optionLocations.get("name") ?? method.name, name);
  const route = options.route ?? `/${name}`;
  const routeNode = optionLocations.get("route") ?? method.name;
  // A route derived from a bad name would only repeat the name's problem.
  const checkRoute = options.route !== undefined || validName;
  const problem = checkRoute ? routeProblem(route) : undefined;
  if (problem) context.sink.report("BTC1006", routeNode, route, problem);

  const { input, types } = inputOf(method, methodName, context);
  const output = outputOf(method, methodName, context);
  let kind: ApiManifest["kind"] = output.streaming ? "stream" : "unary";
  const messages = input.parameters.find((parameter) => parameter.transport === "messages");
  if (messages) {
    kind = "websocket";
    const problem = websocketProblem(input.parameters, output.streaming, endpoint);
    if (problem) context.sink.report("BTC2012", method.name, methodName, messages.name, problem);
  } else if (endpoint.decorator === "task") {
    if (output.streaming) context.sink.report("BTC3004", method.name, methodName, "a task", "a stream (a task stores one result)");
    kind = "task";
  }
  const symbol = context.checker.getSymbolAtLocation(method.name);
  const api: ApiManifest = {
    name,
    method: methodName,
    route,
    httpMethod: kind === "websocket" ? "GET" : "POST",
    kind,
    doc: symbol ? docText(docOfSymbol(symbol, context.checker)) : {},
    tags: [...new Set([serviceName, ...(options.tags ?? [])])],
    input,
    output: output.output,
  };
  const errors = declaredErrorsOf(method, methodName, context);
  if (errors.length > 0) api.errors = errors;
  if (options.batchable) api.batching = batchingOf(endpoint, types, output, context);
  const task = kind === "task" ? taskOf(options) : undefined;
  if (task) api.task = task;
  if (checkRoute && !problem) routes?.claim(api, `${serviceName}.${methodName}`, routeNode);
  return api;
}

/** What keeps a method that takes a stream of messages from being a WebSocket API, if anything. */
function websocketProblem(parameters: InputManifest["parameters"], streaming: boolean, endpoint: EndpointDeclaration): string | undefined {
  if (endpoint.decorator === "task") return "a task cannot take messages; use @api()";
  if (endpoint.options.batchable) return "it cannot be batchable";
  if (parameters.length > 1) return `its messages must be its one parameter (besides a Context), but it also takes ${parameters.filter((parameter) => parameter.transport !== "messages").map((parameter) => `'${parameter.name}'`).join(", ")}`;
  if (!streaming) return "it must answer with a stream of messages: return `AsyncGenerator<Reply>` (an `async *` method) or `AsyncIterable<Reply>`";
  return undefined;
}

/** The task options written in the source; none written means no `task` field, as before they existed. */
function taskOf(options: EndpointOptions): TaskManifest | undefined {
  const task: TaskManifest = {};
  if (options.retriesOnLoss !== undefined) task.retriesOnLoss = options.retriesOnLoss;
  if (options.retentionS !== undefined) task.retentionS = options.retentionS;
  return Object.keys(task).length > 0 ? task : undefined;
}

import { randomUUID } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { dependencyUrlVariable } from "../manifest/service-selection.js";
import type { ApiManifest, JsonSchema, ServiceManifest } from "../manifest/types.js";
import { errorForResponse, TimeoutError, type ErrorBody } from "../sdk/client/errors.js";
import { apisOfDocument, type OpenApiDocument } from "../sdk/client/openapi.js";
import { TaskClient, type TaskApi } from "../sdk/client/tasks.js";
import { BentocTransport } from "../sdk/client/transport.js";
import { dependencyOf, type DependencyCallOptions, type DependencyConnection } from "../sdk/depends.js";
import type { ApiInvoker } from "./api-route.js";
import { callMethod } from "./api-route.js";
import { RequestContext } from "./context.js";
import { BentocHttpError, methodFailed, resultMismatch } from "./errors.js";
import { EnvironmentError } from "./options.js";
import { valueMapper } from "./revive.js";
import type { TaskRunner } from "./tasks/task-runner.js";
import type { ValidatorFactory } from "./validation.js";

/** A service served by this process: its instance and its methods by API name. */
export interface BoundService {
  manifest: ServiceManifest;
  instance: object;
  invokers: Record<string, ApiInvoker>;
}

/** What connecting the handles takes: the services of this process, every service's class, and where others are. */
export interface DependencyWiring {
  bound: readonly BoundService[];
  /** Every service of the bento by its class, served here or not. */
  declared: ReadonlyMap<unknown, ServiceManifest>;
  defs: Record<string, JsonSchema>;
  validators: ValidatorFactory;
  /** The bento's OpenAPI document: how a remote dependency's APIs are called. */
  openapi: object;
  env: NodeJS.ProcessEnv;
  /** The server's task runner, for the task APIs of this process. */
  tasks: TaskRunner | undefined;
}

/**
 * Connects every `depends()` handle held by a bound service (in a field) to the service it names:
 * in-process when this process serves it, else over HTTP at `BENTOC_DEPENDENCY_<NAME>_URL`. A
 * dependency that is neither stops start-up with one line naming the variable.
 */
export function connectDependencies(wiring: DependencyWiring): DependencyHealth {
  const remote = new Map<string, string>();
  const boundByClass = new Map<unknown, BoundService>(wiring.bound.map((service) => [service.instance.constructor, service]));
  const connections = new Map<string, DependencyConnection>();
  for (const caller of wiring.bound) {
    for (const value of Object.values(caller.instance)) {
      const handle = dependencyOf(value);
      if (!handle) continue;
      const target = wiring.declared.get(handle.service);
      if (!target) throw new Error(`service ${caller.manifest.name} depends on ${handle.service.name}, which is no service of this bento`);
      let connection = connections.get(target.name);
      if (!connection) {
        const local = boundByClass.get(handle.service);
        connection = local ? inProcessConnection(local, wiring) : remoteConnection(caller.manifest, target, wiring);
        if (!local) remote.set(target.name, wiring.env[dependencyUrlVariable(target.name)]!);
        connections.set(target.name, connection);
      }
      handle.connection = connection;
    }
  }
  return new DependencyHealth(remote);
}

/** How long a probe of a dependency's /readyz may take, and how long its answer is reused. */
const PROBE_TIMEOUT_MS = 1000;
const PROBE_REUSE_MS = 1000;

/**
 * Whether the dependencies served elsewhere answer their /readyz: a caller whose dependency is
 * unreachable is not ready either (its /readyz says which), so a load balancer sends its traffic
 * to replicas that can answer.
 */
export class DependencyHealth {
  private last: { at: number; unreachable: Promise<string[]> } | undefined;

  constructor(private readonly remote: ReadonlyMap<string, string>) {}

  /** The dependencies (name and URL) that did not answer their /readyz with 200; empty when all did, or there are none. */
  unreachable(): Promise<string[]> {
    if (this.remote.size === 0) return Promise.resolve([]);
    const now = Date.now();
    if (!this.last || now - this.last.at >= PROBE_REUSE_MS) this.last = { at: now, unreachable: this.probe() };
    return this.last.unreachable;
  }

  private async probe(): Promise<string[]> {
    const answers = await Promise.all([...this.remote].map(async ([name, url]) => {
      const response = await fetch(`${url.replace(/\/+$/, "")}/readyz`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) }).catch(() => undefined);
      await response?.body?.cancel();
      return response?.status === 200 ? undefined : `${name} (${url})`;
    }));
    return answers.filter((answer) => answer !== undefined);
  }
}

/** Calls a service that another process serves, through the client's transport, at its URL from the environment. */
function remoteConnection(caller: ServiceManifest, target: ServiceManifest, wiring: DependencyWiring): DependencyConnection {
  const variable = dependencyUrlVariable(target.name);
  const url = wiring.env[variable];
  if (!url) throw new EnvironmentError(`service ${caller.name} depends on ${target.name}, which this process does not serve: set ${variable} to its base URL (e.g. http://${target.name.toLowerCase()}:3000)`);
  if (!/^https?:\/\/[^/]/.test(url)) throw new EnvironmentError(`${variable} must be an http:// or https:// URL; got '${url}'`);
  const { apis, schemas } = apisOfDocument(wiring.openapi as OpenApiDocument);
  const transport = new BentocTransport({ baseUrl: url }, schemas);
  const names = new Set(target.apis.map((api) => api.name));
  const find = (apiName: string, submitted: boolean) => {
    const api = names.has(apiName) ? apis.get(apiName) : undefined;
    if (!api) throw new TypeError(`service ${target.name} has no API named '${apiName}'; it has ${[...names].join(", ")}`);
    if ((api.kind === "task") !== submitted) throw wrongKind(apiName, api.kind === "task");
    return api;
  };
  // The caller's request id travels as x-request-id, so the dependency's log lines carry it too.
  const onTheWire = ({ context, ...rest }: DependencyCallOptions) =>
    context ? { ...rest, signal: rest.signal ?? context.signal, headers: { "x-request-id": context.requestId } } : rest;
  const tasks = new Map<string, TaskApi<unknown>>();
  return {
    call(apiName, args, options) {
      const api = find(apiName, false);
      return api.kind === "stream" ? transport.stream(api, args, onTheWire(options)) : transport.call(api, args, onTheWire(options));
    },
    submit(apiName, args, options) {
      const api = find(apiName, true);
      let task = tasks.get(apiName);
      if (!task) tasks.set(apiName, (task = transport.task(api)));
      return task.submit(args, onTheWire(options));
    },
  };
}

/** Calls a service of this process as its HTTP API would be called, without HTTP. */
function inProcessConnection(service: BoundService, wiring: DependencyWiring): DependencyConnection {
  const apis = new Map(service.manifest.apis.map((api) => [api.name, api]));
  const calls = new Map<string, Call>();
  const tasks = new Map<string, TaskApi<unknown>>();
  const find = (apiName: string, submitted: boolean) => {
    const api = apis.get(apiName);
    if (!api) throw new TypeError(`service ${service.manifest.name} has no API named '${apiName}'; it has ${[...apis.keys()].join(", ")}`);
    if ((api.kind === "task") !== submitted) throw wrongKind(apiName, api.kind === "task");
    return api;
  };
  return {
    call(apiName, args, options) {
      let call = calls.get(apiName);
      if (!call) calls.set(apiName, (call = inProcessCall(find(apiName, false), service.invokers[apiName]!, wiring.defs, wiring.validators)));
      return call(args, options);
    },
    submit(apiName, args, options) {
      let task = tasks.get(apiName);
      if (!task) tasks.set(apiName, (task = inProcessTasks(find(apiName, true), wiring)));
      return task.submit(args, options);
    },
  };
}

/**
 * A task API of this process, through the task runner, on the task routes' terms: the arguments
 * copied as JSON and validated at submit, the result revived; the handle is the client's.
 */
function inProcessTasks(api: ApiManifest, wiring: DependencyWiring): TaskApi<unknown> {
  const runner = wiring.tasks!;
  const encodeInput = valueMapper(api.input.schema, wiring.defs, "encode");
  const validate = wiring.validators.compile(api.input.schema);
  const reviveOutput = valueMapper(api.output.schema, wiring.defs, "revive");
  /** The runner's answer as JSON, as the route would send it; its errors as the client's. */
  const answer = async (where: string, work: () => Promise<unknown>) => {
    try {
      return asJson(await work());
    } catch (error) {
      throw clientError(where, error, randomUUID());
    }
  };
  return new TaskClient({ name: api.name, route: api.route, kind: "task" }, {
    submit: (args) => answer(`POST ${api.route}/submit`, async () => {
      const json = asJson(encodeInput(args ?? {}));
      validate(json);
      return runner.submit(api.name, json);
    }),
    request: (method, path) => {
      const [route = "", query] = path.split("?");
      const taskId = new URLSearchParams(query).get("task_id") ?? "";
      const action = route.slice(api.route.length + 1);
      return answer(`${method} ${route}`, () =>
        action === "status" ? runner.status(taskId) : action === "get" ? runner.result(taskId) : action === "cancel" ? runner.cancel(taskId) : runner.retry(taskId));
    },
    revive: (value) => reviveOutput(value),
  });
}

type Call = (args: Record<string, unknown>, options: DependencyCallOptions) => unknown;

/**
 * One API called in-process, on the remote path's terms: the arguments are encoded, validated
 * and revived; the result is encoded, checked against its schema and revived; failures are the
 * client's typed errors. Values are not copied (as BentoML's in-process calls do not copy them):
 * a JSON copy each way was half the cost of a small call (npm run bench:compose).
 */
function inProcessCall(api: ApiManifest, invoke: ApiInvoker, defs: Record<string, JsonSchema>, validators: ValidatorFactory): Call {
  const where = `${api.httpMethod} ${api.route}`;
  const encodeInput = valueMapper(api.input.schema, defs, "encode");
  const validate = validators.compile(api.input.schema);
  const reviveInput = valueMapper(api.input.schema, defs, "revive");
  const encodeOutput = valueMapper(api.output.schema, defs, "encode");
  const reviveOutput = valueMapper(api.output.schema, defs, "revive");
  let resultProblems: ReturnType<ValidatorFactory["problemsOf"]> | undefined;
  /** The result (or a stream's element) as the caller gets it from the wire. */
  const received = (value: unknown): unknown => {
    const json = encodeOutput(value) ?? null;
    const problems = (resultProblems ??= validators.problemsOf(api.output.schema))(json);
    if (problems.length > 0) throw resultMismatch(api.name, problems);
    return reviveOutput(json);
  };
  const start = (args: Record<string, unknown>, options: DependencyCallOptions) => {
    const call = new CallScope(options);
    try {
      const json = encodeInput(args) as Record<string, unknown>;
      validate(json);
      return { call, input: reviveInput(json) as Record<string, unknown> };
    } catch (error) {
      call.end();
      throw call.failure(where, error);
    }
  };

  if (api.kind === "stream") {
    return (args, options) => {
      const { call, input } = start(args, options);
      return (async function* relay() {
        try {
          const elements = (await callMethod(invoke, input, call.context)) as AsyncIterable<unknown>;
          for await (const element of elements) {
            if (call.ended) throw undefined; // the caller's signal or the timeout ended it: `failure` says which
            yield received(element);
          }
        } catch (error) {
          throw call.failure(where, error);
        } finally {
          call.end();
        }
      })();
    };
  }
  return async (args, options) => {
    const { call, input } = start(args, options);
    try {
      const pending = callMethod(invoke, input, call.context);
      return received(await (call.stopped ? Promise.race([pending, call.stopped]) : pending));
    } catch (error) {
      throw call.failure(where, error);
    } finally {
      call.end();
    }
  };
}

/** A task API called, or another API submitted. */
const wrongKind = (apiName: string, isTask: boolean) =>
  new TypeError(isTask ? `${apiName} is a task API: submit it with .${apiName}.submit(args), which returns its task handle` : `${apiName} is not a task API: call it as ${apiName}(args)`);

/** A deep copy that keeps only what JSON carries, as a request body would. */
function asJson(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

const NO_HEADERS = Object.freeze({}) as IncomingHttpHeaders;
let calls = 0;
/** A request id for a call made without the caller's Context: cheap, and unique in this process. */
const callId = () => `call-${process.pid}-${++calls}`;

/**
 * One call's Context, and what may end it early: the caller's signal (or its Context's abort),
 * and its timeout. `stopped` rejects when one of them does; a call with none of them makes no
 * promise, timer or listener.
 */
class CallScope {
  readonly context: RequestContext;
  readonly stopped: Promise<never> | undefined;
  private stop: (error: unknown) => void = () => undefined;
  private endedBy: { signal: unknown } | { timeoutMs: number } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private unlink: (() => void) | undefined;

  constructor(options: DependencyCallOptions) {
    const { signal, timeoutMs, context } = options;
    const requestId = context?.requestId ?? callId();
    this.context = new RequestContext(context ? { "x-request-id": requestId } : NO_HEADERS, requestId);
    if (!signal && timeoutMs === undefined && !context) return;
    this.stopped = new Promise<never>((_resolve, reject) => (this.stop = reject));
    this.stopped.catch(() => undefined); // a call that finished first never awaits it
    if (timeoutMs !== undefined) this.timer = setTimeout(() => this.end({ timeoutMs }), timeoutMs);
    if (signal) {
      const onAbort = () => this.end({ signal: signal.reason });
      if (signal.aborted) onAbort();
      else {
        signal.addEventListener("abort", onAbort, { once: true });
        this.unlink = () => signal.removeEventListener("abort", onAbort);
      }
    } else if (context instanceof RequestContext) {
      // The caller's own Context: listened to without making its signal, which costs every request that reads it.
      this.unlink = context.onAbort((reason) => this.end({ signal: reason }));
    } else if (context) {
      const onAbort = () => this.end({ signal: context.signal.reason });
      context.signal.addEventListener("abort", onAbort, { once: true });
      this.unlink = () => context.signal.removeEventListener("abort", onAbort);
    }
  }

  get ended(): boolean {
    return this.endedBy !== undefined;
  }

  /** Ends the call; ended by the caller's signal or the timeout, its Context's signal is aborted too. */
  end(by?: { signal: unknown } | { timeoutMs: number }): void {
    if (this.timer) clearTimeout(this.timer);
    this.unlink?.();
    this.timer = this.unlink = undefined;
    if (!by || this.endedBy) return;
    this.endedBy = by;
    const reason = "timeoutMs" in by ? new Error(`The caller's ${by.timeoutMs} ms timeout passed`) : new Error("The caller aborted the call");
    this.context.abort(reason);
    this.stop(reason);
  }

  /**
   * What the caller is told, as the HTTP client would tell it: its signal's reason when it
   * aborted, a TimeoutError (status 0) when its timeout passed, else the server's typed error.
   */
  failure(where: string, error: unknown): unknown {
    if (this.endedBy && "signal" in this.endedBy) return this.endedBy.signal;
    if (this.endedBy) return new TimeoutError(`${where} did not finish within ${this.endedBy.timeoutMs} ms`, { status: 0 });
    return clientError(where, error, this.context.requestId);
  }
}

/** The error a remote caller would get for what the call threw: the client's typed errors, by status. */
function clientError(where: string, error: unknown, requestId: string): unknown {
  const http = methodFailed(error) as BentocHttpError;
  const failure = errorForResponse(where, http.status, asJson(http.body(requestId)) as ErrorBody, requestId, undefined);
  if (http.cause !== undefined) Object.defineProperty(failure, "cause", { value: http.cause, configurable: true, writable: true });
  return failure;
}

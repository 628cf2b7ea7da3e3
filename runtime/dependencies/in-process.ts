import type { ApiManifest, JsonSchema } from "../../manifest/types.js";
import { TaskClient, type TaskApi } from "../../sdk/client/tasks.js";
import type { DependencyCallOptions, DependencyConnection } from "../../sdk/depends.js";
import { callMethod, type ApiInvoker } from "../api-route.js";
import { resultMismatch } from "../errors.js";
import { valueMapper } from "../revive.js";
import type { ValidatorFactory } from "../validation.js";
import { CallScope, callId, clientError } from "./call-scope.js";
import type { BoundService, DependencyWiring } from "./index.js";
import { apiFinder, asJson } from "./kinds.js";

/** Calls a service of this process as its HTTP API would be called, without HTTP. */
export function inProcessConnection(service: BoundService, wiring: DependencyWiring): DependencyConnection {
  const find = apiFinder(service.manifest);
  const calls = new Map<string, Call>();
  const tasks = new Map<string, TaskApi<unknown>>();
  return {
    call(apiName, args, options) {
      let call = calls.get(apiName);
      if (!call) {
        const api = find(apiName, false);
        calls.set(apiName, (call = inProcessCall(api, service.invokers[api.name]!, wiring.defs, wiring.validators)));
      }
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
      throw clientError(where, error, callId());
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


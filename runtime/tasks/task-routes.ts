import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler, RouteHandlerMethod } from "fastify";
import { TASK_ENDPOINTS, TASK_SUBROUTES, taskPath, type TaskAction } from "../../manifest/routes.js";
import type { ApiManifest, JsonSchema } from "../../manifest/types.js";
import type { ApiInput } from "../api-input.js";
import { outputSerializer } from "../api-output.js";
import { callMethod, type ApiInvoker } from "../api-route.js";
import { RequestContext } from "../context.js";
import { BentocHttpError, badRequest } from "../errors.js";
import { echoRequestId } from "../request-id.js";
import { valueMapper } from "../revive.js";
import type { TaskRun, TaskRunner } from "./task-runner.js";

/** How one task API runs in the background: arguments from the stored JSON, the result encoded as JSON. */
export function taskRun(api: ApiManifest, invoke: ApiInvoker, input: ApiInput, defs: Record<string, JsonSchema>): TaskRun {
  const encode = valueMapper(api.output.schema, defs, "encode");
  return async (body, signal) => {
    const context = new RequestContext({}, "task");
    signal.throwIfAborted(); // cancelled before it started: do not start it
    signal.addEventListener("abort", () => context.abort(signal.reason as Error), { once: true });
    const named = await input.inputFor(body as Record<string, unknown>, undefined);
    return encode(await callMethod(invoke, named, context)) ?? null;
  };
}

/** `{route}/submit`, `/status`, `/get`, `/cancel`, `/retry`, with the methods of manifest/routes.ts's TASK_ENDPOINTS. */
export function registerTaskRoutes(app: FastifyInstance, api: ApiManifest, input: ApiInput, runner: TaskRunner, defs: Record<string, JsonSchema>): void {
  const serialize = outputSerializer(api.output.schema, defs);
  const json = (reply: FastifyReply) => reply.type("application/json; charset=utf-8");
  const hasFiles = api.input.parameters.some((parameter) => parameter.transport !== "json");
  const handlers: Record<TaskAction, { onRequest: onRequestHookHandler[]; handler: RouteHandlerMethod }> = {
    submit: {
      onRequest: [echoRequestId, input.checkContentType],
      handler: async (request, reply) => {
        if (hasFiles) throw new BentocHttpError(415, "Tasks take JSON arguments; this task's files cannot be kept for a later run");
        const { body } = await input.read(request);
        return json(reply).send(await runner.submit(api.name, body));
      },
    },
    status: { onRequest: [echoRequestId], handler: async (request, reply) => json(reply).send(await runner.status(taskIdOf(request))) },
    get: { onRequest: [echoRequestId], handler: async (request, reply) => json(reply).serializer(serialize).send(await runner.result(taskIdOf(request))) },
    cancel: { onRequest: [echoRequestId], handler: async (request, reply) => json(reply).send(await runner.cancel(taskIdOf(request))) },
    retry: { onRequest: [echoRequestId], handler: async (request, reply) => json(reply).send(await runner.retry(taskIdOf(request))) },
  };
  for (const action of TASK_SUBROUTES) {
    app.route({ method: TASK_ENDPOINTS[action], url: taskPath(api.route, action), ...handlers[action] });
  }
}

function taskIdOf(request: FastifyRequest): string {
  const taskId = (request.query as Record<string, unknown>).task_id;
  if (typeof taskId !== "string" || taskId === "") throw badRequest("The query parameter task_id is required");
  return taskId;
}

// A task API is five operations under its route: submit the arguments, then poll, fetch,
// cancel or retry the background run by the `task_id` that submit returned.
import { TASK_ENDPOINTS, taskPath, type TaskAction } from "../../manifest/routes.js";
import type { ApiManifest, JsonSchemaObject, ServiceManifest } from "../../manifest/types.js";
import type { ComponentNames } from "./component-names.js";
import { BODY_ERRORS, QUERY_ERRORS, errorResponse, errorResponseRefs } from "./errors.js";
import { operationHeader, requestBody, resultResponse } from "./operations.js";
import type { DocumentContext, ParameterObject, PlannedOperation, ResponseObject } from "./types.js";

export const TASK_ID_PARAMETER = "BentocTaskId";

const TASK_STATES = ["pending", "running", "success", "failure", "cancelled"];

export function taskOperations(service: ServiceManifest, api: ApiManifest, context: DocumentContext): PlannedOperation[] {
  const own = context.names.own;
  const taskId = [{ $ref: `#/components/parameters/${TASK_ID_PARAMETER}` }];
  const statusResponse = (description: string): ResponseObject => jsonResponse(description, own.taskStatus);
  const header = (suffix: string, summary: string, description: string | undefined) =>
    operationHeader(service, api, {
      id: `${api.name}_${suffix}`,
      summary: `${summary} ${api.name} task`,
      ...(description !== undefined && { description }),
    });
  const plan = (action: TaskAction, operation: PlannedOperation["operation"]): PlannedOperation =>
    ({ path: taskPath(api.route, action), method: lowerCaseMethod(action), service: service.name, operation });

  return [
    plan("submit", {
      ...header("submit", "Submit a", submitDescription(api)),
      requestBody: requestBody(api.input, context),
      responses: {
        "200": jsonResponse("The task was accepted; poll `status` with its `task_id`.", own.taskSubmitted),
        ...errorResponseRefs(BODY_ERRORS),
      },
    }),
    plan("status", {
      ...header("status", "Status of a", "Where one task is in its lifecycle."),
      parameters: taskId,
      responses: { "200": statusResponse("The task's status."), ...errorResponseRefs(QUERY_ERRORS) },
    }),
    plan("get", {
      ...header("get", "Result of a", "The result of a task that finished successfully."),
      parameters: taskId,
      responses: {
        "200": { ...resultResponse(api.output, "unary", context), description: "The task's result." },
        "409": errorResponse(
          "The task has no result: it is still pending or running, or it failed or was cancelled; `status` says which.",
          own.error,
        ),
        ...errorResponseRefs(QUERY_ERRORS),
      },
    }),
    plan("cancel", {
      ...header("cancel", "Cancel a", "Stops a pending or running task."),
      parameters: taskId,
      responses: { "200": statusResponse("The task's status after cancelling."), ...errorResponseRefs(QUERY_ERRORS) },
    }),
    plan("retry", {
      ...header("retry", "Retry a", "Runs a finished task again with the arguments it was submitted with."),
      parameters: taskId,
      responses: { "200": statusResponse("The status of the new run."), ...errorResponseRefs(QUERY_ERRORS) },
    }),
  ];
}

function lowerCaseMethod(action: TaskAction): PlannedOperation["method"] {
  return TASK_ENDPOINTS[action].toLowerCase() as PlannedOperation["method"];
}

function submitDescription(api: ApiManifest): string | undefined {
  const text = [api.doc.summary, api.doc.description].filter((part) => part !== undefined && part !== "");
  return text.length > 0 ? text.join("\n\n") : undefined;
}

function jsonResponse(description: string, schemaName: string): ResponseObject {
  return { description, content: { "application/json": { schema: { $ref: `#/components/schemas/${schemaName}` } } } };
}

export function taskIdParameter(): ParameterObject {
  return {
    name: "task_id",
    in: "query",
    description: "The id that `submit` returned.",
    required: true,
    schema: { type: "string" },
  };
}

export function taskSchemas(names: ComponentNames): Record<string, JsonSchemaObject> {
  const state = { $ref: `#/components/schemas/${names.own.taskState}` };
  const taskId = { type: "string", description: "Identifies the task." };
  return {
    [names.own.taskState]: {
      type: "string",
      enum: TASK_STATES,
      description: "Where a task is: `success`, `failure` and `cancelled` are final.",
    },
    [names.own.taskStatus]: {
      type: "object",
      properties: {
        task_id: taskId,
        status: state,
        created_at: { type: "string", format: "date-time", description: "When the task was submitted." },
        executed_at: {
          type: ["string", "null"],
          format: "date-time",
          description: "When a worker started the task; null while it is pending.",
        },
      },
      required: ["task_id", "status", "created_at", "executed_at"],
    },
    [names.own.taskSubmitted]: {
      type: "object",
      properties: { task_id: { ...taskId }, status: { ...state } },
      required: ["task_id", "status"],
    },
  };
}

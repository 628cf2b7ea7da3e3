import type { ApiManifest } from "./types.js";

/** Routes the generated server answers itself; an API may not take them. */
export const RESERVED_ROUTES: readonly string[] = ["/livez", "/readyz", "/metrics", "/docs", "/docs.json"];

/**
 * The wire protocol of a task API at `/x`: one endpoint per action, `/x/<action>`, with its
 * method. The server, the OpenAPI document, the client and `bentoc get` all read it from here.
 */
export const TASK_ENDPOINTS = { submit: "POST", status: "GET", get: "GET", cancel: "PUT", retry: "POST" } as const;

export type TaskAction = keyof typeof TASK_ENDPOINTS;

/** What a task API at `/x` also serves: `/x/submit`, `/x/status`, … */
export const TASK_SUBROUTES: readonly TaskAction[] = Object.keys(TASK_ENDPOINTS) as TaskAction[];

/** One method and path a client can call. */
export interface Endpoint {
  method: "GET" | "POST" | "PUT";
  path: string;
}

/** The path of one task action under the task API's route. */
export function taskPath(route: string, action: TaskAction): string {
  return `${route}/${action}`;
}

/** What a client calls: the API's route, or for a task its five endpoints (a task's own route answers nothing). */
export function endpointsOf(api: Pick<ApiManifest, "kind" | "route" | "httpMethod">): Endpoint[] {
  if (api.kind !== "task") return [{ method: api.httpMethod, path: api.route }];
  return TASK_SUBROUTES.map((action) => ({ method: TASK_ENDPOINTS[action], path: taskPath(api.route, action) }));
}

/** The HTTP paths an API occupies: its route, and for a task the five task routes under it. */
export function routesOf(api: Pick<ApiManifest, "kind" | "route">): string[] {
  return api.kind === "task" ? [api.route, ...TASK_SUBROUTES.map((action) => taskPath(api.route, action))] : [api.route];
}

/** Whether a request path is served by a `@mount` at `prefix`: the prefix itself, or below it. */
export function underMount(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`);
}

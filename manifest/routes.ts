import type { ApiManifest } from "./types.js";

/** Routes the generated server answers itself; an API may not take them. */
export const RESERVED_ROUTES: readonly string[] = ["/livez", "/readyz", "/metrics", "/docs", "/docs.json"];
/** What a task API at `/x` also serves: `/x/submit`, `/x/status`, … */
export const TASK_SUBROUTES: readonly string[] = ["submit", "status", "get", "cancel", "retry"];

/** The HTTP paths an API occupies: its route, and for a task the five task routes under it. */
export function routesOf(api: Pick<ApiManifest, "kind" | "route">): string[] {
  return api.kind === "task" ? [api.route, ...TASK_SUBROUTES.map((sub) => `${api.route}/${sub}`)] : [api.route];
}

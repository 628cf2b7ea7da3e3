import type { ApiManifest, ServiceManifest } from "../../manifest/types.js";

/** A task API called, or another API submitted. */
export const wrongKind = (apiName: string, isTask: boolean) =>
  new TypeError(isTask ? `${apiName} is a task API: submit it with .${apiName}.submit(args), which returns its task handle` : `${apiName} is not a task API: call it as ${apiName}(args)`);

/** A deep copy that keeps only what JSON carries, as a request body would. */
export function asJson(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

/**
 * Finds the API a handle's method names: by API name or, where no API has that name, by method
 * name (the handle's methods are the class's); a task API only through `.submit`, others only called.
 */
export function apiFinder(service: ServiceManifest): (apiName: string, submitted: boolean) => ApiManifest {
  const byName = new Map(service.apis.map((api) => [api.name, api]));
  for (const api of service.apis) if (!byName.has(api.method)) byName.set(api.method, api);
  return (apiName, submitted) => {
    const api = byName.get(apiName);
    if (!api) throw new TypeError(`service ${service.name} has no API named '${apiName}'; it has ${service.apis.map((each) => each.name).join(", ")}`);
    if (api.kind === "websocket") throw new TypeError(`${apiName} is a WebSocket API: a dependency call cannot reach it; open it with the generated client's socket method`);
    if ((api.kind === "task") !== submitted) throw wrongKind(apiName, api.kind === "task");
    return api;
  };
}

import type ts from "typescript";
import { RESERVED_ROUTES, routesOf } from "../manifest/routes.js";
import type { ApiManifest } from "../manifest/types.js";
import type { DiagnosticSink } from "./reporter.js";

const SEGMENT = /^[A-Za-z0-9._~-]+$/;

/** Why a route string is not a valid static route, or undefined when it is. */
export function routeProblem(route: string): string | undefined {
  if (!route.startsWith("/")) return "a route starts with '/'.";
  if (route === "/") return "'/' alone names no API; use a path such as '/predict'.";
  if (route.endsWith("/")) return "a route does not end with '/'.";
  for (const segment of route.slice(1).split("/")) {
    if (segment === "") return "a route has no empty segments ('//').";
    if (segment === "." || segment === "..") return "'.' and '..' segments are not allowed.";
    if (!SEGMENT.test(segment)) return `segment '${segment}' may only hold letters, digits, '.', '_', '~' and '-' (no path parameters or query strings).`;
  }
  return undefined;
}

export function isReservedRoute(route: string): boolean {
  return RESERVED_ROUTES.includes(route) || route.startsWith("/docs/");
}

/** Tracks every path taken in the bento, so a clash is reported where the second API is declared. */
export class RouteTable {
  private readonly owners = new Map<string, string>();

  constructor(private readonly sink: DiagnosticSink) {}

  claim(api: Pick<ApiManifest, "kind" | "route">, owner: string, node: ts.Node): void {
    for (const path of routesOf(api)) {
      if (isReservedRoute(path)) {
        this.sink.report("BTC1007", node, path);
        continue;
      }
      const previous = this.owners.get(path);
      if (previous) {
        this.sink.report("BTC1008", node, path, owner, previous);
        continue;
      }
      this.owners.set(path, owner);
    }
  }
}

import type ts from "typescript";
import { RESERVED_ROUTES, routesOf, underMount } from "../manifest/routes.js";
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
  private readonly mounts: { prefix: string; owner: string; node: ts.Node }[] = [];

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

  /** A `@mount` prefix, checked by `checkMounts` once every API of the bento has claimed its paths. */
  claimMount(prefix: string, owner: string, node: ts.Node): void {
    this.mounts.push({ prefix, owner, node });
  }

  /**
   * Reports (BTC1021) a mount that would take a path the server or an API serves, or share paths
   * with another mount: mounted routes come after the bento's own and never shadow them.
   */
  checkMounts(): void {
    // Either serves paths of the other (the server's /docs also serves /docs/<asset>).
    const overlap = (a: string, b: string) => underMount(a, b) || underMount(b, a);
    this.mounts.forEach(({ prefix, owner, node }, index) => {
      const reserved = RESERVED_ROUTES.find((path) => overlap(path, prefix));
      const api = [...this.owners].find(([path]) => underMount(path, prefix));
      const earlier = this.mounts.slice(0, index).find((other) => overlap(other.prefix, prefix));
      const clash = reserved ? `the server's own route ${reserved}`
        : api ? `the route ${api[0]} of ${api[1]}`
        : earlier ? `the paths of @mount("${earlier.prefix}") on ${earlier.owner}` : undefined;
      if (clash) this.sink.report("BTC1021", node, prefix, owner, clash);
    });
  }
}

import FindMyWay from "find-my-way";

const nothing = () => undefined;

/**
 * The methods each route of a server answers, matched as Fastify matches them (the same router
 * library, with Fastify's default options): what tells a wrong method on a known path (405 and
 * `Allow`) from a path nothing serves (404), which Fastify's not-found handler cannot.
 */
export class AllowedMethods {
  private readonly router = FindMyWay();
  private readonly methods = new Set<string>();

  add(methods: string | readonly string[], url: string): void {
    // A catch-all route (CORS answers OPTIONS at `*`) says nothing about which paths exist.
    if (url.includes("*")) return;
    for (const method of [methods].flat()) {
      // Fastify adds a HEAD route beside each GET route, and tells onRoute of both.
      if (!this.router.hasRoute(method as FindMyWay.HTTPMethod, url)) this.router.on(method as FindMyWay.HTTPMethod, url, nothing);
      this.methods.add(method);
    }
  }

  /** The methods that a route at `path` answers, in the order the routes were added; none for an unknown path. */
  at(path: string): string[] {
    return [...this.methods].filter((method) => this.router.find(method as FindMyWay.HTTPMethod, path) !== null);
  }
}

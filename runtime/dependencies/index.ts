import type { JsonSchema, ServiceManifest } from "../../manifest/types.js";
import { dependencyOf, type DependencyConnection } from "../../sdk/depends.js";
import type { ApiInvoker } from "../api-route.js";
import type { TaskRunner } from "../tasks/task-runner.js";
import type { ValidatorFactory } from "../validation.js";
import { DependencyHealth } from "./health.js";
import { inProcessConnection } from "./in-process.js";
import { remoteConnection } from "./remote.js";

export { DependencyHealth } from "./health.js";

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
        if (local) connection = inProcessConnection(local, wiring);
        else {
          const elsewhere = remoteConnection(caller.manifest, target, wiring);
          connection = elsewhere.connection;
          remote.set(target.name, elsewhere.url);
        }
        connections.set(target.name, connection);
      }
      handle.connection = connection;
    }
  }
  return new DependencyHealth(remote);
}


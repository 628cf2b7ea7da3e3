import type { JsonSchema, ServiceManifest } from "../../manifest/types.js";
import { bentoServiceOf, dependencyOf, type DependencyCallOptions, type DependencyConnection, type DependencyState } from "../../sdk/depends.js";
import { RequestContext } from "../context.js";
import type { Tracing } from "../tracing.js";
import type { ApiInvoker } from "../api-route.js";
import type { TaskRunner } from "../tasks/task-runner.js";
import type { ValidatorFactory } from "../validation.js";
import { DependencyHealth } from "./health.js";
import { inProcessConnection } from "./in-process.js";
import { otherBentoConnection, type ClientClass } from "./other-bento.js";
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
  /** The server's tracing, when it traces: each dependency call gets a span of its own. */
  tracing?: Tracing | undefined;
}

/**
 * Connects every `depends()` handle held by a bound service (in a field) to the service it names:
 * in-process when this process serves it, else over HTTP at `BENTOC_DEPENDENCY_<NAME>_URL`, as
 * is a service of another bento (named by its generated client class). A dependency that is
 * neither stops start-up with one line naming the variable.
 */
export function connectDependencies(wiring: DependencyWiring): DependencyHealth {
  const remote = new Map<string, string>();
  const boundByClass = new Map<unknown, BoundService>(wiring.bound.map((service) => [service.instance.constructor, service]));
  const connections = new Map<unknown, DependencyConnection>();
  /** The connection to a service of this bento, or of another one (traced when the server traces); a URL it calls joins the health probes. */
  const connect = (caller: ServiceManifest, service: DependencyState["service"]): DependencyConnection => {
    const target = wiring.declared.get(service);
    const identity = target ? undefined : bentoServiceOf(service);
    if (!target && !identity) throw new Error(`service ${caller.name} depends on ${service.name}, which is no service of this bento nor a generated client of another's`);
    const name = target?.name ?? identity!.service;
    const local = boundByClass.get(service);
    let connection: DependencyConnection;
    if (local) connection = inProcessConnection(local, wiring);
    else {
      const elsewhere = target ? remoteConnection(caller, target, wiring) : otherBentoConnection(caller, service as unknown as ClientClass, identity!, wiring.env);
      remote.set(name, elsewhere.url);
      connection = elsewhere.connection;
    }
    return wiring.tracing ? tracedConnection(connection, name, wiring.tracing) : connection;
  };
  for (const caller of wiring.bound) {
    for (const value of Object.values(caller.instance)) {
      const handle = dependencyOf(value);
      if (!handle) continue;
      let connection = connections.get(handle.service);
      if (!connection) connections.set(handle.service, (connection = connect(caller.manifest, handle.service)));
      handle.connection = connection;
    }
  }
  return new DependencyHealth(remote);
}

/** A connection whose calls each get a span (runtime/tracing.ts), continued by the dependency. */
function tracedConnection(connection: DependencyConnection, target: string, tracing: Tracing): DependencyConnection {
  const callerOf = (options: DependencyCallOptions) => (options.context instanceof RequestContext ? options.context : undefined);
  return {
    call: (api, args, options) => tracing.aroundCall(`${target}.${api}`, callerOf(options), () => connection.call(api, args, options)),
    submit: (api, args, options) => tracing.aroundCall(`${target}.${api} submit`, callerOf(options), () => connection.submit(api, args, options)) as ReturnType<DependencyConnection["submit"]>,
  };
}

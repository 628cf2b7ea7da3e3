import type { ApiOptions, ServiceOptions, TaskOptions } from "./options.js";

// Node 20 has no Symbol.metadata; TC39 decorators hand out `context.metadata`
// only when it exists, so provide the well-known symbol before any class loads.
(Symbol as { metadata?: symbol }).metadata ??= Symbol.for("Symbol.metadata");

export type EndpointKind = "api" | "task";

export interface EndpointMetadata {
  kind: EndpointKind;
  method: string;
  options: ApiOptions | TaskOptions;
}

export interface ServiceMetadata {
  options: ServiceOptions;
  endpoints: EndpointMetadata[];
  onStartup: string[];
  onShutdown: string[];
}

interface PendingMetadata {
  endpoints?: EndpointMetadata[];
  onStartup?: string[];
  onShutdown?: string[];
}

const PENDING = Symbol("bentoc.pending");
const serviceRegistry = new WeakMap<object, ServiceMetadata>();

type AnyClass = abstract new (...args: never[]) => unknown;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- decorators must accept any method signature
type AnyMethod = (this: any, ...args: any) => any;

function pendingOf(metadata: DecoratorMetadataObject | undefined): PendingMetadata {
  if (!metadata) throw new TypeError("bentoc: decorator metadata is missing; compile with TypeScript ≥ 5.2 or esbuild standard decorators");
  const record = metadata as Record<symbol, PendingMetadata | undefined>;
  // Own property only: a subclass must not inherit its parent's endpoint list by reference.
  if (!Object.prototype.hasOwnProperty.call(record, PENDING)) record[PENDING] = {};
  return record[PENDING]!;
}

function methodName(context: ClassMethodDecoratorContext): string {
  if (typeof context.name !== "string") throw new TypeError("bentoc: decorated methods need string names");
  return context.name;
}

/** Marks a class as a bentoc service. */
export function service(options: ServiceOptions = {}) {
  return <C extends AnyClass>(value: C, context: ClassDecoratorContext<C>): void => {
    const pending = pendingOf(context.metadata);
    serviceRegistry.set(value, {
      options,
      endpoints: pending.endpoints ?? [],
      onStartup: pending.onStartup ?? [],
      onShutdown: pending.onShutdown ?? [],
    });
  };
}

function endpoint(kind: EndpointKind, options: ApiOptions | TaskOptions) {
  return <M extends AnyMethod>(_value: M, context: ClassMethodDecoratorContext<any, M>): void => {
    const pending = pendingOf(context.metadata);
    (pending.endpoints ??= []).push({ kind, method: methodName(context), options });
  };
}

/** Exposes a method as an HTTP API. */
export function api(options: ApiOptions = {}) {
  return endpoint("api", options);
}

/** Exposes a method as a background task with submit/status/get/cancel/retry routes. */
export function task(options: TaskOptions = {}) {
  return endpoint("task", options);
}

/** Runs the method once before the server reports ready. */
export function onStartup<M extends AnyMethod>(_value: M, context: ClassMethodDecoratorContext<any, M>): void {
  (pendingOf(context.metadata).onStartup ??= []).push(methodName(context));
}

/** Runs the method once during graceful shutdown. */
export function onShutdown<M extends AnyMethod>(_value: M, context: ClassMethodDecoratorContext<any, M>): void {
  (pendingOf(context.metadata).onShutdown ??= []).push(methodName(context));
}

/**
 * Serves routes of the service's own under a path prefix, beside its APIs (same port, limits,
 * request ids, logs, metrics and shutdown), after them and never shadowing them. The method is a
 * Fastify plugin, `admin(app: FastifyInstance)`, which registers routes on `app` (relative to the
 * prefix), or a Node request handler, `hooks(request, response)`, which answers every request
 * below the prefix with its body unread. The compiler records which, by the parameters.
 */
export function mount(path: string) {
  return <M extends AnyMethod>(_value: M, context: ClassMethodDecoratorContext<any, M>): void => {
    if (typeof path !== "string") throw new TypeError(`bentoc: @mount() on ${methodName(context)} takes a path prefix, e.g. "/admin"`);
  };
}

/** The metadata recorded by `@service` and friends, or undefined for an undecorated class. */
export function serviceMetadataOf(serviceClass: object): ServiceMetadata | undefined {
  return serviceRegistry.get(serviceClass);
}

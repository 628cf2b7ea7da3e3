import type { TaskHandle } from "./client/types.js";
import type { Context } from "./context.js";

/** What a dependency call takes besides its arguments, as the generated client's calls do. */
export interface DependencyCallOptions {
  /** Aborts the call, and the dependency's own `Context` signal. */
  signal?: AbortSignal;
  /** Fails the call with a TimeoutError after this long. */
  timeoutMs?: number;
  /**
   * The caller's Context: the dependency's Context gets its request id (one id through every
   * service's logs), and its signal aborts the call when no `signal` is given.
   */
  context?: Context;
}

/** How a handle reaches its service; the runtime sets it when the server starts. */
export interface DependencyConnection {
  call(api: string, args: Record<string, unknown>, options: DependencyCallOptions): unknown;
  submit(api: string, args: Record<string, unknown>, options: DependencyCallOptions): Promise<TaskHandle<unknown>>;
}

/** A handle's own state, which the runtime reads through `dependencyOf`. */
export interface DependencyState {
  /** The service class the handle calls, or the client class of another bento's service. */
  readonly service: abstract new (...args: never[]) => unknown;
  connection: DependencyConnection | undefined;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any method signature
type AnyMethod = (...args: any[]) => any;
type MethodKeys<S> = { [K in keyof S]: S[K] extends AnyMethod ? K : never }[keyof S] & string;
type CallResult<R> = R extends AsyncIterable<infer T> ? AsyncIterable<T> : Promise<Awaited<R>>;

/**
 * The named arguments of each dependency's APIs, by service: filled in by the declaration bentoc
 * writes beside a service file whose services depend on each other (`service.bentoc.d.ts`).
 * Without it, arguments are `Record<string, unknown>`, checked at run time only.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface -- augmented by generated declarations
export interface DependencyArguments {}

/** An entry of DependencyArguments: a service class and its methods' named arguments. */
export interface DependencyTyping<S, Args> {
  service: S;
  args: Args;
}

/** The named arguments of method K of service S, from DependencyArguments; never when unknown. */
type KnownArguments<S, K> = {
  [N in keyof DependencyArguments]: DependencyArguments[N] extends DependencyTyping<infer T, infer A>
    ? [S] extends [T] ? [T] extends [S] ? K extends keyof A ? A[K] : never : never : never
    : never;
}[keyof DependencyArguments];
type ArgumentsOf<S, K> = [KnownArguments<S, K>] extends [never] ? Record<string, unknown> : KnownArguments<S, K>;

/** One API of a dependency: called for an API or a stream; `.submit` for a task API, which returns its handle. */
export type DependencyMethod<R, Args = Record<string, unknown>> = ((args?: Args, options?: DependencyCallOptions) => CallResult<R>) & {
  submit(args?: Args, options?: DependencyCallOptions): Promise<TaskHandle<Awaited<R>>>;
};

/**
 * A service's APIs as another service calls them: one object of named arguments and optional
 * `{ signal, timeoutMs, context }`, as the generated client takes them; a stream is an
 * `AsyncIterable`; a task API is submitted with `.submit(…)`, which returns its task handle.
 */
export type Dependency<S> = {
  readonly [K in MethodKeys<S>]: S[K] extends AnyMethod ? DependencyMethod<ReturnType<S[K]>, ArgumentsOf<S, K>> : never;
};

/** What a generated client class states about the service it calls (its static `bentoService`). */
export interface BentoServiceIdentity {
  /** The name of the bento that serves it. */
  readonly bento: string;
  /** The service's name in that bento. */
  readonly service: string;
}

/**
 * A client class that `bentoc client` (or `compile`) generated for a service of another bento,
 * known by its static `bentoService`. (Its constructor's options are left open: with them
 * spelled out, overload resolution's first, subtype pass would pick the service overload.)
 */
export type BentoClientClass<C> = (abstract new (...args: never[]) => C) & { readonly bentoService: BentoServiceIdentity };

/** A client method's parameters `(args, options?)` with a dependency call's options; `args` stays optional where it was. */
type WithCallOptions<P extends unknown[]> = [] extends P ? [args?: P[0], options?: DependencyCallOptions] : [args: P[0], options?: DependencyCallOptions];

/**
 * A service of another bento as a service of this one calls it: the generated client's methods
 * (typed by that bento's client), taking `{ signal, timeoutMs, context }`; a task API's `.submit`.
 */
export type ClientDependency<C> = {
  readonly [K in keyof C as K extends "waitReady" ? never : K]: C[K] extends (...args: infer P) => infer R
    ? (...args: WithCallOptions<P>) => R
    : C[K] extends { submit(...args: infer P): infer R } ? { submit(...args: WithCallOptions<P>): R } : never;
};

const STATE = Symbol.for("bentoc.dependency");

/**
 * A service of another bento, by the client class generated for it (`bentoc client`):
 * `private readonly classifier = depends(IrisClassifierClient);`. It is called over HTTP at
 * `BENTOC_DEPENDENCY_<SERVICE>_URL`, and its calls and errors are that client's.
 */
export function depends<C>(client: BentoClientClass<C>): ClientDependency<C>;
/**
 * Another service of the bento, for this one to call:
 * `private readonly embedder = depends(Embedder);` then `await this.embedder.embed({ texts })`.
 * The call goes through the same validation and revival whether the dependency runs in this
 * process or in another one; the compiler lists it in the manifest's `dependencies`.
 */
export function depends<S>(service: abstract new (...args: never[]) => S): Dependency<S>;
export function depends<S>(service: abstract new (...args: never[]) => S): Dependency<S> {
  const state: DependencyState = { service, connection: undefined };
  const calls = new Map<string, DependencyMethod<unknown>>();
  return new Proxy(Object.create(null) as object, {
    get(_target, property) {
      if (property === STATE) return state;
      // Not a thenable, not a string key: nothing to call (so `await handle` and inspection do no harm).
      if (typeof property !== "string" || property === "then") return undefined;
      let call = calls.get(property);
      if (!call) {
        const connection = () => {
          if (state.connection) return state.connection;
          throw new Error(`depends(${service.name}).${property}() was called before the server connected its dependencies: call it from an API, a task or an @onStartup hook, not while the service is constructed`);
        };
        call = Object.assign((args: Record<string, unknown> = {}, options: DependencyCallOptions = {}) => connection().call(property, args, options), {
          submit: (args: Record<string, unknown> = {}, options: DependencyCallOptions = {}) => connection().submit(property, args, options),
        }) as unknown as DependencyMethod<unknown>;
        calls.set(property, call);
      }
      return call;
    },
  }) as Dependency<S>;
}

/** The state of a value made by `depends()`, or undefined for any other value. */
export function dependencyOf(value: unknown): DependencyState | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const state = (value as Record<symbol, unknown>)[STATE];
  return typeof state === "object" && state !== null && "service" in state ? (state as DependencyState) : undefined;
}

/** What a generated client class says it calls, or undefined for any other class. */
export function bentoServiceOf(target: unknown): BentoServiceIdentity | undefined {
  const identity = typeof target === "function" ? (target as { bentoService?: Partial<BentoServiceIdentity> }).bentoService : undefined;
  return typeof identity?.bento === "string" && typeof identity.service === "string" ? (identity as BentoServiceIdentity) : undefined;
}

import cors from "@fastify/cors";
import multipart from "@fastify/multipart";
import Fastify, { LogController, type FastifyBaseLogger, type FastifyContextConfig, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { JSON_MEDIA_TYPE, MULTIPART_MEDIA_TYPE, type BentoManifest, type ServiceManifest } from "../manifest/types.js";
import { apiInput } from "./api-input.js";
import { apiRoute, type ApiInvoker } from "./api-route.js";
import { bodyReader } from "./body-encoding.js";
import { jsonBodyParser, type FastifyJsonParser } from "./json-body.js";
import { ConcurrencyLimiter } from "./concurrency.js";
import { DeadlineSweeper } from "./deadlines.js";
import { AllowedMethods } from "./allowed-methods.js";
import { BentocHttpError, fromFastifyError, internalError, methodNotAllowed, notFound, notReady, unsupportedMediaType, type SchemaProblem } from "./errors.js";
import { accessLogWriter, createLogger, flushLogs, flushLogsSync, requestLoggerFactory } from "./logging.js";
import { ServerMetrics, markArrival, marksOf } from "./metrics.js";
import { registerOperationalRoutes } from "./operational.js";
import { registerMounts } from "./mounts.js";
import { Tracing } from "./tracing.js";
import { registerWebSocketPlugin, registerWebSocketRoute } from "./websocket.js";
import { requestIdOf } from "./request-id.js";
import { DEFAULT_BODY_LIMIT, DEFAULT_REQUEST_TIMEOUT_MS, DEFAULT_SSE_KEEP_ALIVE_MS, EnvironmentError, type ServerOptions } from "./options.js";
import { batchedInvoker } from "./batching/batched-invoker.js";
import { connectDependencies, type BoundService, type DependencyHealth } from "./dependencies/index.js";
import { openTaskStore } from "./tasks/open-task-store.js";
import { DEFAULT_TASK_RETENTION_S, lostTaskMessage, TaskRunner, type TaskDefinition } from "./tasks/task-runner.js";
import { registerTaskRoutes, taskRun } from "./tasks/task-routes.js";
import { ValidatorFactory } from "./validation.js";

/** One bento's HTTP server: its services' APIs plus the operational endpoints, with limits and a lifecycle. */
export class BentoServer {
  readonly app: FastifyInstance;
  /** The server's logger (Fastify's app has none: logging.ts says why). */
  readonly log: FastifyBaseLogger;
  readonly metrics: ServerMetrics;
  /** Writes a request's access line once its response has been handed to Node; none when requests are not logged. */
  private readonly logAccess: ((request: FastifyRequest, reply: FastifyReply) => void) | undefined;
  private readonly instances = new Map<string, object>();
  private readonly validators: ValidatorFactory;
  private ready = false;
  private started = false;
  private closing: Promise<void> | undefined;
  private readonly taskDefinitions = new Map<string, TaskDefinition>();
  private readonly deadlines = new DeadlineSweeper();
  private readonly mediaTypesByRoute = new Map<string, readonly string[]>();
  private readonly allowedMethods = new AllowedMethods();
  private taskRunner: TaskRunner | undefined;
  /** The dependencies served elsewhere, probed by /readyz. */
  private dependencyHealth: DependencyHealth | undefined;
  /** Every service's class, bound here or not. */
  private readonly declared = new Map<unknown, ServiceManifest>();
  /** The services bound so far, whose `depends()` handles are connected before the @onStartup hooks run. */
  private readonly bound: BoundService[] = [];
  /** Some API takes files, so the multipart parser is registered (for every route). */
  private readonly takesFiles: boolean;
  /** OpenTelemetry, when the environment asks for traces; otherwise nothing on the request path touches it. */
  private readonly tracing: Tracing | undefined;

  constructor(readonly manifest: BentoManifest, readonly openapi: object, private readonly options: ServerOptions = {}) {
    const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
    const requestTimeout = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    const logger = createLogger(options);
    this.app = Fastify({
      logger: false,
      ...(logger ? { childLoggerFactory: requestLoggerFactory(logger) } : {}),
      // One access line per request (`logAccess`) in place of Fastify's "incoming request" and "request completed".
      logController: new LogController({ disableRequestLogging: true }),
      bodyLimit,
      requestTimeout,
      // Node takes the request timeout into account only when the server is created with it (Fastify
      // sets it later), and looks for expired requests every 30 s unless told to look more often.
      http: { requestTimeout, connectionsCheckingInterval: Math.min(5_000, requestTimeout) },
      onProtoPoisoning: "error",
      onConstructorPoisoning: "error",
      requestIdHeader: false,
      genReqId: (request) => {
        markArrival(request);
        return requestIdOf(request.headers);
      },
      return503OnClosing: true,
      forceCloseConnections: "idle",
    });
    const unknown = options.services?.find((name) => !manifest.services.some((service) => service.name === name));
    if (unknown !== undefined) {
      throw new EnvironmentError(`BENTOC_SERVICE must name services of this bento (${manifest.services.map((service) => service.name).join(", ")}), comma-separated; got '${unknown}'`);
    }
    this.log = logger ?? this.app.log;
    this.logAccess = accessLogWriter(options, logger);
    this.takesFiles = manifest.services.some((service) => service.apis.some((api) => api.input.mediaTypes.includes(MULTIPART_MEDIA_TYPE)));
    this.metrics = new ServerMetrics({ defaultMetrics: options.processMetrics });
    this.validators = new ValidatorFactory(manifest.$defs);
    this.tracing = options.tracing ? new Tracing(manifest.name) : undefined;
    this.installHooks(bodyLimit);
    registerOperationalRoutes(this.app, { isReady: () => this.ready, unreachableDependencies: () => this.dependencyHealth?.unreachable() ?? Promise.resolve([]), metrics: this.metrics, openapi });
  }

  /** Records which class is which service: a `depends()` handle names its service by class. */
  declare(serviceName: string, serviceClass: abstract new (...args: never[]) => unknown): this {
    this.declared.set(serviceClass, this.serviceNamed(serviceName));
    return this;
  }

  /** Whether this process serves the service: every one, unless `services` (BENTOC_SERVICE) names some. */
  serves(serviceName: string): boolean {
    return this.options.services === undefined || this.options.services.includes(serviceName);
  }

  /** Serves a service's APIs with this instance; `apis` calls each method with the request's arguments by name. */
  bind(serviceName: string, instance: object, apis: Record<string, ApiInvoker>): this {
    const service = this.serviceNamed(serviceName);
    this.instances.set(service.name, instance);
    // Each API as every caller reaches it (batched where batchable), for its route and for the services that depend on it.
    const invokers: Record<string, ApiInvoker> = {};
    this.bound.push({ manifest: service, instance, invokers });
    const limiter = new ConcurrencyLimiter(service.config.traffic.maxConcurrency);
    const { $defs: defs } = this.manifest;
    for (const api of service.apis) {
      const method = apis[api.name];
      if (!method) throw new Error(`No implementation bound for API '${api.name}' of service '${service.name}'`);
      const batched = batchedInvoker(api, method, api.batching ? this.metrics.batching(api.name) : undefined, this.tracing);
      const invoke = (invokers[api.name] = this.tracing ? this.tracing.invoker(api, batched) : batched);
      // A WebSocket is a GET that upgrades: none of a POST route's input checks, admission or in-flight count.
      if (api.kind === "websocket") {
        registerWebSocketRoute(this.app, api, invoke, {
          defs, validators: this.validators, idleSeconds: service.config.traffic.timeout,
          started: () => this.started,
          routeConfig: { [API_ROUTE]: true } as RouteMarks,
          finished: (request, reply, bytesSent) => {
            marksOf(request.raw)!.bodyBytes += bytesSent;
            this.recordFinished(request, reply, 101);
            this.logAccess?.(request, reply);
          },
          logFailure: (request, error) => request.log.error({ err: error }, "the API method threw"),
        });
        continue;
      }
      const input = apiInput(api, defs, this.validators);
      // The port opens before @onStartup hooks run (so /livez and /readyz answer), but an API must not run before them.
      const gated: typeof input = {
        ...input,
        checkContentType: (request, reply, done) => (this.started ? input.checkContentType(request, reply, done) : done(notReady())),
      };
      // Multipart routes check readiness and the content type in a hook, before the body is read
      // (JSON must never be parsed for them); JSON routes do it inline, in `admit`. Fastify has
      // parsers for JSON only, unless some API takes files: then a JSON route must refuse the
      // multipart bodies Fastify parsed for it. (Fastify refuses a type it has no parser for
      // with FST_ERR_CTP_INVALID_MEDIA_TYPE, which the error handler words as this check does.)
      const takesFiles = api.input.mediaTypes.includes(MULTIPART_MEDIA_TYPE);
      const checkContentType = !takesFiles && this.takesFiles;
      const stats = this.metrics.route(api.route, "POST", true);
      // The API hot path admits a request inline (one function call) rather than through route hooks.
      const admit = (request: FastifyRequest, reply: FastifyReply): void => {
        reply.header("x-request-id", request.id);
        if (!takesFiles && !this.started) throw notReady();
        if (checkContentType) input.assertContentType(request);
        stats.inFlight++;
        const marks = marksOf(request.raw)!;
        marks.admitted = stats;
        if (this.tracing) marks.trace = this.tracing.startRequest(request.method, api.route, request.headers);
      };
      if (api.kind === "task") {
        const { retentionS, retriesOnLoss } = api.task ?? {};
        this.taskDefinitions.set(api.name, { run: taskRun(api, invoke, input, defs), retentionMs: retentionS === undefined ? undefined : retentionS * 1000, retriesOnLoss });
        registerTaskRoutes(this.app, api, gated, this.tasks(), defs);
        continue;
      }
      // Needed only where fast-json-stringify refuses a result: compiled then, not for every API at start-up.
      let resultProblems: ((json: unknown) => readonly SchemaProblem[]) | undefined;
      const route = apiRoute(api, invoke, {
        defs, input: gated, limiter, deadlines: this.deadlines, timeoutSeconds: service.config.traffic.timeout, admit,
        resultProblems: (json) => (resultProblems ??= this.validators.problemsOf(api.output.schema))(json),
        sseKeepAliveMs: this.options.sseKeepAliveMs ?? DEFAULT_SSE_KEEP_ALIVE_MS,
        responded: (request, reply) => this.recordFinished(request, reply),
        sent: this.logAccess && ((request, reply) => this.afterSending(request, reply)),
        arrivedAt: (request) => marksOf(request.raw)!.arrivedAt, // marked in genReqId, as `admit` relies on
        trace: this.tracing && ((request) => marksOf(request.raw)!.trace),
      });
      this.mediaTypesByRoute.set(api.route, api.input.mediaTypes);
      this.app.post(api.route, {
        ...(takesFiles ? { onRequest: route.onRequest } : {}),
        config: { [API_ROUTE]: true } as RouteMarks,
        // Fastify serialises a successful result with the route's own serializer (no per-reply setup);
        // the schema here only names the statuses it applies to (200 first: Fastify looks up the
        // exact status before its class): the output was compiled by `apiRoute`.
        schema: { response: { 200: {}, "2xx": {} } },
        serializerCompiler: () => route.serialize,
      }, route.handler);
    }
    registerMounts(service, instance, {
      app: this.app,
      started: () => this.started,
      logFailure: (request, error) => request.log.error({ err: error }, "the mounted handler threw"),
    });
    return this;
  }

  /** Fastify found no parser for the body: say what this route takes, as the API's own check would. */
  private undeclaredMediaType(request: FastifyRequest): BentocHttpError {
    const type = (request.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
    return unsupportedMediaType(type, this.mediaTypesByRoute.get(request.routeOptions.url ?? "") ?? [JSON_MEDIA_TYPE]);
  }

  /** Counts a response in the metrics, once, with its status (`status`: the one about to be sent). */
  private recordFinished(request: FastifyRequest, reply: FastifyReply, status = reply.statusCode): void {
    const marks = marksOf(request.raw);
    if (marks?.counted) return;
    const admitted = marks?.admitted ?? undefined;
    if (marks) marks.counted = true;
    if (marks?.trace) {
      this.tracing!.endRequest(marks.trace, status);
      marks.trace = undefined;
    }
    const stats = admitted ?? this.metrics.route(request.routeOptions.url ?? "unmatched", request.method);
    stats.finished(status, marks?.secondsSinceArrival() ?? 0, admitted !== undefined);
    // Closing: a kept-alive connection whose last response just ended would hold close() until the shutdown timeout.
    if (this.closing) {
      const closeIdle = () => setImmediate(() => this.app.server.closeIdleConnections());
      if (reply.raw.writableFinished) closeIdle();
      else reply.raw.once("finish", closeIdle);
    }
  }

  /** The task runner, made on first use: one store and one queue for all task APIs of the bento. */
  private tasks(): TaskRunner {
    this.taskRunner ??= new TaskRunner(openTaskStore(this.manifest, this.options), this.taskDefinitions, {
      concurrency: this.options.taskConcurrency ?? 4,
      retentionMs: (this.options.taskRetentionS ?? DEFAULT_TASK_RETENTION_S) * 1000,
      leaseMs: this.options.taskLeaseMs,
      log: {
        failed: (record, error) => this.log.error({ err: error, taskId: record.task_id, api: record.api }, "task failed"),
        cancelled: (record) => this.log.info({ taskId: record.task_id, api: record.api }, "task cancelled"),
        lost: (record) => this.log.warn({ taskId: record.task_id, api: record.api, status: record.status, attempts: record.attempts }, lostTaskMessage(record)),
        storeFailed: (doing, error) => this.log.error({ err: error }, `task store: ${doing} failed: ${(error as Error).message}`),
        storeRecovered: () => this.log.info("task store: works again"),
      },
    });
    return this.taskRunner;
  }

  /**
   * Listens, then runs the services' `@onStartup` hooks; `/readyz` says ready once they are done.
   * `startupFirst`: run the hooks before listening, for a cluster worker, which shares its port
   * with ready workers: listening early would take connections it can only answer with 503.
   */
  async listen(options: { startupFirst?: boolean } = {}): Promise<string> {
    const listen = async () => {
      const address = await this.app.listen({ port: this.options.port ?? 3000, host: this.options.host ?? "127.0.0.1" });
      this.log.info(`Server listening at ${address}`); // Fastify's line, which it writes only with a logger of its own
      return address;
    };
    const address = options.startupFirst ? undefined : await listen();
    this.dependencyHealth = connectDependencies({ bound: this.bound, declared: this.declared, defs: this.manifest.$defs, validators: this.validators, openapi: this.openapi, env: this.options.env ?? process.env, tasks: this.taskRunner, tracing: this.tracing });
    for (const service of this.manifest.services) {
      for (const hook of service.hooks.onStartup) await this.callHook(service, hook);
    }
    this.started = true;
    await this.taskRunner?.start();
    this.ready = true;
    const listening = address ?? (await listen());
    this.log.info({ address: listening }, `${this.manifest.entryService} is ready`);
    flushLogs();
    return listening;
  }

  /** Graceful stop: no new connections, in-flight requests finish (up to the timeout), then `@onShutdown` hooks. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.ready = false;
      const timeoutMs = this.options.shutdownTimeoutMs ?? Math.max(...this.manifest.services.map((s) => s.config.traffic.timeout)) * 1000;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.app.close(), new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
      clearTimeout(timer);
      await this.taskRunner?.close(timeoutMs);
      await this.tracing?.shutdown().catch((error: unknown) => this.log.warn({ err: error }, "tracing: the last spans could not be exported"));
      for (const service of this.manifest.services) {
        for (const hook of service.hooks.onShutdown) await this.callHook(service, hook).catch((error: unknown) => this.log.error({ err: error }, `@onShutdown ${hook} failed`));
      }
      flushLogs();
    })();
    return this.closing;
  }

  /**
   * SIGTERM/SIGINT: close gracefully and exit 0 (1 if shutting down failed). A crash (an uncaught
   * exception or rejection) is logged as fatal, and the buffered log lines are written before Node exits.
   */
  exitOnSignals(): void {
    const exit = (code: number) => {
      flushLogsSync();
      process.exit(code);
    };
    const stop = (signal: string) => {
      this.log.info(`${signal} received; finishing in-flight requests`);
      flushLogs();
      this.close().then(() => exit(0), (error: unknown) => {
        this.log.error({ err: error }, "shutdown failed");
        exit(1);
      });
    };
    // The monitor leaves Node's own handling (the stack on stderr, exit code 1) as it was.
    process.on("uncaughtExceptionMonitor", (error, origin) => {
      this.log.fatal({ err: error }, origin === "unhandledRejection" ? "unhandled promise rejection; exiting" : "uncaught exception; exiting");
      flushLogsSync();
    });
    process.once("SIGTERM", () => stop("SIGTERM"));
    process.once("SIGINT", () => stop("SIGINT"));
  }

  private async callHook(service: ServiceManifest, hook: string): Promise<void> {
    const instance = this.instances.get(service.name) as Record<string, () => unknown> | undefined;
    if (instance && typeof instance[hook] === "function") await instance[hook]!();
  }

  private serviceNamed(name: string): ServiceManifest {
    const service = this.manifest.services.find((candidate) => candidate.name === name);
    if (!service) throw new Error(`The bento has no service '${name}'`);
    return service;
  }

  private installHooks(bodyLimit: number): void {
    const { app } = this;
    if (this.options.cors) void app.register(cors, { origin: this.options.cors === true ? true : this.options.cors, exposedHeaders: ["x-request-id", "retry-after"] });
    if (this.manifest.services.some((service) => service.apis.some((api) => api.kind === "websocket"))) registerWebSocketPlugin(app, bodyLimit);
    // The multipart plugin adds hooks to every route; only bentos that take files need it.
    if (this.takesFiles) void app.register(multipart, { limits: { fileSize: this.options.maxFileSize ?? bodyLimit, files: this.options.maxFiles ?? 64, fieldSize: bodyLimit, parts: 1000 } });
    app.removeContentTypeParser("text/plain");
    // Metrics count every response once (`recordFinished` marks the request), and each gets one
    // access line. An onResponse hook on every route showed in the API hot path's CPU profile (and
    // makes Fastify listen for the end of every response), so API routes count their own responses
    // (when the result is ready, or when a stream ends), the error handler counts every error, and
    // each writes the access line once it has sent; only the other routes get a route-level
    // onResponse hook. Hooks are in callback style: an async hook costs a promise per request.
    const logAccess = this.logAccess;
    const countOnResponse = (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
      this.recordFinished(request, reply);
      logAccess?.(request, reply);
      done();
    };
    app.addHook("onRoute", (route) => {
      this.allowedMethods.add(route.method, route.url);
      if ((route.config as RouteMarks | undefined)?.[API_ROUTE]) return;
      route.onResponse = [...[route.onResponse ?? []].flat(), countOnResponse];
    });
    // JSON bodies are read whole, then decoded when compressed, then parsed: the body limit
    // applies to the encoded and to the decoded size.
    app.removeContentTypeParser(JSON_MEDIA_TYPE);
    const parseJson = jsonBodyParser(app.getDefaultJsonParser("error", "error") as FastifyJsonParser);
    app.addContentTypeParser(JSON_MEDIA_TYPE, bodyReader(parseJson, bodyLimit));
    app.setNotFoundHandler((request) => {
      const path = request.url.split("?")[0]!;
      const allowed = this.allowedMethods.at(path);
      throw allowed.length > 0 ? methodNotAllowed(request.method, path, allowed) : notFound(request.method, path);
    });
    app.setErrorHandler((error: FastifyError, request, reply) => {
      const known = error instanceof BentocHttpError ? error
        : (error as { code?: string } | null)?.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE" ? this.undeclaredMediaType(request)
        : typeof error === "object" && error !== null ? fromFastifyError(error, bodyLimit) : undefined;
      const answer = known ?? internalError();
      if (!known) request.log.error({ err: error }, "unhandled error in API");
      else if ("cause" in known) request.log.error({ err: known.cause }, "the API method threw");
      this.recordFinished(request, reply, answer.status);
      // The API's output serializer may still be set on this reply (and may be what failed): error bodies are plain JSON.
      reply.code(answer.status).headers(answer.headers).header("x-request-id", request.id).type("application/json; charset=utf-8").serializer(JSON.stringify).send(answer.body(String(request.id)));
      // The other routes write their access line in their onResponse hook.
      if (this.logAccess && (request.is404 || (request.routeOptions.config as RouteMarks)[API_ROUTE])) this.afterSending(request, reply);
      return reply;
    });
  }

  /** An API route's response has been given to Fastify: its access line, once Node has the whole response. */
  private afterSending(request: FastifyRequest, reply: FastifyReply): void {
    const marks = marksOf(request.raw);
    if (marks?.logged) return; // an error after the result was sent (it could not be serialised) ends the same response
    if (marks) marks.logged = true;
    const logAccess = this.logAccess!;
    if (reply.raw.writableEnded || reply.raw.destroyed) logAccess(request, reply);
    else reply.raw.once("close", () => logAccess(request, reply));
  }
}

// Route config mark: an API route counts its own responses; any other route counts them in an onResponse hook.
const API_ROUTE = "bentocApiRoute";
type RouteMarks = FastifyContextConfig & { [API_ROUTE]?: true };

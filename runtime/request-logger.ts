import type { FastifyBaseLogger } from "fastify";
import type { Bindings, ChildLoggerOptions } from "pino";

type Level = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";

/**
 * A request's logger that makes its pino child (bindings: the request id) only when something
 * is logged with it. Fastify asks for a logger for every request, and making a pino child showed
 * in the HTTP benchmark's profile; most requests log nothing but their access line, which the
 * server writes without the request's logger (access-log.ts).
 */
class RequestLogger implements FastifyBaseLogger {
  private made: FastifyBaseLogger | undefined;

  constructor(private readonly parent: FastifyBaseLogger, private readonly bindings: Bindings, private readonly options: ChildLoggerOptions) {}

  private get logger(): FastifyBaseLogger {
    return (this.made ??= this.parent.child(this.bindings, this.options));
  }

  get level(): string {
    return this.logger.level;
  }

  set level(level: string) {
    this.logger.level = level;
  }

  // Methods on the prototype, not arrow functions: a request's logger must cost no closures.
  fatal(...args: unknown[]): void {
    this.log("fatal", args);
  }

  error(...args: unknown[]): void {
    this.log("error", args);
  }

  warn(...args: unknown[]): void {
    this.log("warn", args);
  }

  info(...args: unknown[]): void {
    this.log("info", args);
  }

  debug(...args: unknown[]): void {
    this.log("debug", args);
  }

  trace(...args: unknown[]): void {
    this.log("trace", args);
  }

  silent(): void {}

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.logger.child(bindings, options);
  }

  private log(level: Level, args: unknown[]): void {
    const logger = this.logger;
    (logger[level] as (...args: unknown[]) => void).apply(logger, args);
  }
}

/** A request's logger, a child of `parent` made when first used. */
export function lazyRequestLogger(parent: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions): FastifyBaseLogger {
  return new RequestLogger(parent, bindings, options);
}
